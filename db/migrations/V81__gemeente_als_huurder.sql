-- The municipality as tenant (docs/database.md#tenants, infra/SCALE.md#citus).
--
-- Every table that holds one municipality's data gets gemeente_code, and every primary key, unique
-- constraint or index and foreign key between those tables starts with it: the shape Citus needs to
-- distribute them by gemeente_code and keep a report with its history, photos and contact on one node
-- (ArchitectuurTests' catalog check keeps it so). Shared reference data keeps no tenant column: the
-- areas (gemeente, wijk, buurt, the hotspot grid), addresses and postcodes, the status definitions,
-- priorities, themes, the default category set with its questions, the measure types, the roles,
-- holidays (a function), the classifier model and the installation's own tables.
--
-- The tenant comes with the connection: the portal opens its connections with
-- `-c wijk.gemeente=<CBS code>` (Data.Database.CreateDataSource). A row inserted without a
-- gemeente_code gets the connection's, and row-level security lets the app role see and write only
-- rows of that municipality: a query that forgets its municipality filter still reads nothing of
-- another. The owner role (migrations, imports, the demo seed) is not bound by the policies.
--
-- Rows that exist now belong to the municipality this migration runs for: the connection's tenant,
-- else the one municipality loaded.

DO $$
DECLARE
    huurder text := nullif(current_setting('wijk.gemeente', true), '');
BEGIN
    IF huurder IS NULL THEN
        huurder := (SELECT min(code) FROM gemeente HAVING count(*) = 1);
    END IF;
    IF huurder IS NULL THEN
        RAISE EXCEPTION 'V81 needs the municipality the existing rows belong to: connect with -c wijk.gemeente=GMxxxx';
    END IF;
    PERFORM set_config('wijk.gemeente', huurder, true);
END $$;

CREATE TEMP TABLE huurder_tabel (naam text PRIMARY KEY) ON COMMIT DROP;
INSERT INTO huurder_tabel (naam) VALUES
    ('melding'), ('melding_historie'), ('melding_aanvulling'), ('melding_antwoord'), ('melding_beoordeling'),
    ('melding_doorsturing'), ('melding_foto'), ('melding_heropenverzoek'), ('melding_notitie'),
    ('melding_spoed_gemeld'), ('melding_steun'), ('melding_verzoek'), ('melding_volger'), ('melding_vraag'),
    ('melder_contact'), ('mijn_meldingen_link'), ('foto_upload'), ('abonnement'), ('api_sleutel'),
    ('team'), ('routeringsregel'), ('antwoord_sjabloon'),
    ('medewerker'), ('medewerker_rol'), ('medewerker_filter'), ('medewerker_herstelcode'),
    ('wachtwoord_vergeten_poging'), ('audit'), ('mail_outbox'),
    ('wandeling'), ('wandeling_aanmelding'), ('wandeling_foto'), ('wandeling_melding'),
    ('maatregel'), ('maatregel_melding'), ('maatregel_hotspot'), ('maatregel_wandeling'),
    ('wijk_beleving'), ('wijk_verhaal'), ('wijk_signaal'),
    ('wijkbeeld_maand'), ('wijkbeeld_vuil'), ('wijkbeeld_stand'), ('hotspot_maand');

-- The foreign keys between tenant tables, to be made again with gemeente_code in front.
CREATE TEMP TABLE huurder_fk ON COMMIT DROP AS
SELECT k.conrelid::regclass::text AS tabel, k.conname AS naam, pg_get_constraintdef(k.oid) AS def,
       (SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY x.n)
        FROM unnest(k.conkey) WITH ORDINALITY x(attnum, n)
        JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = x.attnum) AS kolommen
FROM pg_constraint k
WHERE k.contype = 'f'
  AND k.conrelid::regclass::text IN (SELECT naam FROM huurder_tabel)
  AND k.confrelid::regclass::text IN (SELECT naam FROM huurder_tabel);

-- Primary keys and unique constraints, and unique indexes that are no constraint (partial ones).
CREATE TEMP TABLE huurder_sleutel ON COMMIT DROP AS
SELECT k.conrelid::regclass::text AS tabel, k.conname AS naam, pg_get_constraintdef(k.oid) AS def
FROM pg_constraint k
WHERE k.contype IN ('p', 'u') AND k.conrelid::regclass::text IN (SELECT naam FROM huurder_tabel);

-- Every other index on a tenant table: btree ones get gemeente_code in front, so the policies'
-- equality is an index condition and the index-only scans stay index-only.
CREATE TEMP TABLE huurder_index ON COMMIT DROP AS
SELECT c.relname AS tabel, ic.relname AS naam, pg_get_indexdef(i.indexrelid) AS def
FROM pg_index i
JOIN pg_class c ON c.oid = i.indrelid
JOIN pg_class ic ON ic.oid = i.indexrelid
JOIN pg_am am ON am.oid = ic.relam
WHERE c.relname IN (SELECT naam FROM huurder_tabel) AND c.relnamespace = 'public'::regnamespace
  AND am.amname = 'btree'
  AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid AND k.contype IN ('p', 'u'));

