-- What residents give when they file a report (issue: resident reporting), and what they may do
-- afterwards through their private link.

-- A melder may withdraw an open report; it then counts as closed.
INSERT INTO meldingstatus (code, naam, gesloten, volgorde) VALUES ('ingetrokken', 'Ingetrokken', true, 7);

ALTER TABLE melding
    -- Who reports: a resident or an entrepreneur (the safety picture shows what shopping streets report).
    ADD COLUMN melder_type text CHECK (melder_type IN ('inwoner', 'ondernemer')),
    ADD COLUMN bedrijfsnaam text CHECK (bedrijfsnaam IS NULL OR length(bedrijfsnaam) <= 200),
    -- Channel the report came in by: web form, Open311 API, a wijkwandeling, staff.
    ADD COLUMN bron text NOT NULL DEFAULT 'web' CHECK (bron IN ('web', 'api', 'wandeling', 'medewerker', 'demo')),
    -- Random token from the form: a double tap or a resent offline draft finds the first report.
    ADD COLUMN idempotentie_sleutel uuid UNIQUE,
    -- SHA-256 of the melder's private link token. The public tracking code alone never allows changes.
    ADD COLUMN melder_sleutel_hash bytea;

-- Keep contact details until the retention clock runs out once the report is closed.
CREATE FUNCTION melding_bewaartermijn() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    dagen int := coalesce(nullif(current_setting('wijk.bewaar_contact_dagen', true), '')::int, 90);
BEGIN
    IF (SELECT gesloten FROM meldingstatus WHERE code = NEW.status) THEN
        UPDATE melder_contact SET verwijderen_na = now() + make_interval(days => dagen)
        WHERE melding_id = NEW.id AND verwijderen_na IS NULL;
    ELSE
        UPDATE melder_contact SET verwijderen_na = NULL WHERE melding_id = NEW.id;
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER melding_bewaartermijn
AFTER UPDATE OF status ON melding
FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status)
EXECUTE FUNCTION melding_bewaartermijn();

-- Photos are stored re-encoded and stripped of all metadata (EXIF GPS included).
CREATE TABLE melding_foto (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    melding_id     bigint NOT NULL REFERENCES melding (id) ON DELETE CASCADE,
    -- Set when the photo came with a later addition by the melder.
    aanvulling_id  bigint,
    jpeg           bytea NOT NULL,
    breedte        int NOT NULL,
    hoogte         int NOT NULL,
    -- Staff moderation: hidden photos are never shown publicly.
    verborgen      boolean NOT NULL DEFAULT false,
    aangemaakt_op  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX melding_foto_melding_idx ON melding_foto (melding_id);

-- Photos uploaded with a form that failed validation are kept here (already stripped), so the
-- melder does not have to choose them again. Removed after a day by the clean-up job.
CREATE TABLE foto_upload (
    id             uuid PRIMARY KEY,
    jpeg           bytea NOT NULL,
    breedte        int NOT NULL,
    hoogte         int NOT NULL,
    aangemaakt_op  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX foto_upload_aangemaakt_idx ON foto_upload (aangemaakt_op);

-- Information the melder adds later through the private link; reaches staff, not the public page.
CREATE TABLE melding_aanvulling (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    melding_id     bigint NOT NULL REFERENCES melding (id) ON DELETE CASCADE,
    tekst          text NOT NULL CHECK (length(tekst) BETWEEN 1 AND 5000),
    aangemaakt_op  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX melding_aanvulling_melding_idx ON melding_aanvulling (melding_id);
ALTER TABLE melding_foto ADD CONSTRAINT melding_foto_aanvulling_fk
    FOREIGN KEY (aanvulling_id) REFERENCES melding_aanvulling (id) ON DELETE CASCADE;

-- Requests by the melder that staff must handle, e.g. remove personal data typed by mistake.
CREATE TABLE melding_verzoek (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    melding_id      bigint NOT NULL REFERENCES melding (id) ON DELETE CASCADE,
    soort           text NOT NULL CHECK (soort IN ('persoonsgegevens-verwijderen')),
    toelichting     text CHECK (toelichting IS NULL OR length(toelichting) <= 2000),
    aangemaakt_op   timestamptz NOT NULL DEFAULT now(),
    afgehandeld_op  timestamptz
);
CREATE INDEX melding_verzoek_open_idx ON melding_verzoek (aangemaakt_op) WHERE afgehandeld_op IS NULL;

-- Residents who follow an existing report instead of filing a duplicate. E-mail only, deleted
-- together with the report's contact details.
CREATE TABLE melding_volger (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    melding_id     bigint NOT NULL REFERENCES melding (id) ON DELETE CASCADE,
    email          text NOT NULL CHECK (length(email) <= 254),
    -- SHA-256 of the token in the follower's unsubscribe link.
    sleutel_hash   bytea NOT NULL,
    aangemaakt_op  timestamptz NOT NULL DEFAULT now(),
    UNIQUE (melding_id, email)
);
