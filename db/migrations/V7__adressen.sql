-- Trigram matching for the local address search (LIKE '%...%' and fuzzy word similarity on an index).
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- The municipality's BAG address extract, imported with `infra/wijk import-adressen FILE.csv`.
-- Empty until the municipality imports one: no address is shipped with the code. Used by the local
-- geocoder (search and reverse lookup) when PDOK Locatieserver is switched off or unreachable.
CREATE TABLE adres (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- BAG nummeraanduiding identification (16 digits); the key an import upserts on.
    bag_id      text NOT NULL UNIQUE,
    straat      text NOT NULL,
    huisnummer  integer NOT NULL CHECK (huisnummer > 0),
    -- BAG huisletter (one letter) and huisnummertoevoeging (up to four characters), when present.
    huisletter  text CHECK (huisletter ~ '^[A-Za-z]$'),
    toevoeging  text CHECK (length(toevoeging) BETWEEN 1 AND 4),
    -- PC6 without a space, e.g. 2101AB.
    postcode    text CHECK (postcode ~ '^[1-9][0-9]{3}[A-Z]{2}$'),
    woonplaats  text NOT NULL,
    punt        geometry(Point, 28992) NOT NULL,
    -- Point-in-polygon once at import, like melding: rows outside every buurt are not imported.
    buurt_code  text NOT NULL REFERENCES buurt (code),
    wijk_code   text NOT NULL REFERENCES wijk (code),
    -- How the address is written on one line: "Straat 12a-2".
    adresregel  text GENERATED ALWAYS AS (
                    straat || ' ' || huisnummer::text || coalesce(huisletter, '') || coalesce('-' || toevoeging, '')
                ) STORED,
    -- Lower-case "straat huisnummer[letter] [toevoeging] postcode woonplaats" for prefix, infix and
    -- trigram search; kept by PostgreSQL, never written by the application.
    zoektekst   text GENERATED ALWAYS AS (
                    lower(straat || ' ' || huisnummer::text || coalesce(huisletter, '') || coalesce(' ' || toevoeging, '')
                          || ' ' || coalesce(postcode, '') || ' ' || woonplaats)
                ) STORED
);
CREATE INDEX adres_punt_idx ON adres USING gist (punt);
CREATE INDEX adres_zoektekst_idx ON adres USING gin (zoektekst gin_trgm_ops);
CREATE INDEX adres_postcode_idx ON adres (postcode text_pattern_ops);
CREATE INDEX adres_straat_idx ON adres USING gin (lower(straat) gin_trgm_ops);
