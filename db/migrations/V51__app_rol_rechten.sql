-- Two database roles (docs/database.md#roles): the owner role runs these migrations and owns every
-- table, sequence and function; the app role the portal serves requests with owns nothing and gets
-- only the privileges below. Not owning, the app role cannot ALTER or DROP a table, nor disable or
-- drop a trigger (the audit trail's append-only triggers among them).
--
-- app_rechten_geven(rol) gives the app role its privileges on everything the calling owner owns in
-- this schema and sets the owner's default privileges, so tables of later migrations get them too.
-- The migrator calls it after every run (Data.DatabaseMigrator) when the app connects as another role
-- than the migrations; it only grants or revokes what differs, so a second call changes nothing.

-- Tables whose privileges differ from the default (SELECT, INSERT, UPDATE, DELETE). A later migration
-- that adds a reference or append-only table adds a row here.
CREATE TABLE app_recht (
    tabel   text PRIMARY KEY,
    -- What the app role may do; anything else on the table is revoked.
    rechten text[] NOT NULL CHECK (rechten <@ ARRAY['SELECT', 'INSERT', 'UPDATE', 'DELETE']),
    waarom  text NOT NULL
);
INSERT INTO app_recht (tabel, rechten, waarom) VALUES
    ('audit', '{SELECT,INSERT}', 'append-only audit trail: staff actions are added, never changed or removed'),
    ('schema_migraties', '{SELECT}', 'Evolve''s record of applied migrations; /health/ready reads it'),
    ('app_recht', '{}', 'this list'),
    ('gemeente', '{SELECT}', 'reference data: boundaries from db/seed/reference, loaded by the migrations'),
    ('wijk', '{SELECT}', 'reference data: boundaries'),
    ('buurt', '{SELECT}', 'reference data: boundaries'),
    ('postcode_pc4', '{SELECT}', 'reference data: postcode areas'),
    ('adres', '{SELECT}', 'reference data: the BAG extract, loaded by the import-adressen command (owner)'),
    ('meldingstatus', '{SELECT}', 'reference data: the life cycle''s states'),
    ('prioriteit', '{SELECT}', 'reference data: the plan''s priorities'),
    ('thema', '{SELECT}', 'reference data: themes'),
    ('spatial_ref_sys', '{SELECT}', 'PostGIS''s coordinate systems, when the owner created the extension');

CREATE FUNCTION app_rechten_geven(app_rol text) RETURNS int
LANGUAGE plpgsql
SET search_path = public, pg_temp
AS $$
DECLARE
    eigenaar oid := (SELECT oid FROM pg_roles WHERE rolname = current_user);
    app oid := (SELECT oid FROM pg_roles WHERE rolname = app_rol);
    ns oid := 'public'::regnamespace;
    r record;
    recht text;
    gewenst text[];
    gewijzigd int := 0;
BEGIN
    IF app IS NULL THEN
        RAISE EXCEPTION 'role % does not exist: create the app role first (docs/database.md#roles)', app_rol;
    END IF;
    IF app = eigenaar THEN
        RAISE EXCEPTION 'the app role must not be the owner role %', app_rol;
    END IF;
    IF pg_has_role(app, eigenaar, 'USAGE') THEN
        RAISE EXCEPTION 'the app role % is a member of the owner role %: it would own what the owner owns', app_rol, current_user;
    END IF;
    IF NOT has_database_privilege(app, current_database(), 'CONNECT') THEN
        EXECUTE format('GRANT CONNECT ON DATABASE %I TO %I', current_database(), app_rol);
        gewijzigd := gewijzigd + 1;
    END IF;
    IF NOT has_schema_privilege(app, ns, 'USAGE') THEN
        EXECUTE format('GRANT USAGE ON SCHEMA public TO %I', app_rol);
        gewijzigd := gewijzigd + 1;
    END IF;

    -- Tables, views: the default four, or what app_recht says; never TRUNCATE, REFERENCES, TRIGGER.
    FOR r IN
        SELECT c.oid, c.relname FROM pg_class c
        WHERE c.relnamespace = ns AND c.relowner = eigenaar AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
    LOOP
        gewenst := coalesce((SELECT a.rechten FROM app_recht a WHERE a.tabel = r.relname), ARRAY['SELECT', 'INSERT', 'UPDATE', 'DELETE']);
        FOREACH recht IN ARRAY ARRAY['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE', 'REFERENCES', 'TRIGGER'] LOOP
            IF recht = ANY (gewenst) AND NOT has_table_privilege(app, r.oid, recht) THEN
                EXECUTE format('GRANT %s ON TABLE %I TO %I', recht, r.relname, app_rol);
                gewijzigd := gewijzigd + 1;
            ELSIF NOT recht = ANY (gewenst) AND EXISTS (
                SELECT 1 FROM pg_class c, aclexplode(c.relacl) x
                WHERE c.oid = r.oid AND x.grantee = app AND x.privilege_type = recht
            ) THEN
                EXECUTE format('REVOKE %s ON TABLE %I FROM %I', recht, r.relname, app_rol);
                gewijzigd := gewijzigd + 1;
            END IF;
        END LOOP;
    END LOOP;

    -- Sequences: nextval and currval.
    FOR r IN SELECT c.relname FROM pg_class c WHERE c.relnamespace = ns AND c.relowner = eigenaar AND c.relkind = 'S' LOOP
        IF NOT has_sequence_privilege(app, format('%I', r.relname), 'USAGE') THEN
            EXECUTE format('GRANT USAGE, SELECT ON SEQUENCE %I TO %I', r.relname, app_rol);
            gewijzigd := gewijzigd + 1;
        END IF;
    END LOOP;

    -- Functions (the triggers' and the queries'), except this one.
    FOR r IN
        SELECT p.oid FROM pg_proc p
        WHERE p.pronamespace = ns AND p.proowner = eigenaar AND p.proname <> 'app_rechten_geven'
          AND p.prokind IN ('f', 'a', 'w')
    LOOP
        IF NOT has_function_privilege(app, r.oid, 'EXECUTE') THEN
            EXECUTE format('GRANT EXECUTE ON FUNCTION %s TO %I', r.oid::regprocedure, app_rol);
            gewijzigd := gewijzigd + 1;
        END IF;
    END LOOP;

    -- What later migrations create gets the same (app_recht rows then narrow it at the next call).
    IF NOT EXISTS (
        SELECT 1 FROM pg_default_acl d, aclexplode(d.defaclacl) x
        WHERE d.defaclrole = eigenaar AND d.defaclnamespace = ns AND d.defaclobjtype = 'r'
          AND x.grantee = app AND x.privilege_type = 'DELETE'
    ) THEN
        EXECUTE format(
            'ALTER DEFAULT PRIVILEGES FOR ROLE %I IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO %I',
            current_user, app_rol
        );
        gewijzigd := gewijzigd + 1;
    END IF;
    IF NOT EXISTS (
        SELECT 1 FROM pg_default_acl d, aclexplode(d.defaclacl) x
        WHERE d.defaclrole = eigenaar AND d.defaclnamespace = ns AND d.defaclobjtype = 'S'
          AND x.grantee = app AND x.privilege_type = 'USAGE'
    ) THEN
        EXECUTE format(
            'ALTER DEFAULT PRIVILEGES FOR ROLE %I IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO %I', current_user, app_rol
        );
        gewijzigd := gewijzigd + 1;
    END IF;
    IF NOT EXISTS (
        SELECT 1 FROM pg_default_acl d, aclexplode(d.defaclacl) x
        WHERE d.defaclrole = eigenaar AND d.defaclnamespace = ns AND d.defaclobjtype = 'f'
          AND x.grantee = app AND x.privilege_type = 'EXECUTE'
    ) THEN
        EXECUTE format('ALTER DEFAULT PRIVILEGES FOR ROLE %I IN SCHEMA public GRANT EXECUTE ON FUNCTIONS TO %I', current_user, app_rol);
        gewijzigd := gewijzigd + 1;
    END IF;
    RETURN gewijzigd;
END;
$$;
-- Only the owner (who runs the migrations) calls it.
REVOKE EXECUTE ON FUNCTION app_rechten_geven(text) FROM PUBLIC;
