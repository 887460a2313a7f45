-- Issue 18: "Mijn meldingen" (a password-free link by mail to the melder's own reports), the melder's
-- language kept with the report (for later mails), and the erasure of a melder's data (AVG art. 17).

-- The language the melder filed in ('nl' or 'en': the UI culture of /melden, Open311's locale);
-- later mails to the melder (status, satisfaction, staff question, erasure confirmation) use it.
-- Reports filed before this migration were filed in Dutch as far as the portal knows.
ALTER TABLE melding ADD COLUMN taal text NOT NULL DEFAULT 'nl' CHECK (taal IN ('nl', 'en'));

-- The one rule to compare e-mail addresses: trimmed, lower case, SHA-256. Addresses are stored as
-- typed in melder_contact (staff need them to write back); this hash finds a melder's reports through
-- an index without keeping a second copy of the address. IMMUTABLE is true in practice: convert_to is
-- only STABLE because of the database encoding, which never changes under a running database.
CREATE FUNCTION email_hash(email text) RETURNS bytea
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$ SELECT sha256(convert_to(lower(btrim(email)), 'UTF8')) $$;

CREATE INDEX melder_contact_email_hash_idx ON melder_contact (email_hash(email)) WHERE email IS NOT NULL;

-- A "Mijn meldingen" link: only the token's hash and the address's hash are kept, never the address.
-- A link works until verloopt_op (MijnMeldingen:GeldigUren, default 24) and only while it is the newest
-- of its address (a new request replaces the old link). Rows go an hour after they expire
-- (retention rule "mijn-meldingen", shown in the privacy statement); the rows of the last hour also
-- serve as the per-address rate limit.
CREATE TABLE mijn_meldingen_link (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email_hash      bytea NOT NULL,
    sleutel_hash    bytea NOT NULL UNIQUE,
    aangevraagd_op  timestamptz NOT NULL DEFAULT now(),
    verloopt_op     timestamptz NOT NULL
);
CREATE INDEX mijn_meldingen_link_email_idx ON mijn_meldingen_link (email_hash, aangevraagd_op DESC);
CREATE INDEX mijn_meldingen_link_verloopt_idx ON mijn_meldingen_link (verloopt_op);

-- The erasure of a melder's data (AVG art. 17): when it happened, and by whom (a staff name, or
-- 'automatisch' when nothing blocked it). The request stays as proof that it was carried out.
ALTER TABLE melding_verzoek ADD COLUMN gewist_op timestamptz;
ALTER TABLE melding_verzoek ADD COLUMN gewist_door text CHECK (length(gewist_door) <= 200);