DO $$
DECLARE
    r record;
BEGIN
    FOR r IN SELECT naam FROM huurder_tabel LOOP
        -- A stable default: the existing rows get this migration's tenant without a table rewrite.
        EXECUTE format(
            'ALTER TABLE %I ADD COLUMN gemeente_code text NOT NULL DEFAULT current_setting(''wijk.gemeente'') '
            || 'CHECK (gemeente_code ~ ''^GM[0-9]{4}$'')', r.naam);
    END LOOP;

    FOR r IN SELECT * FROM huurder_fk LOOP
        EXECUTE format('ALTER TABLE %I DROP CONSTRAINT %I', r.tabel, r.naam);
    END LOOP;

    FOR r IN SELECT * FROM huurder_sleutel LOOP
        EXECUTE format('ALTER TABLE %I DROP CONSTRAINT %I', r.tabel, r.naam);
        EXECUTE format('ALTER TABLE %I ADD CONSTRAINT %I %s', r.tabel, r.naam,
                       regexp_replace(r.def, '^(PRIMARY KEY|UNIQUE( NULLS NOT DISTINCT)?) \(', '\1 (gemeente_code, '));
    END LOOP;

    FOR r IN SELECT * FROM huurder_index LOOP
        EXECUTE format('DROP INDEX %I', r.naam);
        EXECUTE regexp_replace(r.def, ' USING btree \(', ' USING btree (gemeente_code, ');
    END LOOP;

    FOR r IN SELECT * FROM huurder_fk LOOP
        EXECUTE format('ALTER TABLE %I ADD CONSTRAINT %I %s', r.tabel, r.naam,
            regexp_replace(
                regexp_replace(
                    regexp_replace(r.def, '^FOREIGN KEY \(', 'FOREIGN KEY (gemeente_code, '),
                    'REFERENCES ([a-z_]+)\(', 'REFERENCES \1(gemeente_code, '),
                -- SET NULL must leave the tenant column alone (PostgreSQL 15's column list).
                'ON DELETE SET NULL', 'ON DELETE SET NULL (' || r.kolommen || ')'));
    END LOOP;

    -- The second wall: the app role sees and writes only its connection's municipality.
    FOR r IN SELECT naam FROM huurder_tabel LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', r.naam);
        EXECUTE format(
            'CREATE POLICY gemeente ON %I USING (gemeente_code = current_setting(''wijk.gemeente'', true)) '
            || 'WITH CHECK (gemeente_code = current_setting(''wijk.gemeente'', true))', r.naam);
    END LOOP;
END $$;

-- Which tables are a tenant's, for the catalog check and infra/SCALE.md: the owner's list.
CREATE TABLE huurder_tabel_lijst (naam text PRIMARY KEY);
INSERT INTO huurder_tabel_lijst SELECT naam FROM huurder_tabel;
INSERT INTO app_recht (tabel, rechten, waarom) VALUES
    ('huurder_tabel_lijst', '{SELECT}', 'the tables that belong to one municipality (V81)');

-- A report is placed in a buurt of its own municipality: a point in another municipality of the
-- installation is outside, as a point in no municipality is.
CREATE OR REPLACE FUNCTION melding_plaats_in_gemeente() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    gevonden record;
BEGIN
    IF NEW.locatie IS NULL THEN
        RAISE EXCEPTION USING ERRCODE = 'WK001', MESSAGE = 'Melding zonder locatie';
    END IF;
    SELECT b.code, b.wijk_code INTO gevonden
    FROM buurt b
    JOIN wijk w ON w.code = b.wijk_code
    WHERE ST_Covers(b.geom, NEW.locatie) AND w.gemeente_code = NEW.gemeente_code
    ORDER BY b.code
    LIMIT 1;
    IF NOT FOUND THEN
        RAISE EXCEPTION USING
            ERRCODE = 'WK001',
            MESSAGE = 'Locatie ligt buiten de gemeente',
            DETAIL = format('Punt %s valt in geen enkele buurt van gemeente %s.', ST_AsText(NEW.locatie), NEW.gemeente_code);
    END IF;
    NEW.buurt_code := gevonden.code;
    NEW.wijk_code := gevonden.wijk_code;
    RETURN NEW;
END;
$$;

-- The rollup refresh recomputes the dirty months of the connection's municipality only, whichever
-- role runs it (the owner is not bound by the policies). Otherwise as V80.
CREATE OR REPLACE FUNCTION public.wijkbeeld_ververs(celgroottes integer[])
 RETURNS integer
 LANGUAGE plpgsql
AS $function$
DECLARE
    huurder text := current_setting('wijk.gemeente');
    maanden date[];
    nieuwe_groottes int[];
BEGIN
    PERFORM pg_advisory_xact_lock(397020);

    -- New grid sizes: build their cells (shared: the grid covers every loaded municipality) and
    -- recompute every month.
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
        WHERE ST_Intersects(h.geom, gm.geom)
        ON CONFLICT DO NOTHING;
    END IF;
    IF EXISTS (SELECT 1 FROM unnest(celgroottes) g
               WHERE NOT EXISTS (SELECT 1 FROM hotspot_maand c WHERE c.gemeente_code = huurder AND c.celgrootte = g)) THEN
        INSERT INTO wijkbeeld_vuil (gemeente_code, maand)
        SELECT DISTINCT huurder, wijkbeeld_maand_van(aangemaakt_op) FROM melding WHERE gemeente_code = huurder;
    END IF;
    DELETE FROM hotspot_cel WHERE celgrootte <> ALL (celgroottes);
    DELETE FROM hotspot_maand WHERE gemeente_code = huurder AND celgrootte <> ALL (celgroottes);

    WITH weg AS (DELETE FROM wijkbeeld_vuil WHERE gemeente_code = huurder RETURNING maand)
    SELECT array_agg(DISTINCT maand ORDER BY maand) INTO maanden FROM weg;
    IF maanden IS NOT NULL THEN
        DELETE FROM wijkbeeld_maand WHERE gemeente_code = huurder AND maand = ANY (maanden);
        DELETE FROM hotspot_maand WHERE gemeente_code = huurder AND maand = ANY (maanden);

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
            FROM melding_historie hi WHERE hi.gemeente_code = m.gemeente_code AND hi.melding_id = m.id
        ) h ON true
        -- A range the aangemaakt_op index can use, then the exact months.
        WHERE m.gemeente_code = huurder
          AND m.aangemaakt_op >= (maanden[1]::timestamp AT TIME ZONE 'Europe/Amsterdam') - interval '1 day'
          AND m.aangemaakt_op < ((maanden[cardinality(maanden)] + interval '1 month')::timestamp AT TIME ZONE 'Europe/Amsterdam') + interval '1 day'
          AND wijkbeeld_maand_van(m.aangemaakt_op) = ANY (maanden);

        INSERT INTO wijkbeeld_maand (gemeente_code, maand, buurt_code, wijk_code, rubriek_id, aantal, gesloten, heropend,
                                     afgehandeld, doorlooptijd, weekuur)
        SELECT huurder, maand, buurt_code, wijk_code, rubriek_id, count(*),
               count(*) FILTER (WHERE gesloten), count(*) FILTER (WHERE heropend), count(dagen),
               histogram(dagen, 181), histogram(weekuur, 168)
        FROM wijkbeeld_feit
        GROUP BY maand, buurt_code, wijk_code, rubriek_id;

        INSERT INTO hotspot_maand (gemeente_code, celgrootte, maand, rubriek_id, gesloten, i, j, aantal)
        SELECT huurder, g, f.maand, f.rubriek_id, f.gesloten, c.i, c.j, count(*)
        FROM wijkbeeld_feit f
        CROSS JOIN unnest(celgroottes) g
        CROSS JOIN LATERAL hex_cel(f.x, f.y, g) c
        GROUP BY g, f.maand, f.rubriek_id, f.gesloten, c.i, c.j;

        DROP TABLE wijkbeeld_feit;
    END IF;

    INSERT INTO wijkbeeld_stand (gemeente_code, id, bijgewerkt_op) VALUES (huurder, true, now())
    ON CONFLICT (gemeente_code, id) DO UPDATE SET bijgewerkt_op = excluded.bijgewerkt_op;
    RETURN coalesce(cardinality(maanden), 0);
