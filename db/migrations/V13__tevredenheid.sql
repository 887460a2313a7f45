-- Satisfaction after a report is handled (back office issue). Each move to 'afgehandeld' opens one
-- closed episode with one row here: the melder answers once, through the one-click links in the
-- mail (token, stored only as a SHA-256 hash) or on the tracking page, until geldig_tot.
-- "Niet tevreden" is a request to reopen that staff accept (status heropend) or answer.
CREATE TABLE melding_beoordeling (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    melding_id       bigint NOT NULL REFERENCES melding (id) ON DELETE CASCADE,
    -- The transition to 'afgehandeld' this episode started with: one answer per closed episode.
    historie_id      bigint NOT NULL UNIQUE REFERENCES melding_historie (id) ON DELETE CASCADE,
    sleutel_hash     bytea NOT NULL UNIQUE,
    geldig_tot       timestamptz NOT NULL,
    -- NULL until the melder answers.
    tevreden         boolean,
    toelichting      text CHECK (toelichting IS NULL OR length(toelichting) <= 2000),
    gegeven_op       timestamptz,
    -- Handling of a "niet tevreden" answer (a reopen request): open, then accepted or answered.
    verzoek_status   text CHECK (verzoek_status IN ('open', 'geaccepteerd', 'beantwoord')),
    antwoord         text CHECK (antwoord IS NULL OR length(antwoord) <= 2000),
    behandeld_door   text,
    behandeld_op     timestamptz,
    aangemaakt_op    timestamptz NOT NULL DEFAULT now(),
    CHECK ((tevreden IS NULL) = (gegeven_op IS NULL)),
    CHECK (verzoek_status IS NULL OR tevreden = false)
);
CREATE INDEX melding_beoordeling_melding_idx ON melding_beoordeling (melding_id, aangemaakt_op DESC);
CREATE INDEX melding_beoordeling_open_idx ON melding_beoordeling (gegeven_op) WHERE verzoek_status = 'open';

-- An answer marks the report as changed by the melder for staff, like other additions.
CREATE FUNCTION melding_beoordeling_gegeven() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.tevreden IS NULL AND NEW.tevreden IS NOT NULL THEN
        UPDATE melding SET melder_gewijzigd_op = now() WHERE id = NEW.melding_id;
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER melding_beoordeling_gegeven AFTER UPDATE OF tevreden ON melding_beoordeling
FOR EACH ROW EXECUTE FUNCTION melding_beoordeling_gegeven();
