-- Retention by the law (issue 21): a handled report is anonymised after Database:AnonimiseerNaJaren
-- (default 5) years and a withdrawn one deleted after Database:BewaarIngetrokkenDagen (default 365)
-- days, by the clean-up rules in web/Domein/Bewaartermijnen.cs. Anonymising keeps the row (category,
-- buurt, wijk, times, status, history) so the statistics stay as they were, and removes what can name
-- or describe a person: the text, additions, staff notes, satisfaction remarks, messages, photos,
-- contact details and followers; the exact place becomes a point inside the buurt.

-- When the report was anonymised; NULL while its text and exact place are still kept.
ALTER TABLE melding ADD COLUMN geanonimiseerd_op timestamptz;

-- An anonymised report has an empty description.
ALTER TABLE melding DROP CONSTRAINT melding_omschrijving_check;
ALTER TABLE melding ADD CONSTRAINT melding_omschrijving_check
    CHECK (length(omschrijving) <= 5000 AND (length(omschrijving) >= 1 OR geanonimiseerd_op IS NOT NULL));

-- The clean-up rules look for closed reports not yet anonymised by their closing moment.
CREATE INDEX melding_te_anonimiseren_idx ON melding (gewijzigd_op) WHERE geanonimiseerd_op IS NULL;

-- The audit trail stays append-only (no DELETE, no TRUNCATE, no other UPDATE), with one exception:
-- the contents (voor/na, which may hold a note's text or a message) of the entries about an
-- anonymised report may be emptied. Who did what to which report, and when, stays.
CREATE OR REPLACE FUNCTION audit_alleen_toevoegen() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE'
       AND NEW.id = OLD.id AND NEW.tijdstip = OLD.tijdstip
       AND NEW.medewerker_id IS NOT DISTINCT FROM OLD.medewerker_id
       AND NEW.door = OLD.door AND NEW.actie = OLD.actie
       AND NEW.melding_id IS NOT DISTINCT FROM OLD.melding_id
       AND (NEW.voor IS NULL OR NEW.voor = OLD.voor)
       AND (NEW.na IS NULL OR NEW.na = OLD.na)
       AND EXISTS (SELECT 1 FROM melding m WHERE m.id = OLD.melding_id AND m.geanonimiseerd_op IS NOT NULL)
    THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'audit is append-only' USING ERRCODE = 'WK002';
END;
$$;
