-- The live triage list: every statement that files or changes reports (status, assignment, team,
-- category, ...) tells the web nodes which reports changed, through PostgreSQL's own bus
-- (NOTIFY melding_live). One notification per statement, not per row, so a bulk load of a million
-- reports costs one message; the payload names at most 100 ids (a NOTIFY payload must stay under
-- 8000 bytes) and says how many rows there were. Notifications are sent at commit, so a listener
-- never hears of a report it cannot read yet.
CREATE FUNCTION melding_live_melden() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    ids bigint[];
    aantal bigint;
BEGIN
    SELECT array_agg(id ORDER BY id), count(*) INTO ids, aantal
    FROM (SELECT id FROM nieuw ORDER BY id LIMIT 100) eerste;
    IF aantal > 0 THEN
        SELECT count(*) INTO aantal FROM nieuw;
        PERFORM pg_notify('melding_live', json_build_object('soort', lower(TG_OP), 'ids', ids, 'aantal', aantal)::text);
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER melding_live_nieuw AFTER INSERT ON melding
    REFERENCING NEW TABLE AS nieuw FOR EACH STATEMENT EXECUTE FUNCTION melding_live_melden();
CREATE TRIGGER melding_live_gewijzigd AFTER UPDATE ON melding
    REFERENCING NEW TABLE AS nieuw FOR EACH STATEMENT EXECUTE FUNCTION melding_live_melden();
