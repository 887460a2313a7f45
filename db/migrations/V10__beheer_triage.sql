-- Triage in the back office (/beheer/meldingen): who handles a report, where it was forwarded,
-- duplicates, what the melder changed since staff last looked, and the indexes that keep the list
-- fast at 100,000+ reports.

ALTER TABLE melding
    -- The team the report lands with (routing rules) or was given to.
    ADD COLUMN team_id smallint REFERENCES team (id),
    -- The staff member handling it, if any.
    ADD COLUMN toegewezen_aan uuid REFERENCES medewerker (id) ON DELETE SET NULL,
    -- Partner the report was forwarded to (status 'doorgezet').
    ADD COLUMN partner text CHECK (partner IN ('politie', 'handhaving', 'omgevingsdienst', 'zorg')),
    -- Set when staff mark this report as a duplicate of another (the main report).
    ADD COLUMN hoofdmelding_id bigint REFERENCES melding (id) CHECK (hoofdmelding_id <> id),
    -- When the melder last added something (information, a photo, a request) through the private link.
    ADD COLUMN melder_gewijzigd_op timestamptz,
    -- When staff last opened the report; "changed by the melder" = melder_gewijzigd_op after this.
    ADD COLUMN bekeken_op timestamptz;

-- Internal notes: staff only, never shown to melders or the public.
CREATE TABLE melding_notitie (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    melding_id     bigint NOT NULL REFERENCES melding (id) ON DELETE CASCADE,
    medewerker_id  uuid REFERENCES medewerker (id) ON DELETE SET NULL,
    door           text NOT NULL,
    tekst          text NOT NULL CHECK (length(tekst) BETWEEN 1 AND 5000),
    aangemaakt_op  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX melding_notitie_melding_idx ON melding_notitie (melding_id, aangemaakt_op);

-- Reusable replies to melders, picked when changing a status.
CREATE TABLE antwoord_sjabloon (
    id        smallint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    naam      text NOT NULL UNIQUE,
    tekst     text NOT NULL CHECK (length(tekst) BETWEEN 1 AND 2000),
    actief    boolean NOT NULL DEFAULT true,
    volgorde  smallint NOT NULL DEFAULT 0
);
INSERT INTO antwoord_sjabloon (naam, tekst, volgorde) VALUES
    ('In behandeling genomen', 'Bedankt voor uw melding. Wij hebben deze in behandeling genomen en houden u op de hoogte.', 1),
    ('Doorgezet naar partner', 'Wij hebben uw melding doorgezet naar de partner die hierover gaat. Zij nemen de melding verder op.', 2),
    ('Opgelost', 'De situatie is bekeken en opgelost. Bedankt dat u dit heeft gemeld.', 3),
    ('Extra toezicht', 'Wij houden op deze plek de komende weken extra toezicht. Bedankt voor uw melding.', 4),
    ('Niet voor de gemeente', 'Deze melding valt niet onder de taken van de gemeente. Wij hebben de melding daarom afgewezen.', 5);

-- Whatever the melder adds later marks the report as changed for staff.
CREATE FUNCTION melding_melder_gewijzigd() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE melding SET melder_gewijzigd_op = now() WHERE id = NEW.melding_id;
    RETURN NEW;
END;
$$;
CREATE TRIGGER melding_aanvulling_gewijzigd AFTER INSERT ON melding_aanvulling
FOR EACH ROW EXECUTE FUNCTION melding_melder_gewijzigd();
CREATE TRIGGER melding_verzoek_gewijzigd AFTER INSERT ON melding_verzoek
FOR EACH ROW EXECUTE FUNCTION melding_melder_gewijzigd();

-- The list: newest first by default, and per filter with the same order.
CREATE INDEX melding_lijst_idx ON melding (aangemaakt_op DESC, id DESC);
CREATE INDEX melding_status_aangemaakt_idx ON melding (status, aangemaakt_op DESC, id DESC);
CREATE INDEX melding_rubriek_aangemaakt_idx ON melding (rubriek_id, aangemaakt_op DESC, id DESC);
CREATE INDEX melding_team_idx ON melding (team_id, aangemaakt_op DESC) WHERE team_id IS NOT NULL;
CREATE INDEX melding_toegewezen_idx ON melding (toegewezen_aan, aangemaakt_op DESC) WHERE toegewezen_aan IS NOT NULL;
CREATE INDEX melding_gewijzigd_idx ON melding (gewijzigd_op DESC, id DESC);
CREATE INDEX melding_hoofdmelding_idx ON melding (hoofdmelding_id) WHERE hoofdmelding_id IS NOT NULL;
-- Free-text search in the description (ILIKE '%...%').
CREATE INDEX melding_omschrijving_trgm_idx ON melding USING gin (omschrijving gin_trgm_ops);
