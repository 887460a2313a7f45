-- Urgent categories reach a person: a report in a category marked spoed mails the team it was
-- routed to at once (the team's mailbox, else its active members, else the beheerders), and open
-- reports past their target become a daily digest per team. Both go through the outbox, once
-- each (the team mailbox is team.email, from V24); melding_spoed_gemeld records which urgent reports were announced, so a round on any node
-- never announces one twice and the report row itself is not touched.
ALTER TABLE rubriek ADD COLUMN spoed boolean NOT NULL DEFAULT false;
UPDATE rubriek SET spoed = true WHERE code IN ('drugsafval', 'zorgen-om-iemand');


CREATE TABLE melding_spoed_gemeld (
    melding_id bigint PRIMARY KEY REFERENCES melding (id) ON DELETE CASCADE,
    gemeld_op  timestamptz NOT NULL DEFAULT now(),
    aan        integer NOT NULL
);
