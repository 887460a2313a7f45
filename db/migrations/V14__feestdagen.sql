-- Handling targets in working days skip Dutch public holidays (back office issue), as the
-- municipality does not work on them: Nieuwjaarsdag, 2e Paasdag, Koningsdag (27 April, 26 April
-- when the 27th is a Sunday), Bevrijdingsdag (5 May: every year for municipal staff, CAO Gemeenten),
-- Hemelvaartsdag, 2e Pinksterdag, 1e and 2e Kerstdag. 1e Paas- and Pinksterdag are Sundays anyway.

-- Easter Sunday of a year (Gregorian calendar, anonymous Gregorian algorithm).
CREATE FUNCTION paaszondag(jaar int) RETURNS date
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
    a int := jaar % 19;
    b int := jaar / 100;
    c int := jaar % 100;
    d int := b / 4;
    e int := b % 4;
    f int := (b + 8) / 25;
    g int := (b - f + 1) / 3;
    h int := (19 * a + b - d - g + 15) % 30;
    i int := c / 4;
    k int := c % 4;
    l int := (32 + 2 * e + 2 * i - h - k) % 7;
    m int := (a + 11 * h + 22 * l) / 451;
    maand int := (h + l - 7 * m + 114) / 31;
    dag int := ((h + l - 7 * m + 114) % 31) + 1;
BEGIN
    RETURN make_date(jaar, maand, dag);
END;
$$;

CREATE FUNCTION is_feestdag(d date) RETURNS boolean
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
    jaar int := extract(year FROM d)::int;
    pasen date := paaszondag(jaar);
    koningsdag date := make_date(jaar, 4, 27);
BEGIN
    IF extract(isodow FROM koningsdag) = 7 THEN
        koningsdag := koningsdag - 1;
    END IF;
    RETURN d IN (make_date(jaar, 1, 1), pasen + 1, koningsdag, make_date(jaar, 5, 5), pasen + 39, pasen + 50,
                 make_date(jaar, 12, 25), make_date(jaar, 12, 26));
END;
$$;

-- Same signature as V11: filed + target, skipping weekends and public holidays for working days.
CREATE OR REPLACE FUNCTION plus_termijn(vanaf timestamptz, dagen int, werkdagen boolean) RETURNS timestamptz
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
        IF extract(isodow FROM d) < 6 AND NOT is_feestdag(d) THEN
            n := n + 1;
        END IF;
    END LOOP;
    RETURN (d + lokaal::time) AT TIME ZONE 'Europe/Amsterdam';
END;
$$;

-- Open reports get their target again under the new rule (closed ones keep theirs: history).
UPDATE melding m SET streefdatum = plus_termijn(m.aangemaakt_op, r.afhandeltermijn_dagen, r.termijn_werkdagen)
FROM rubriek r
WHERE r.id = m.rubriek_id AND r.termijn_werkdagen
  AND m.status IN ('gemeld', 'in-behandeling', 'doorgezet', 'heropend');
