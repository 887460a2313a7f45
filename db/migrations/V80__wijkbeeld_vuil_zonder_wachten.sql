-- Filing no longer waits for the wijk picture's refresh (issue "National-scale speed").
-- Every filing marks its month dirty in wijkbeeld_vuil with INSERT ... ON CONFLICT DO NOTHING. The
-- refresh (wijkbeeld_ververs) deletes the marks at its start and recomputes those months in the same
-- transaction, which at 1M reports takes seconds for the current month. A filing whose mark met the
-- refresh's uncommitted delete of the same key waited, on the unique index, until the refresh
-- committed: pg_stat_statements over 300 filings showed the refresh taking 5,200 ms and the filing
-- trigger's insert into wijkbeeld_vuil waiting 5,139 ms - the filing p99 stalls of the benchmark.
-- The marks are now a log without a unique key: a filing always appends its month (no wait, as
-- nothing can conflict; ON CONFLICT DO NOTHING in older statements stays valid and does nothing), and
-- the refresh deletes the marks its snapshot sees and recomputes each month once. A mark appended
-- while a refresh runs is not visible to its delete, so it stays for the next refresh: no filing's
-- month is missed (a "skip when a mark exists" rule would miss it, as the existing mark may be the
-- one the refresh is deleting).
ALTER TABLE wijkbeeld_vuil DROP CONSTRAINT wijkbeeld_vuil_pkey;

CREATE OR REPLACE FUNCTION public.wijkbeeld_ververs(celgroottes integer[])
 RETURNS integer
 LANGUAGE plpgsql
AS $function$
DECLARE
    maanden date[];
    nieuwe_groottes int[];
BEGIN
    PERFORM pg_advisory_xact_lock(397020);

    -- New grid sizes: build their cells and recompute every month.
    SELECT coalesce(array_agg(g), '{}') INTO nieuwe_groottes
    FROM unnest(celgroottes) g
    WHERE NOT EXISTS (SELECT 1 FROM hotspot_cel c WHERE c.celgrootte = g);
    IF cardinality(nieuwe_groottes) > 0 THEN
        INSERT INTO hotspot_cel (celgrootte, i, j, buurt_code, geom)
        SELECT g, h.i, h.j,
               coalesce((SELECT b.code FROM buurt b WHERE ST_Covers(b.geom, ST_Centroid(h.geom)) ORDER BY b.code LIMIT 1),
                        (SELECT b.code FROM buurt b WHERE ST_Intersects(b.geom, h.geom)
                         ORDER BY ST_Area(ST_Intersection(b.geom, h.geom)) DESC, b.code LIMIT 1)),
               h.geom
        FROM unnest(nieuwe_groottes) g
        CROSS JOIN gemeente gm
        CROSS JOIN LATERAL ST_HexagonGrid(g, gm.geom) h
        WHERE ST_Intersects(h.geom, gm.geom);
        INSERT INTO wijkbeeld_vuil (maand)
        SELECT DISTINCT wijkbeeld_maand_van(aangemaakt_op) FROM melding
        ON CONFLICT DO NOTHING;
    END IF;
    DELETE FROM hotspot_cel WHERE celgrootte <> ALL (celgroottes);
    DELETE FROM hotspot_maand WHERE celgrootte <> ALL (celgroottes);

    WITH weg AS (DELETE FROM wijkbeeld_vuil RETURNING maand)
    SELECT array_agg(DISTINCT maand ORDER BY maand) INTO maanden FROM weg;
    IF maanden IS NOT NULL THEN
        DELETE FROM wijkbeeld_maand WHERE maand = ANY (maanden);
        DELETE FROM hotspot_maand WHERE maand = ANY (maanden);

        CREATE TEMP TABLE wijkbeeld_feit ON COMMIT DROP AS
        SELECT wijkbeeld_maand_van(m.aangemaakt_op) AS maand, m.buurt_code, m.wijk_code, m.rubriek_id,
               s.gesloten, coalesce(h.heropend, false) AS heropend,
               floor(extract(epoch FROM h.afgehandeld_op - m.aangemaakt_op) / 86400)::int AS dagen,
               ((extract(isodow FROM m.aangemaakt_op AT TIME ZONE 'Europe/Amsterdam')::int - 1) * 24
                + extract(hour FROM m.aangemaakt_op AT TIME ZONE 'Europe/Amsterdam')::int) AS weekuur,
               ST_X(m.locatie) AS x, ST_Y(m.locatie) AS y
        FROM melding m
        JOIN meldingstatus s ON s.code = m.status
        LEFT JOIN LATERAL (
            SELECT min(hi.tijdstip) FILTER (WHERE hi.naar_status = 'afgehandeld') AS afgehandeld_op,
                   bool_or(hi.naar_status = 'heropend') AS heropend
            FROM melding_historie hi WHERE hi.melding_id = m.id
        ) h ON true
        -- A range the aangemaakt_op index can use, then the exact months.
        WHERE m.aangemaakt_op >= (maanden[1]::timestamp AT TIME ZONE 'Europe/Amsterdam') - interval '1 day'
          AND m.aangemaakt_op < ((maanden[cardinality(maanden)] + interval '1 month')::timestamp AT TIME ZONE 'Europe/Amsterdam') + interval '1 day'
          AND wijkbeeld_maand_van(m.aangemaakt_op) = ANY (maanden);

        INSERT INTO wijkbeeld_maand (maand, buurt_code, wijk_code, rubriek_id, aantal, gesloten, heropend,
                                     afgehandeld, doorlooptijd, weekuur)
        SELECT maand, buurt_code, wijk_code, rubriek_id, count(*),
               count(*) FILTER (WHERE gesloten), count(*) FILTER (WHERE heropend), count(dagen),
               histogram(dagen, 181), histogram(weekuur, 168)
        FROM wijkbeeld_feit
        GROUP BY maand, buurt_code, wijk_code, rubriek_id;

        INSERT INTO hotspot_maand (celgrootte, maand, rubriek_id, gesloten, i, j, aantal)
        SELECT g, f.maand, f.rubriek_id, f.gesloten, c.i, c.j, count(*)
        FROM wijkbeeld_feit f
        CROSS JOIN unnest(celgroottes) g
        CROSS JOIN LATERAL hex_cel(f.x, f.y, g) c
        GROUP BY g, f.maand, f.rubriek_id, f.gesloten, c.i, c.j;

        DROP TABLE wijkbeeld_feit;
    END IF;

    INSERT INTO wijkbeeld_stand (id, bijgewerkt_op) VALUES (true, now())
    ON CONFLICT (id) DO UPDATE SET bijgewerkt_op = excluded.bijgewerkt_op;
    RETURN coalesce(cardinality(maanden), 0);
END;
$function$

;
