-- Retention by the law (issue 21): a handled report is anonymised after Database:AnonimiseerNaJaren
-- (default 5) years and a withdrawn one deleted after Database:BewaarIngetrokkenDagen (default 365)
-- days, by the clean-up rules in web/Domein/Bewaartermijnen.cs. Anonymising keeps the row (category,
-- buurt, wijk, times, status, history) so the statistics stay as they were, and removes what can name
-- or describe a person: the text, additions, staff notes, satisfaction remarks, messages, photos,
-- contact details and followers; the exact place becomes a point inside the buurt. The audit trail is
-- not touched: it stays append-only for the app role (V51), so what a staff action wrote into it
-- stays there (see docs/privacy-by-design.md).

-- When the report was anonymised; NULL while its text and exact place are still kept.
ALTER TABLE melding ADD COLUMN geanonimiseerd_op timestamptz;

-- An anonymised report has an empty description.
ALTER TABLE melding DROP CONSTRAINT melding_omschrijving_check;
ALTER TABLE melding ADD CONSTRAINT melding_omschrijving_check
    CHECK (length(omschrijving) <= 5000 AND (length(omschrijving) >= 1 OR geanonimiseerd_op IS NOT NULL));

-- The clean-up rules look for closed reports not yet anonymised by their closing moment.
CREATE INDEX melding_te_anonimiseren_idx ON melding (gewijzigd_op) WHERE geanonimiseerd_op IS NULL;
