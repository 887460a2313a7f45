-- Moderation by staff (back office issue): hide a report's text from the public, or redact a
-- passage of it, while the original stays for staff; hidden photos (melding_foto.verborgen, V5)
-- are never served publicly. Reasons and undo go to the audit trail.

ALTER TABLE melding
    -- The text is not shown publicly at all.
    ADD COLUMN omschrijving_verborgen boolean NOT NULL DEFAULT false,
    -- The public text after redactions ("[verwijderd]" in place of passages); NULL = not redacted.
    ADD COLUMN omschrijving_publiek text CHECK (omschrijving_publiek IS NULL OR length(omschrijving_publiek) <= 6000);

-- What the public may read of a report's text: nothing for sensitive categories or hidden text,
-- otherwise the redacted version when there is one. Every public output asks this function.
CREATE FUNCTION publieke_omschrijving(omschrijving text, publiek text, verborgen boolean, openbaarheid text)
RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN verborgen OR openbaarheid = 'verborgen' THEN NULL ELSE coalesce(publiek, omschrijving) END
$$;
