-- Wijkwandelingen (issue: neighbourhood walks): organisers plan walks, residents sign up without an
-- account, what is seen on a walk becomes reports.
CREATE TABLE wandeling (
    id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    titel              text NOT NULL CHECK (length(titel) BETWEEN 3 AND 200),
    wijk_code          text NOT NULL REFERENCES wijk (code),
    begint_op          timestamptz NOT NULL,
    duur_minuten       int NOT NULL CHECK (duur_minuten BETWEEN 15 AND 480),
    -- Where participants meet, and the route (drawn on the map), in RD New.
    startpunt          geometry(Point, 28992) NOT NULL,
    startpunt_naam     text NOT NULL CHECK (length(startpunt_naam) <= 200),
    route              geometry(LineString, 28992),
    omschrijving       text NOT NULL DEFAULT '' CHECK (length(omschrijving) <= 5000),
    -- Accessibility information (wheelchair, pace, stairs ...), shown to residents.
    toegankelijkheid   text NOT NULL DEFAULT '' CHECK (length(toegankelijkheid) <= 2000),
    -- Places for residents (people, not sign-ups: one sign-up may bring more people).
    capaciteit         int NOT NULL CHECK (capaciteit BETWEEN 1 AND 500),
    status             text NOT NULL DEFAULT 'concept' CHECK (status IN ('concept', 'gepubliceerd', 'geannuleerd')),
    -- Staff account that organises it (back office); NULL for walks made outside it.
    organisator        text,
    aangemaakt_op      timestamptz NOT NULL DEFAULT now(),
    gewijzigd_op       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX wandeling_begint_idx ON wandeling (begint_op);
CREATE INDEX wandeling_startpunt_idx ON wandeling USING gist (startpunt);
CREATE INDEX wandeling_route_idx ON wandeling USING gist (route);

-- Sign-ups. Personal data (name, e-mail) is visible to organisers only and deleted a configurable
-- time after the walk. Cancelled sign-ups are deleted at once.
CREATE TABLE wandeling_aanmelding (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    wandeling_id    bigint NOT NULL REFERENCES wandeling (id) ON DELETE CASCADE,
    naam            text NOT NULL CHECK (length(naam) BETWEEN 1 AND 200),
    email           text NOT NULL CHECK (length(email) <= 254),
    aantal_personen int NOT NULL DEFAULT 1 CHECK (aantal_personen BETWEEN 1 AND 10),
    -- 'deelnemer' holds places; 'wachtlijst' waits in order of aangemeld_op.
    soort           text NOT NULL CHECK (soort IN ('deelnemer', 'wachtlijst')),
    -- SHA-256 of the token in the personal cancel link.
    sleutel_hash    bytea NOT NULL UNIQUE,
    aangemeld_op    timestamptz NOT NULL DEFAULT clock_timestamp(),
    -- Set when the day-before reminder was queued (it is queued once).
    herinnerd_op    timestamptz,
    UNIQUE (wandeling_id, email)
);
CREATE INDEX wandeling_aanmelding_wandeling_idx ON wandeling_aanmelding (wandeling_id, soort, aangemeld_op);

-- Open reports an organiser attaches to a walk as places to visit.
CREATE TABLE wandeling_melding (
    wandeling_id  bigint NOT NULL REFERENCES wandeling (id) ON DELETE CASCADE,
    melding_id    bigint NOT NULL REFERENCES melding (id) ON DELETE CASCADE,
    PRIMARY KEY (wandeling_id, melding_id)
);

-- Reports recorded on a walk (observations) point to it; they go through triage like any other.
ALTER TABLE melding ADD COLUMN wandeling_id bigint REFERENCES wandeling (id) ON DELETE SET NULL;
CREATE INDEX melding_wandeling_idx ON melding (wandeling_id) WHERE wandeling_id IS NOT NULL;
