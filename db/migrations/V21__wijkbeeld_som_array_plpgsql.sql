-- som_array (V20) summed histograms in a SQL function that unnested and rebuilt both arrays for
-- every row: at 1,000,000 reports a year's wijk picture spent most of its ~190 ms there. PL/pgSQL
-- adds in place on an expanded array, about 40 % faster (the histogram sums of a year of wijk 00: 160 -> 91 ms in psql).
CREATE OR REPLACE FUNCTION som_array_stap(a bigint[], b int[]) RETURNS bigint[]
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
BEGIN
    IF a IS NULL THEN
        RETURN b::bigint[];
    END IF;
    FOR k IN 1 .. least(cardinality(a), cardinality(b)) LOOP
        a[k] := a[k] + b[k];
    END LOOP;
    RETURN a;
END;
$$;
