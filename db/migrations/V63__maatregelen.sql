-- Measures (maatregelen, issue 20): what the municipality does about reports. Staff record what,
-- where (a point, a line or an area in RD New, inside the municipality; its buurt and wijk are derived
-- once, like a report's), when (gepland, lopend, afgerond with dates), who is responsible, and which
-- reports it answers. The public sees them per wijk and on the map, with a before/after count of
-- comparable reports in the area (web/Features/Maatregelen).
--
-- The app role gets SELECT, INSERT, UPDATE, DELETE on these tables through the default privileges
-- of V51 (app_rechten_geven runs after every migration), like every other feature table.

CREATE TABLE maatregel_type (
    code   text PRIMARY KEY,
    naam   text NOT NULL,
    volgorde smallint NOT NULL
);
INSERT INTO maatregel_type (code, naam, volgorde) VALUES
    ('handhaving', 'Extra handhaving', 1),
    ('camera', 'Camera', 2),
    ('verkeersdrempel', 'Verkeersdrempel', 3),
    ('opruimactie', 'Opruimactie', 4),
    ('gesprek', 'Gesprek met bewoners', 5),
    ('overig', 'Overig', 6);
INSERT INTO app_recht (tabel, rechten, waarom) VALUES
    ('maatregel_type', '{SELECT}', 'reference data: the starting list of kinds of measures');

CREATE TABLE maatregel (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    type_code       text NOT NULL REFERENCES maatregel_type (code),
    titel           text NOT NULL CHECK (length(titel) BETWEEN 1 AND 200),
    omschrijving    text NOT NULL CHECK (length(omschrijving) BETWEEN 1 AND 5000),
    -- A point, a line or an area; always inside the municipality (checked by the application).
    geom            geometry(Geometry, 28992) NOT NULL
                    CHECK (GeometryType(geom) IN ('POINT', 'LINESTRING', 'POLYGON') AND ST_IsValid(geom)),
    -- The buurt and wijk of a point on the geometry (ST_PointOnSurface), set when saved.
    buurt_code      text NOT NULL REFERENCES buurt (code),
    wijk_code       text NOT NULL REFERENCES wijk (code),
    status          text NOT NULL CHECK (status IN ('gepland', 'lopend', 'afgerond')),
    -- Local dates: planned or actual start, and end (planned or actual).
    start_datum     date NOT NULL,
    eind_datum      date CHECK (eind_datum IS NULL OR eind_datum >= start_datum),
    verantwoordelijke text NOT NULL CHECK (length(verantwoordelijke) BETWEEN 1 AND 200),
    aangemaakt_door text NOT NULL,
    aangemaakt_op   timestamptz NOT NULL DEFAULT now(),
    gewijzigd_op    timestamptz NOT NULL DEFAULT now(),
    -- Set by the notification round in the same transaction as the mails it queued, so followers and
    -- subscribers are told once that the measure started, and once that it is done.
    start_gemeld_op timestamptz,
    klaar_gemeld_op timestamptz,
    CHECK (status <> 'afgerond' OR eind_datum IS NOT NULL)
);
CREATE INDEX maatregel_geom_idx ON maatregel USING gist (geom);
CREATE INDEX maatregel_wijk_idx ON maatregel (wijk_code, start_datum DESC);
CREATE INDEX maatregel_melden_idx ON maatregel (id) WHERE start_gemeld_op IS NULL OR klaar_gemeld_op IS NULL;

-- The reports a measure answers.
CREATE TABLE maatregel_melding (
    maatregel_id  bigint NOT NULL REFERENCES maatregel (id) ON DELETE CASCADE,
    melding_id    bigint NOT NULL REFERENCES melding (id) ON DELETE CASCADE,
    PRIMARY KEY (maatregel_id, melding_id)
);
CREATE INDEX maatregel_melding_melding_idx ON maatregel_melding (melding_id);
