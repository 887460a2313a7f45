-- The safety picture of a wijk and the hotspot maps read per-month rollups, never the report table
-- itself (PERFORMANCE.md: roll up by month, bin hexagons arithmetically, precompute). Reports mark
-- their month "dirty" through statement-level triggers; wijkbeeld_ververs() recomputes the dirty
-- months (the app calls it on a timer, see web/Features/Wijken/WijkbeeldVerversen.cs).
-- Months are calendar months in Europe/Amsterdam time; all categories are rolled up (the public
-- pages leave out rubriek.openbaarheid = 'verborgen' when they read).

-- The hexagon cell (i, j) of ST_HexagonGrid(zijde, ...) that holds the point (x, y), computed from
-- the coordinates (PERFORMANCE.md: 6x faster than joining grid polygons, identical cells).
-- ST_HexagonGrid puts cell (i, j) with its centre at (1.5 * zijde * i, sqrt(3) * zijde * (j + (i odd ? 1/2 : 0)))
-- with flat-topped hexagons of edge `zijde`; this converts to axial coordinates, rounds in cube
-- coordinates to the nearest centre and converts back to ST_HexagonGrid's (i, j). A set-returning
-- SQL function so the planner inlines it.
CREATE FUNCTION hex_cel(x float8, y float8, zijde float8)
RETURNS TABLE (i int, j int)
LANGUAGE sql IMMUTABLE PARALLEL SAFE ROWS 1 AS $$
    SELECT q, r + (q - (q & 1)) / 2
    FROM (
        SELECT (CASE WHEN dq > dr AND dq > ds THEN -rr - rs ELSE rq END)::int AS q,
               (CASE WHEN dq > dr AND dq > ds THEN rr WHEN dr > ds THEN -rq - rs ELSE rr END)::int AS r
        FROM (
            SELECT rq, rr, rs, abs(rq - fq) AS dq, abs(rr - fr) AS dr, abs(rs - (-fq - fr)) AS ds
            FROM (
                SELECT fq, fr, round(fq) AS rq, round(fr) AS rr, round(-fq - fr) AS rs
                FROM (SELECT x * 2.0 / 3.0 / zijde AS fq, (sqrt(3.0) / 3.0 * y - x / 3.0) / zijde AS fr) a
            ) b
        ) c
    ) d
$$;

-- One histogram bucket up: the state array has n buckets, k (0-based) is clipped to the last one.
CREATE FUNCTION histogram_tel(toestand int[], k int, n int) RETURNS int[]
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
BEGIN
    IF toestand IS NULL THEN
        toestand := array_fill(0, ARRAY[n]);
    END IF;
    IF k IS NOT NULL THEN
        k := least(greatest(k, 0), n - 1) + 1;
        toestand[k] := toestand[k] + 1;
    END IF;
    RETURN toestand;
END;
$$;
-- histogram(k, n): an int[n] with how often each 0-based bucket k occurred (NULL k counts nowhere).
CREATE AGGREGATE histogram(int, int) (SFUNC = histogram_tel, STYPE = int[]);

