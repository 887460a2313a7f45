-- Repeat-location alerts ("signalen") for staff: a background round (web/Features/Wijken/
-- WijkSignalen.cs) looks for places where reports repeat (configured rules, e.g. 3 drugsafval within
-- 100 m in 30 days) and for hexagon cells that became a significant (99 %) Gi* hotspot this week.
-- Each alert is stored once and mailed once to the responsible team; while the place stays active
-- the same alert is updated, never raised again.

-- A team's shared mailbox; alerts go there. Without one they go to the team's wijkprofessionals,
-- and when the team has none, to every wijkprofessional.
ALTER TABLE team ADD COLUMN IF NOT EXISTS email text CHECK (email IS NULL OR length(email) <= 254);

CREATE TABLE wijk_signaal (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- 'herhaling': a configured repeat rule; 'hotspot': a new 99 % Gi* cell this week.
    soort             text NOT NULL CHECK (soort IN ('herhaling', 'hotspot')),
    -- The rule that raised it, e.g. 'drugsafval-100m-3x-30d' or 'hotspot-100m'.
    regel             text NOT NULL,
    -- The place within the rule: the first report's id for a repeat, 'i,j' of the cell for a hotspot.
    -- While an alert is active no second active alert of the same rule and place can exist.
    plek              text NOT NULL,
    -- Where: the centre of the reports (or cell), their extent, buurt and wijk.
    locatie           geometry(Point, 28992) NOT NULL,
    gebied            geometry(Geometry, 28992),
    buurt_code        text NOT NULL REFERENCES buurt (code),
    wijk_code         text NOT NULL REFERENCES wijk (code),
    -- The category the routing rules were asked about (the most frequent one for a hotspot).
    rubriek_id        smallint REFERENCES rubriek (id),
    team_id           smallint REFERENCES team (id),
    aantal            int NOT NULL,
    melding_ids       bigint[] NOT NULL DEFAULT '{}',
    -- One line for the start page and the mail subject, in Dutch.
    omschrijving      text NOT NULL,
    aangemaakt_op     timestamptz NOT NULL DEFAULT now(),
    -- The last round in which the condition still held; actief turns false when it no longer does.
    laatst_gezien_op  timestamptz NOT NULL DEFAULT now(),
    actief            boolean NOT NULL DEFAULT true,
    -- Marked as seen by staff (it leaves the start page).
    gezien_op         timestamptz,
    gezien_door       text,
    gezien_medewerker_id uuid REFERENCES medewerker (id) ON DELETE SET NULL
);
CREATE UNIQUE INDEX wijk_signaal_actief_uniek ON wijk_signaal (regel, plek) WHERE actief;
CREATE INDEX wijk_signaal_locatie_idx ON wijk_signaal USING gist (locatie) WHERE actief;
CREATE INDEX wijk_signaal_gebied_idx ON wijk_signaal USING gist (gebied);
CREATE INDEX wijk_signaal_open_idx ON wijk_signaal (aangemaakt_op DESC) WHERE gezien_op IS NULL;

-- The team responsible for a category in a wijk/buurt: the first active routing rule (V11) that
-- matches, leaving out rules with an hour window (an alert is about a place, not a moment).
CREATE FUNCTION signaal_team(p_rubriek_id smallint, p_wijk_code text, p_buurt_code text) RETURNS smallint
LANGUAGE sql STABLE AS $$
    SELECT rr.team_id
    FROM routeringsregel rr
    WHERE rr.actief AND rr.van_uur IS NULL
      AND (rr.rubriek_id IS NULL OR rr.rubriek_id = p_rubriek_id)
      AND (rr.wijk_code IS NULL OR rr.wijk_code = p_wijk_code)
      AND (rr.buurt_code IS NULL OR rr.buurt_code = p_buurt_code)
    ORDER BY rr.volgorde, rr.id
    LIMIT 1
$$;
