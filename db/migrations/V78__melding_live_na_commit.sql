-- Filing sends the live list's notification itself, right after its commit, instead of from the
-- INSERT trigger inside the filing transaction (issue "National-scale speed"). A NOTIFY inside a
-- transaction takes a database-wide lock at commit and holds it across the commit's WAL flush, so
-- every filing waited for the previous one's flush (pg_stat_activity: Lock:object was the most
-- frequent wait; pgbench of the filing transaction did 1,054/s with 16 clients with the trigger and
-- 1,889/s without). A NOTIFY in a transaction of its own writes no WAL, so it holds the lock only
-- for a moment. The filing transaction says so with the local setting wijk.live_na_commit; every
-- other insert (demo data, imports, tools) and every update still notifies from the trigger.
CREATE OR REPLACE FUNCTION melding_live_melden() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    ids bigint[];
    aantal bigint;
BEGIN
    IF TG_OP = 'INSERT' AND current_setting('wijk.live_na_commit', true) = 'aan' THEN
        RETURN NULL;
    END IF;
    SELECT array_agg(id ORDER BY id), count(*) INTO ids, aantal
    FROM (SELECT id FROM nieuw ORDER BY id LIMIT 100) eerste;
    IF aantal > 0 THEN
        SELECT count(*) INTO aantal FROM nieuw;
        PERFORM pg_notify('melding_live', json_build_object('soort', lower(TG_OP), 'ids', ids, 'aantal', aantal)::text);
    END IF;
    RETURN NULL;
END;
$$;
