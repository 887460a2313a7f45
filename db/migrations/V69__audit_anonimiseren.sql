-- Retention by the law, the audit trail (issue 21). Staff actions copied free texts into the audit
-- rows of a report (a note's text, a message to the melder, a moderation reason, an answer to a
-- request) and its exact place (lat/lon of an 'aanpassen'); anonymising a report after five years
-- (V62) and deleting a withdrawn one left those copies in the append-only trail, which the app role may
-- only add to (V51).
--
-- audit_anonimiseren(ids) blanks exactly those fields, and only in the audit rows of reports that are
-- anonymised (melding.geanonimiseerd_op set); who did what, when, on which report, and every number
-- and code (status, team, category, buurt) stay. It runs with its owner's rights (SECURITY DEFINER,
-- a fixed search_path), so the app role can call it from the clean-up rules without being able to
-- UPDATE or DELETE audit rows itself. The append-only trigger lets an UPDATE through only inside this
-- function, and only one that blanks (NEW = audit_zonder_tekst(OLD), nothing else changed); every
-- other UPDATE, any DELETE or TRUNCATE is still refused, also for the owner.

-- An audit row's JSON with every free text and exact coordinate blanked (set to null; the key stays so
-- the trail shows that something was there): strings except the codes listed, lat/lon, and nested
-- objects or arrays. Not an object: a string becomes null, anything else stays.
CREATE FUNCTION audit_zonder_tekst(j jsonb) RETURNS jsonb
LANGUAGE sql IMMUTABLE
SET search_path = public, pg_temp
AS $$
    SELECT CASE
        WHEN j IS NULL THEN NULL
        WHEN jsonb_typeof(j) = 'string' THEN 'null'::jsonb
        WHEN jsonb_typeof(j) <> 'object' THEN j
        ELSE (
            SELECT coalesce(jsonb_object_agg(e.k, CASE
                WHEN e.k IN ('lat', 'lon') THEN 'null'::jsonb
                WHEN jsonb_typeof(e.v) IN ('object', 'array') THEN 'null'::jsonb
                WHEN jsonb_typeof(e.v) = 'string'
                     AND e.k NOT IN ('status', 'partner', 'verzoek', 'soort', 'buurt', 'wijk', 'hoofdVolgcode', 'richting')
                    THEN 'null'::jsonb
                ELSE e.v
            END), '{}'::jsonb)
            FROM jsonb_each(j) AS e(k, v)
        )
    END
$$;

-- The append-only trigger: refuses everything but the blanking above, inside audit_anonimiseren.
CREATE OR REPLACE FUNCTION audit_alleen_toevoegen() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE'
       AND current_setting('wijk.audit_anonimiseren', true) = 'aan'
       AND NEW.id = OLD.id AND NEW.tijdstip = OLD.tijdstip AND NEW.door = OLD.door AND NEW.actie = OLD.actie
       AND NEW.medewerker_id IS NOT DISTINCT FROM OLD.medewerker_id
       AND NEW.melding_id IS NOT DISTINCT FROM OLD.melding_id
       AND NEW.voor IS NOT DISTINCT FROM audit_zonder_tekst(OLD.voor)
       AND NEW.na IS NOT DISTINCT FROM audit_zonder_tekst(OLD.na)
       AND EXISTS (SELECT 1 FROM melding m WHERE m.id = OLD.melding_id AND m.geanonimiseerd_op IS NOT NULL)
    THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'audit is append-only' USING ERRCODE = 'WK002';
END;
$$;

-- Blanks the free texts and exact places in the audit rows of the given reports that are anonymised;
-- returns how many rows changed. Called by the clean-up rules (web/Domein/Bewaartermijnen.cs) in the
-- transaction that anonymises or deletes the reports.
CREATE FUNCTION audit_anonimiseren(melding_ids bigint[]) RETURNS int
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
DECLARE
    gewijzigd int;
BEGIN
    PERFORM set_config('wijk.audit_anonimiseren', 'aan', true);
    UPDATE audit a SET voor = audit_zonder_tekst(a.voor), na = audit_zonder_tekst(a.na)
    FROM melding m
    WHERE a.melding_id = m.id AND m.id = ANY (melding_ids) AND m.geanonimiseerd_op IS NOT NULL
      AND (a.voor IS DISTINCT FROM audit_zonder_tekst(a.voor) OR a.na IS DISTINCT FROM audit_zonder_tekst(a.na));
    GET DIAGNOSTICS gewijzigd = ROW_COUNT;
    PERFORM set_config('wijk.audit_anonimiseren', '', true);
    RETURN gewijzigd;
END;
$$;
REVOKE EXECUTE ON FUNCTION audit_anonimiseren(bigint[]) FROM PUBLIC;
-- (app_rechten_geven grants EXECUTE on it to the app role, as on every function of the owner.)

-- Reports anonymised before this migration: their audit rows now.
SELECT audit_anonimiseren(coalesce(array_agg(id), '{}')) FROM melding WHERE geanonimiseerd_op IS NOT NULL;

-- Retention of confirmed buurt subscriptions and staff accounts (issue 21). A confirmed subscription
-- runs Kaart:AbonnementMaanden (default 12) from its confirmation or last renewal; a reminder with a
-- renewal link goes out Kaart:AbonnementHerinneringDagen before the end (herinnerd_op), and without a
-- renewal the subscription and its address are deleted (BuurtDigest.VerlopenAbonnementen).
ALTER TABLE abonnement ADD COLUMN verlengd_op timestamptz;
ALTER TABLE abonnement ADD COLUMN herinnerd_op timestamptz;

-- A deactivated staff account is anonymised Beheer:GedeactiveerdBewarenDagen (default 180) after it was
-- switched off (Features/Beheer/MedewerkerOpschonen.cs): name, address, password hash and two-step key
-- go; the row stays so assignments and the audit trail keep pointing at someone.
ALTER TABLE medewerker ADD COLUMN gedeactiveerd_op timestamptz;
ALTER TABLE medewerker ADD COLUMN geanonimiseerd_op timestamptz;
-- Accounts already switched off start their term now.
UPDATE medewerker SET gedeactiveerd_op = now() WHERE NOT actief;

-- Whatever switches an account off or on (the staff page, the demo seed), the moment is kept here.
CREATE FUNCTION medewerker_gedeactiveerd_op() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.actief THEN
        NEW.gedeactiveerd_op := NULL;
    ELSIF OLD.actief THEN
        NEW.gedeactiveerd_op := now();
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER medewerker_gedeactiveerd_op
BEFORE UPDATE OF actief ON medewerker
FOR EACH ROW EXECUTE FUNCTION medewerker_gedeactiveerd_op();
CREATE INDEX medewerker_gedeactiveerd_idx ON medewerker (gedeactiveerd_op) WHERE gedeactiveerd_op IS NOT NULL AND geanonimiseerd_op IS NULL;