END;
$function$;

-- Routing picks a rule of the report's own municipality, whichever role inserts it.
CREATE OR REPLACE FUNCTION public.melding_routering()
 RETURNS trigger
 LANGUAGE plpgsql
AS $function$
DECLARE
    uur int := extract(hour FROM NEW.aangemaakt_op AT TIME ZONE 'Europe/Amsterdam');
BEGIN
    IF NEW.team_id IS NULL THEN
        SELECT rr.team_id INTO NEW.team_id
        FROM routeringsregel rr
        WHERE rr.gemeente_code = NEW.gemeente_code AND rr.actief
          AND (rr.rubriek_id IS NULL OR rr.rubriek_id = NEW.rubriek_id)
          AND (rr.wijk_code IS NULL OR rr.wijk_code = NEW.wijk_code)
          AND (rr.buurt_code IS NULL OR rr.buurt_code = NEW.buurt_code)
          AND (rr.van_uur IS NULL
               OR (rr.van_uur < rr.tot_uur AND uur >= rr.van_uur AND uur < rr.tot_uur)
               OR (rr.van_uur >= rr.tot_uur AND (uur >= rr.van_uur OR uur < rr.tot_uur)))
        ORDER BY rr.volgorde, rr.id
        LIMIT 1;
    END IF;
    IF NEW.streefdatum IS NULL THEN
        SELECT plus_termijn(NEW.aangemaakt_op, r.afhandeltermijn_dagen, r.termijn_werkdagen) INTO NEW.streefdatum
        FROM rubriek r WHERE r.id = NEW.rubriek_id;
    END IF;
    RETURN NEW;
END;
$function$;
