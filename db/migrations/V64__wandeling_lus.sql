-- Walks that close the loop (issue 20): a sign-up takes a place only once confirmed by e-mail,
-- organisers check people in on the walk, attendance (not sign-ups) is what the figures count, and
-- after the walk a public report with the organiser's summary and photos.

-- 'onbevestigd': asked for, not yet confirmed through the link in the e-mail; holds no place, is not
-- on the waitlist and expires (WandelingenOptions.BevestigenUren, Opschonen). On confirmation the
-- row becomes 'deelnemer' or 'wachtlijst' and aangemeld_op is set to the moment of confirmation, so
-- places and the waitlist go in order of confirmation.
-- 'ter_plaatse': people the organiser added on the walk (walk-ins): a name only, no e-mail address, no
-- link; they hold no place (capacity is for sign-ups) and are counted when present.
ALTER TABLE wandeling_aanmelding DROP CONSTRAINT wandeling_aanmelding_soort_check;
ALTER TABLE wandeling_aanmelding ADD CONSTRAINT wandeling_aanmelding_soort_check
    CHECK (soort IN ('onbevestigd', 'deelnemer', 'wachtlijst', 'ter_plaatse'));

-- The short code a participant shows on the walk (also as a QR code); unique within its walk.
ALTER TABLE wandeling_aanmelding ADD COLUMN code text CHECK (code ~ '^[A-Z2-9]{6}$');
-- Checked in by the organiser on the walk; NULL: not (or no longer) present.
ALTER TABLE wandeling_aanmelding ADD COLUMN aanwezig_op timestamptz;
ALTER TABLE wandeling_aanmelding ALTER COLUMN email DROP NOT NULL;
ALTER TABLE wandeling_aanmelding ALTER COLUMN sleutel_hash DROP NOT NULL;
ALTER TABLE wandeling_aanmelding ADD CONSTRAINT wandeling_aanmelding_ter_plaatse_check
    CHECK (soort = 'ter_plaatse' OR (email IS NOT NULL AND sleutel_hash IS NOT NULL));
CREATE UNIQUE INDEX wandeling_aanmelding_code_idx ON wandeling_aanmelding (wandeling_id, code) WHERE code IS NOT NULL;
CREATE INDEX wandeling_aanmelding_onbevestigd_idx ON wandeling_aanmelding (aangemeld_op) WHERE soort = 'onbevestigd';

-- Before check-in existed every participant of a finished walk was counted as having taken part;
-- keep that figure for those walks by marking them present (the only attendance there is for them).
UPDATE wandeling_aanmelding a SET aanwezig_op = w.begint_op
FROM wandeling w
WHERE w.id = a.wandeling_id AND a.soort = 'deelnemer' AND w.begint_op + make_interval(mins => w.duur_minuten) < now();

-- deelnemers_na_afloop (V41) is from now on the number of people who attended (checked in), frozen
-- when the sign-ups are deleted after the walk. Values frozen before this migration counted every
-- participant, which was then the same thing (see above).
COMMENT ON COLUMN wandeling.deelnemers_na_afloop IS 'people who attended (checked in), frozen when the sign-ups are deleted';
CREATE OR REPLACE FUNCTION wandeling_deelnemers_bewaren() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE wandeling w
    SET deelnemers_na_afloop = (SELECT coalesce(sum(a.aantal_personen), 0) FROM wandeling_aanmelding a
                                WHERE a.wandeling_id = w.id AND a.aanwezig_op IS NOT NULL)
    WHERE w.id = OLD.wandeling_id AND w.deelnemers_na_afloop IS NULL AND w.status = 'gepubliceerd'
      AND w.begint_op + make_interval(mins => w.duur_minuten) < now();
    RETURN OLD;
END;
$$;

-- The organiser's summary for the public report after the walk.
ALTER TABLE wandeling ADD COLUMN samenvatting text NOT NULL DEFAULT '' CHECK (length(samenvatting) <= 5000);

-- Photos of the walk for the public report: re-encoded without metadata (Fotos.FotoVerwerker).
CREATE TABLE wandeling_foto (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    wandeling_id  bigint NOT NULL REFERENCES wandeling (id) ON DELETE CASCADE,
    jpeg          bytea NOT NULL,
    breedte       int NOT NULL CHECK (breedte > 0),
    hoogte        int NOT NULL CHECK (hoogte > 0),
    -- Alternative text, written by the organiser, for screen readers.
    beschrijving  text NOT NULL CHECK (length(beschrijving) BETWEEN 1 AND 300),
    aangemaakt_op timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX wandeling_foto_wandeling_idx ON wandeling_foto (wandeling_id, id);
