-- The public map's street windows read reports per 250 m cell (issue "National-scale speed").
-- The map asks for the newest public reports in a window. The newest-first index
-- (melding_kaart_recent_idx) finds them by walking every recent report of the municipality until
-- enough fall in the window: at 1M reports a 600 m window walked ~137,000 index entries for 2,000
-- (EXPLAIN ANALYZE: "Rows Removed by Filter: 134487"), and that walk grows with the municipality's
-- size. This index keeps each 250 m cell's reports together, newest first, so a window reads only
-- the cells it covers: ~8,000 entries for the same answer, whatever else the municipality holds.
-- kaart_cel is the cell's number (RD x / 250 * 10000 + RD y / 250); the query must use the same
-- function for the index to apply (KaartPlekken).
CREATE FUNCTION kaart_cel(locatie geometry) RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT floor(ST_X(locatie) / 250)::integer * 10000 + floor(ST_Y(locatie) / 250)::integer $$;

CREATE INDEX melding_kaart_cel_idx ON melding (kaart_cel(locatie), aangemaakt_op DESC, id DESC)
    INCLUDE (locatie, status, rubriek_id, buurt_code, volgcode);