-- som_array(a): element-wise sum of equally long int[] (histograms of several months or buurten).
CREATE FUNCTION som_array_stap(a bigint[], b int[]) RETURNS bigint[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN a IS NULL THEN b::bigint[]
                ELSE ARRAY(SELECT x + y FROM unnest(a, b) WITH ORDINALITY AS u(x, y, k) ORDER BY k) END
$$;
CREATE AGGREGATE som_array(int[]) (SFUNC = som_array_stap, STYPE = bigint[]);

-- Per month x buurt x category: what the wijk picture shows.
CREATE TABLE wijkbeeld_maand (
    maand        date NOT NULL,
    buurt_code   text NOT NULL REFERENCES buurt (code),
    wijk_code    text NOT NULL REFERENCES wijk (code),
    rubriek_id   smallint NOT NULL REFERENCES rubriek (id),
    -- Reports filed in the month.
    aantal       int NOT NULL,
    -- Of those, how many are now in a closed state (meldingstatus.gesloten): "share handled".
    gesloten     int NOT NULL,
    -- Of those, how many were ever reopened (a 'heropend' row in melding_historie).
    heropend     int NOT NULL,
    -- Of those, how many reached 'afgehandeld' (first time), and after how many whole days:
    -- doorlooptijd[k + 1] = reports afgehandeld after k days, the last of 181 buckets is "180 or more".
    afgehandeld  int NOT NULL,
    doorlooptijd int[] NOT NULL,
    -- When in the week (local time): weekuur[(isodow - 1) * 24 + hour + 1], 168 buckets, Monday 00h first.
    weekuur      int[] NOT NULL,
    PRIMARY KEY (maand, buurt_code, rubriek_id)
);
CREATE INDEX wijkbeeld_maand_wijk_idx ON wijkbeeld_maand (wijk_code, maand);

-- Hexagon cells of each grid size in use that intersect the municipality (cells without reports
-- count as zeros in Gi*), with the buurt that holds the cell's centre (else the one it overlaps most).
CREATE TABLE hotspot_cel (
    celgrootte  int NOT NULL CHECK (celgrootte BETWEEN 10 AND 5000),
    i           int NOT NULL,
    j           int NOT NULL,
    buurt_code  text NOT NULL REFERENCES buurt (code),
    geom        geometry(Polygon, 28992) NOT NULL,
    PRIMARY KEY (celgrootte, i, j)
);
CREATE INDEX hotspot_cel_geom_idx ON hotspot_cel USING gist (geom);

-- Per grid size x month x category x open/closed x cell: report counts for the hotspot maps.
CREATE TABLE hotspot_maand (
    celgrootte  int NOT NULL,
    maand       date NOT NULL,
    rubriek_id  smallint NOT NULL REFERENCES rubriek (id),
    gesloten    boolean NOT NULL,
    i           int NOT NULL,
    j           int NOT NULL,
    aantal      int NOT NULL,
    PRIMARY KEY (celgrootte, maand, rubriek_id, gesloten, i, j)
);

-- Months whose rollup rows are out of date.
CREATE TABLE wijkbeeld_vuil (maand date PRIMARY KEY);

-- When the rollups were last brought up to date (one row).
CREATE TABLE wijkbeeld_stand (
    id              boolean PRIMARY KEY DEFAULT true CHECK (id),
    bijgewerkt_op   timestamptz NOT NULL
);

CREATE FUNCTION wijkbeeld_maand_van(t timestamptz) RETURNS date
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT date_trunc('month', t AT TIME ZONE 'Europe/Amsterdam')::date $$;

-- Statement-level triggers: one insert into wijkbeeld_vuil per statement, also for a bulk seed.
CREATE FUNCTION wijkbeeld_markeer_nieuw() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO wijkbeeld_vuil (maand)
    SELECT DISTINCT wijkbeeld_maand_van(aangemaakt_op) FROM nieuw
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END;
$$;
CREATE FUNCTION wijkbeeld_markeer_oud() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO wijkbeeld_vuil (maand)
    SELECT DISTINCT wijkbeeld_maand_van(aangemaakt_op) FROM oud
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END;
$$;
CREATE FUNCTION wijkbeeld_markeer_historie() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO wijkbeeld_vuil (maand)
    SELECT DISTINCT wijkbeeld_maand_van(m.aangemaakt_op)
    FROM melding m WHERE m.id IN (SELECT melding_id FROM nieuw)
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END;
$$;
CREATE TRIGGER wijkbeeld_melding_ins AFTER INSERT ON melding
REFERENCING NEW TABLE AS nieuw FOR EACH STATEMENT EXECUTE FUNCTION wijkbeeld_markeer_nieuw();
CREATE TRIGGER wijkbeeld_melding_upd_nieuw AFTER UPDATE ON melding
REFERENCING NEW TABLE AS nieuw FOR EACH STATEMENT EXECUTE FUNCTION wijkbeeld_markeer_nieuw();
CREATE TRIGGER wijkbeeld_melding_upd_oud AFTER UPDATE ON melding
REFERENCING OLD TABLE AS oud FOR EACH STATEMENT EXECUTE FUNCTION wijkbeeld_markeer_oud();
CREATE TRIGGER wijkbeeld_melding_del AFTER DELETE ON melding
REFERENCING OLD TABLE AS oud FOR EACH STATEMENT EXECUTE FUNCTION wijkbeeld_markeer_oud();
CREATE TRIGGER wijkbeeld_historie_ins AFTER INSERT ON melding_historie
REFERENCING NEW TABLE AS nieuw FOR EACH STATEMENT EXECUTE FUNCTION wijkbeeld_markeer_historie();

-- Recompute the rollups of the dirty months (and of every month for a grid size that has no rows
-- yet). celgroottes: the hexagon edge lengths in metres the app uses. Returns the months done.
-- One refresher at a time (advisory lock); readers see the old rows until it commits.
CREATE FUNCTION wijkbeeld_ververs(celgroottes int[]) RETURNS int
LANGUAGE plpgsql AS $$
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
    SELECT array_agg(maand ORDER BY maand) INTO maanden FROM weg;
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
$$;

-- Published stories behind the numbers: a wijkprofessional's narrative per wijk per period. Written
-- and published from the back office (not built yet); the public wijk page shows published ones.
CREATE TABLE wijk_verhaal (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    wijk_code       text NOT NULL REFERENCES wijk (code),
    -- The months the story is about, [van, tot] inclusive (first days of months).
    van             date NOT NULL,
    tot             date NOT NULL CHECK (tot >= van),
    titel           text NOT NULL CHECK (length(titel) BETWEEN 1 AND 200),
    -- Plain text, paragraphs separated by blank lines; never HTML.
    tekst           text NOT NULL CHECK (length(tekst) BETWEEN 1 AND 10000),
    auteur          text NOT NULL,
    -- NULL until published; only published stories are public.
    gepubliceerd_op timestamptz
);
CREATE INDEX wijk_verhaal_wijk_idx ON wijk_verhaal (wijk_code, van);
