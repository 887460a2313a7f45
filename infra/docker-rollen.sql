-- Run once by the postgis image when it initialises its data volume (docker-entrypoint-initdb.d,
-- after the image's own 10_postgis.sh made PostGIS in wijkmeldingen), as the superuser "wijk".
-- The two roles of docs/database.md#roles: the owner role owns the database and runs the migrations;
-- the portal serves requests as the app role, which owns nothing (V51 grants it what it needs).
-- Passwords are for this local compose setup only.
CREATE ROLE wijk_eigenaar LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD 'wijk_eigenaar';
CREATE ROLE wijk_app LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD 'wijk_app';
ALTER DATABASE wijkmeldingen OWNER TO wijk_eigenaar;
