-- The public map's viewport query (PubliekeMeldingen.PuntenAsync): reports of the last N days in a
-- window, newest first, at most Kaart:MaxPunten. Measured at 1,000,000 reports (infra/wijk bench,
-- README Benchmarks) it read every report in the window, of all three years, from the heap.
--
-- Dense windows (thousands of recent reports): a newest-first scan that stops after MaxPunten
-- matches, reading the window test and every joined column from the index itself (index-only scan;
-- the heap is not touched for rows outside the window). 25,000 index tuples instead of 25,000 heap
-- rows: the scan went from 49 ms to 7 ms in the densest 600 m window.
CREATE INDEX melding_kaart_recent_idx ON melding (aangemaakt_op DESC, id DESC)
    INCLUDE (locatie, status, rubriek_id, buurt_code, volgcode);

-- Sparser windows (fewer recent reports than MaxPunten): the window and the period in one GiST
-- index, so only recent reports in the window are fetched (btree_gist adds timestamptz to GiST).
-- A medium window went from 50-99 ms to 33 ms, a sparse one from 9-19 ms to 2-8 ms.
CREATE EXTENSION IF NOT EXISTS btree_gist;
CREATE INDEX melding_locatie_aangemaakt_idx ON melding USING gist (locatie, aangemaakt_op);
