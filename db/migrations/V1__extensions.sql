-- PostGIS first: every later migration uses geometry types and EPSG:28992 (RD New, metres).
CREATE EXTENSION IF NOT EXISTS postgis;
-- gen_random_bytes() for unguessable tracking codes.
CREATE EXTENSION IF NOT EXISTS pgcrypto;
