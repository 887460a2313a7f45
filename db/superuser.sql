-- What only a superuser may do in the portal's database, run before the migrations by infra/wijk,
-- the test set-up (tests/Shared/TestDatabase.cs) and the Docker image's first start. Idempotent.

-- PostGIS is an untrusted extension: the owner role cannot create it (V1 then finds it).
CREATE EXTENSION IF NOT EXISTS postgis;

-- Row-level security (V81) lets the planner use a condition as an index condition only when its
-- function is leakproof; otherwise it must first check the policy on every row of the municipality.
-- PostGIS does not mark its functions so, and without this the spatial indexes are not used for the
-- app role: the nearby-reports check at filing took 194 ms instead of 23 ms at 1,000,000 reports
-- (measured, docs/database.md#tenants). These functions reveal nothing about a row they reject: the
-- bounding-box and distance tests return true or false, and their only errors (mixed SRIDs, a bad
-- LIKE pattern) depend on the query's own arguments and the column's fixed SRID.
ALTER FUNCTION geometry_overlaps(geometry, geometry) LEAKPROOF;
ALTER FUNCTION geometry_distance_centroid(geometry, geometry) LEAKPROOF;
ALTER FUNCTION st_dwithin(geometry, geometry, double precision) LEAKPROOF;
ALTER FUNCTION st_intersects(geometry, geometry) LEAKPROOF;
ALTER FUNCTION texticlike(text, text) LEAKPROOF;
