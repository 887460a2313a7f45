-- The public map and "follow my buurt" (issue: public map). What the public sees of a report is
-- decided in one place, here, so the map, the list, the feeds, the digests and the tracking page agree.

-- The public place of a report, in RD New, or NULL when the category is never public:
--   'exact'     snapped to the centre of a raster cell of `raster` metres (default 25 m),
--   'grof'      snapped to the centre of a 250 m cell,
--   'verborgen' NULL: never on a public map, list, feed or digest.
CREATE FUNCTION publiek_punt(locatie geometry, openbaarheid text, raster double precision DEFAULT 25)
RETURNS geometry
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE openbaarheid
        WHEN 'exact' THEN ST_SetSRID(ST_MakePoint(floor(ST_X(locatie) / raster) * raster + raster / 2,
                                                  floor(ST_Y(locatie) / raster) * raster + raster / 2), 28992)
        WHEN 'grof'  THEN ST_SetSRID(ST_MakePoint(floor(ST_X(locatie) / 250) * 250 + 125,
                                                  floor(ST_Y(locatie) / 250) * 250 + 125), 28992)
    END
$$;


-- E-mail subscriptions to new public reports in a buurt or around a point. Only the address and the
-- area are kept; a subscription is deleted on unsubscribe, and unconfirmed ones after a week.
CREATE TABLE abonnement (
    id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email               text NOT NULL CHECK (length(email) <= 254),
    buurt_code          text REFERENCES buurt (code),
    -- Or a circle: centre and radius in metres.
    punt                geometry(Point, 28992),
    straal_m            int CHECK (straal_m BETWEEN 50 AND 2000),
    -- Readable name of the area for e-mails ("Buurt Centrum", "500 m rond Binnenweg 1").
    gebied_naam         text NOT NULL,
    frequentie          text NOT NULL CHECK (frequentie IN ('dagelijks', 'wekelijks')),
    -- SHA-256 of the token in the confirm and unsubscribe links.
    sleutel_hash        bytea NOT NULL UNIQUE,
    aangemaakt_op       timestamptz NOT NULL DEFAULT now(),
    -- Double opt-in: no digest before the address owner confirmed.
    bevestigd_op        timestamptz,
    -- Reports filed before this moment have been considered for a digest (watermark).
    gezien_tot          timestamptz NOT NULL DEFAULT now(),
    laatst_verzonden_op timestamptz,
    CHECK ((buurt_code IS NOT NULL) <> (punt IS NOT NULL AND straal_m IS NOT NULL))
);
CREATE INDEX abonnement_bevestigd_idx ON abonnement (bevestigd_op) WHERE bevestigd_op IS NOT NULL;
CREATE INDEX abonnement_punt_idx ON abonnement USING gist (punt);
