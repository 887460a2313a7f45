-- Measures (issue 20), second part: besides reports, a measure answers hotspots (a Gi* or "unusual for
-- this place" cell of a period, as the staff hotspot map shows it) and walks (the walk as a whole; a
-- walk's findings are reports filed from it, linked through maatregel_melding). The public sees the
-- hotspots coarsened to the public grid, and the walk's public report lists the measures that came
-- from it (web/Features/Maatregelen).

-- A linked hotspot: the reference as staff copied it from /beheer/hotspots (Domein.HotspotVerwijzing,
-- e.g. 'gi/100/12,-3/2025-01/2025-12/rubriek=jeugdoverlast'), its parts, and what it was when linked
-- (checked against the engine then: a hot Gi* cell or an unusual one).
CREATE TABLE maatregel_hotspot (
    maatregel_id  bigint NOT NULL REFERENCES maatregel (id) ON DELETE CASCADE,
    verwijzing    text NOT NULL CHECK (length(verwijzing) <= 300),
    laag          text NOT NULL CHECK (laag IN ('gi', 'ongewoon')),
    celgrootte    int NOT NULL CHECK (celgrootte BETWEEN 10 AND 5000),
    i             int NOT NULL,
    j             int NOT NULL,
    van           date NOT NULL,
    tot           date NOT NULL CHECK (tot >= van),
    thema         text,
    rubriek       text,
    gesloten      boolean,
    -- The buurt of the cell (hotspot_cel), and its count and score when it was linked.
    buurt_code    text NOT NULL REFERENCES buurt (code),
    aantal        bigint NOT NULL,
    score         double precision NOT NULL,
    PRIMARY KEY (maatregel_id, verwijzing)
);

-- A walk the measure came from (besides its findings, which are linked as reports).
CREATE TABLE maatregel_wandeling (
    maatregel_id  bigint NOT NULL REFERENCES maatregel (id) ON DELETE CASCADE,
    wandeling_id  bigint NOT NULL REFERENCES wandeling (id) ON DELETE CASCADE,
    PRIMARY KEY (maatregel_id, wandeling_id)
);
CREATE INDEX maatregel_wandeling_wandeling_idx ON maatregel_wandeling (wandeling_id);

-- Walks: a sign-up for several people can be checked in partly (3 signed up, 2 came). aanwezig_personen
-- is how many of the sign-up's people are present when not all of them are; NULL with aanwezig_op set
-- means all of them (as before this column). Attendance figures count
-- coalesce(aanwezig_personen, aantal_personen) of the rows with aanwezig_op.
ALTER TABLE wandeling_aanmelding ADD COLUMN aanwezig_personen int;
ALTER TABLE wandeling_aanmelding ADD CONSTRAINT wandeling_aanmelding_aanwezig_personen_check
    CHECK (aanwezig_personen IS NULL OR (aanwezig_op IS NOT NULL AND aanwezig_personen BETWEEN 1 AND aantal_personen));

CREATE OR REPLACE FUNCTION wandeling_deelnemers_bewaren() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE wandeling w
    SET deelnemers_na_afloop = (SELECT coalesce(sum(coalesce(a.aanwezig_personen, a.aantal_personen)), 0) FROM wandeling_aanmelding a
                                WHERE a.wandeling_id = w.id AND a.aanwezig_op IS NOT NULL)
    WHERE w.id = OLD.wandeling_id AND w.deelnemers_na_afloop IS NULL AND w.status = 'gepubliceerd'
      AND w.begint_op + make_interval(mins => w.duur_minuten) < now();
    RETURN OLD;
END;
$$;

-- Demo measures (development only, Features.Maatregelen.MaatregelenDemo): wiped with seed --opnieuw.
ALTER TABLE maatregel ADD COLUMN is_demo boolean NOT NULL DEFAULT false;
