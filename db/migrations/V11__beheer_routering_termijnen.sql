-- Routing rules (which team a new report lands with) and handling targets per category, so the
-- back office can show what is overdue (/beheer/signalering). Anchor: Signalen's routing expressions.

-- Evaluated in order (volgorde, then id); the first active rule that matches wins. An empty
-- condition matches everything. Hours are local time (Europe/Amsterdam), van_uur inclusive and
-- tot_uur exclusive; a window may pass midnight (e.g. 22 to 6).
CREATE TABLE routeringsregel (
    id          int GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    volgorde    int NOT NULL,
    rubriek_id  smallint REFERENCES rubriek (id) ON DELETE CASCADE,
    wijk_code   text REFERENCES wijk (code),
    buurt_code  text REFERENCES buurt (code),
    van_uur     smallint CHECK (van_uur BETWEEN 0 AND 23),
    tot_uur     smallint CHECK (tot_uur BETWEEN 0 AND 24),
    team_id     smallint NOT NULL REFERENCES team (id),
    actief      boolean NOT NULL DEFAULT true,
    CHECK ((van_uur IS NULL) = (tot_uur IS NULL))
);
CREATE INDEX routeringsregel_volgorde_idx ON routeringsregel (volgorde, id) WHERE actief;

INSERT INTO routeringsregel (volgorde, rubriek_id, team_id)
SELECT v.volgorde, r.id, t.id
FROM (VALUES
    (10, 'zorgen-om-iemand',   'zorg'),
    (20, 'drugsafval',         'wijkagenten'),
    (30, 'verdachte-situatie', 'wijkagenten'),
    (40, 'inbraak-diefstal',   'wijkagenten'),
    (50, 'parkeeroverlast',    'handhaving'),
    (60, 'jeugdoverlast',      'handhaving')
) AS v (volgorde, rubriek, team)
JOIN rubriek r ON r.code = v.rubriek
JOIN team t ON t.code = v.team;
-- Youth nuisance at night goes to the police; listed before the daytime rule above by volgorde.
INSERT INTO routeringsregel (volgorde, rubriek_id, van_uur, tot_uur, team_id)
SELECT 55, r.id, 23, 6, t.id FROM rubriek r, team t WHERE r.code = 'jeugdoverlast' AND t.code = 'wijkagenten';
-- Everything else: the wijkcoördinatie team.
INSERT INTO routeringsregel (volgorde, team_id) SELECT 1000, id FROM team WHERE code = 'wijkcoordinatie';

-- Handling target per category: days, counted as working days (Mon–Fri) or calendar days.
ALTER TABLE rubriek
    ADD COLUMN afhandeltermijn_dagen smallint NOT NULL DEFAULT 10 CHECK (afhandeltermijn_dagen BETWEEN 1 AND 365),
    ADD COLUMN termijn_werkdagen boolean NOT NULL DEFAULT true;
UPDATE rubriek SET afhandeltermijn_dagen = 1, termijn_werkdagen = false WHERE code IN ('zorgen-om-iemand', 'drugsafval');
UPDATE rubriek SET afhandeltermijn_dagen = 5 WHERE code IN ('jeugdoverlast', 'parkeeroverlast', 'verdachte-situatie');

-- The moment a report is due: filed + target, skipping weekends for working days.
CREATE FUNCTION plus_termijn(vanaf timestamptz, dagen int, werkdagen boolean) RETURNS timestamptz
LANGUAGE plpgsql STABLE AS $$
DECLARE
    lokaal timestamp := vanaf AT TIME ZONE 'Europe/Amsterdam';
    d date := lokaal::date;
    n int := 0;
BEGIN
    IF NOT werkdagen THEN
        RETURN vanaf + make_interval(days => dagen);
    END IF;
    WHILE n < dagen LOOP
        d := d + 1;
        IF extract(isodow FROM d) < 6 THEN
            n := n + 1;
        END IF;
    END LOOP;
    RETURN (d + lokaal::time) AT TIME ZONE 'Europe/Amsterdam';
END;
$$;

ALTER TABLE melding ADD COLUMN streefdatum timestamptz;
UPDATE melding m SET streefdatum = plus_termijn(m.aangemaakt_op, r.afhandeltermijn_dagen, r.termijn_werkdagen)
FROM rubriek r WHERE r.id = m.rubriek_id;
-- Open reports past their target, for the list and the signalering view.
CREATE INDEX melding_streefdatum_open_idx ON melding (streefdatum)
    WHERE status IN ('gemeld', 'in-behandeling', 'doorgezet', 'heropend');

-- A new report gets its team from the first matching rule and its target date. Runs after
-- melding_plaats_in_gemeente (triggers of one kind fire in name order), so buurt and wijk are known.
CREATE FUNCTION melding_routering() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    uur int := extract(hour FROM NEW.aangemaakt_op AT TIME ZONE 'Europe/Amsterdam');
BEGIN
    IF NEW.team_id IS NULL THEN
        SELECT rr.team_id INTO NEW.team_id
        FROM routeringsregel rr
        WHERE rr.actief
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
$$;
CREATE TRIGGER melding_routering
BEFORE INSERT ON melding
FOR EACH ROW EXECUTE FUNCTION melding_routering();
