-- The CBS area hierarchy: gemeente > wijk > buurt. Geometry in RD New (EPSG:28992) so that distances,
-- grids and point-in-polygon checks work in metres; served to Leaflet with ST_Transform(..., 4326).
CREATE TABLE gemeente (
    code      text PRIMARY KEY CHECK (code ~ '^GM[0-9]{4}$'),
    naam      text NOT NULL,
    inwoners  integer,
    geom      geometry(MultiPolygon, 28992) NOT NULL
);
CREATE INDEX gemeente_geom_idx ON gemeente USING gist (geom);

CREATE TABLE wijk (
    code           text PRIMARY KEY CHECK (code ~ '^WK[0-9]{6}$'),
    gemeente_code  text NOT NULL REFERENCES gemeente (code),
    naam           text NOT NULL,
    -- CBS Kerncijfers wijken en buurten (inhabitants, rounded by CBS to multiples of 5).
    inwoners       integer,
    geom           geometry(MultiPolygon, 28992) NOT NULL
);
CREATE INDEX wijk_geom_idx ON wijk USING gist (geom);

CREATE TABLE buurt (
    code                text PRIMARY KEY CHECK (code ~ '^BU[0-9]{8}$'),
    wijk_code           text NOT NULL REFERENCES wijk (code),
    naam                text NOT NULL,
    -- CBS StatLine's shorter name ("... e.o."), handy in tables and charts.
    naam_kort           text NOT NULL,
    inwoners            integer,
    inwoners_0tot15     integer,
    inwoners_65plus     integer,
    huishoudens         integer,
    oppervlakte_land_ha integer,
    -- CBS "meest voorkomende postcode" (PC4), used by the local address-search fallback.
    postcode_pc4        text,
    geom                geometry(MultiPolygon, 28992) NOT NULL
);
CREATE INDEX buurt_geom_idx ON buurt USING gist (geom);
CREATE INDEX buurt_wijk_idx ON buurt (wijk_code);

-- PC4 postcode centroids (GeoNames), for the local address-search fallback. Not addresses.
CREATE TABLE postcode_pc4 (
    postcode  text PRIMARY KEY CHECK (postcode ~ '^[0-9]{4}$'),
    plaats    text NOT NULL,
    punt      geometry(Point, 28992) NOT NULL
);
CREATE INDEX postcode_pc4_punt_idx ON postcode_pc4 USING gist (punt);
