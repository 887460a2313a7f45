-- Staff at work (issue 19): two-step sign-in's recovery codes, a report's status history made
-- append-only for the app role, and forwarding a report to an outside party.

-- Recovery codes for two-step sign-in: shown once, stored only as a hash (SHA-256 over the account id
-- and the code; the codes are random), each usable once (redeeming deletes the row).
CREATE TABLE medewerker_herstelcode (
    medewerker_id  uuid NOT NULL REFERENCES medewerker (id) ON DELETE CASCADE,
    hash           bytea NOT NULL CHECK (length(hash) = 32),
    PRIMARY KEY (medewerker_id, hash)
);

-- The status history is append-only for the portal, as the audit trail is. The app role owns nothing
-- (V51), so it cannot drop or disable this trigger. Two changes stay possible, both rules of the data:
-- a history row goes with its report (retention deletes the report, the foreign key cascades), and
-- anonymisation blanks the message of an anonymised report. The owner role (migrations, repairs by
-- hand) is not held back.
CREATE FUNCTION melding_historie_alleen_toevoegen() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF current_user = (SELECT pg_get_userbyid(c.relowner) FROM pg_class c WHERE c.oid = TG_RELID) THEN
        RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
    END IF;
    IF TG_OP = 'DELETE' THEN
        IF NOT EXISTS (SELECT 1 FROM melding m WHERE m.id = OLD.melding_id) THEN
            RETURN OLD;
        END IF;
    ELSIF TG_OP = 'UPDATE' THEN
        IF NEW.bericht IS NULL
           AND (NEW.id, NEW.melding_id, NEW.van_status, NEW.naar_status, NEW.door, NEW.tijdstip)
               IS NOT DISTINCT FROM (OLD.id, OLD.melding_id, OLD.van_status, OLD.naar_status, OLD.door, OLD.tijdstip)
           AND EXISTS (SELECT 1 FROM melding m WHERE m.id = OLD.melding_id AND m.geanonimiseerd_op IS NOT NULL) THEN
            RETURN NEW;
        END IF;
    END IF;
    RAISE EXCEPTION 'melding_historie is append-only' USING ERRCODE = 'WK002';
END;
$$;
CREATE TRIGGER melding_historie_alleen_toevoegen
BEFORE UPDATE OR DELETE ON melding_historie
FOR EACH ROW EXECUTE FUNCTION melding_historie_alleen_toevoegen();
CREATE TRIGGER melding_historie_niet_legen
BEFORE TRUNCATE ON melding_historie
FOR EACH STATEMENT EXECUTE FUNCTION melding_historie_alleen_toevoegen();

-- A report sent to an outside party (a housing corporation, a contractor, a neighbouring
-- municipality) by mail with a reply link; their answer comes back without an account. The link's
-- token is stored only as a SHA-256 hash. Retention: the party's address, the message and the answer
-- are blanked when the report is anonymised (rule "doorsturingen", Features/Meldingen), and go with
-- the report when it is deleted.
CREATE TABLE melding_doorsturing (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    melding_id     bigint NOT NULL REFERENCES melding (id) ON DELETE CASCADE,
    partij         text NOT NULL CHECK (length(partij) BETWEEN 1 AND 200),
    email          text NOT NULL CHECK (length(email) <= 254),
    bericht        text CHECK (length(bericht) <= 5000),
    token_hash     bytea NOT NULL UNIQUE CHECK (length(token_hash) = 32),
    medewerker_id  uuid REFERENCES medewerker (id) ON DELETE SET NULL,
    door           text NOT NULL,
    verstuurd_op   timestamptz NOT NULL DEFAULT now(),
    geldig_tot     timestamptz NOT NULL,
    antwoord       text CHECK (length(antwoord) <= 5000),
    beantwoord_door text CHECK (length(beantwoord_door) <= 200),
    beantwoord_op  timestamptz,
    geanonimiseerd boolean NOT NULL DEFAULT false
);
CREATE INDEX melding_doorsturing_melding_idx ON melding_doorsturing (melding_id, verstuurd_op);
-- The triage list's "waiting for an outside party".
CREATE INDEX melding_doorsturing_open_idx ON melding_doorsturing (melding_id) WHERE beantwoord_op IS NULL;
