-- Staff accounts for the back office (ASP.NET Core Identity over Dapper, web/Features/Beheer/Accounts)
-- and the append-only audit trail of everything staff do. Residents never have an account.

-- Teams a report can be assigned to (routing lands new reports with a team).
CREATE TABLE team (
    id     smallint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code   text NOT NULL UNIQUE CHECK (code ~ '^[a-z0-9-]+$'),
    naam   text NOT NULL,
    actief boolean NOT NULL DEFAULT true
);
INSERT INTO team (code, naam) VALUES
    ('wijkcoordinatie', 'Wijkcoördinatie'),
    ('handhaving',      'Handhaving (BOA''s)'),
    ('wijkagenten',     'Wijkagenten'),
    ('zorg',            'Zorg en veiligheid');

CREATE TABLE medewerker (
    id                      uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    email                   text NOT NULL CHECK (length(email) <= 254),
    -- Identity's normalised (upper-case) e-mail, used as the user name: one account per address.
    email_genormaliseerd    text NOT NULL UNIQUE,
    naam                    text NOT NULL CHECK (length(naam) BETWEEN 1 AND 200),
    -- The framework's PBKDF2 hash (PasswordHasher); null until an invited person sets a password.
    wachtwoord_hash         text,
    -- Changes whenever credentials change; invalidates invitation links and other sessions.
    security_stamp          text NOT NULL,
    concurrency_stamp       text NOT NULL,
    email_bevestigd         boolean NOT NULL DEFAULT false,
    -- Lockout after repeated failed sign-ins (Identity's lockout options).
    lockout_ingeschakeld    boolean NOT NULL DEFAULT true,
    lockout_tot             timestamptz,
    mislukte_pogingen       int NOT NULL DEFAULT 0,
    -- Authenticator-app (TOTP) two-factor sign-in; the key is the shared secret.
    tweestaps_actief        boolean NOT NULL DEFAULT false,
    authenticator_sleutel   text,
    team_id                 smallint REFERENCES team (id),
    aangemaakt_op           timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE rol (
    code                 text PRIMARY KEY,
    code_genormaliseerd  text NOT NULL UNIQUE,
    naam                 text NOT NULL,
    concurrency_stamp    text
);
INSERT INTO rol (code, code_genormaliseerd, naam) VALUES
    ('wijkprofessional', 'WIJKPROFESSIONAL', 'Wijkprofessional (meldingen behandelen)'),
    ('organisator',      'ORGANISATOR',      'Organisator (wijkwandelingen)'),
    ('beheerder',        'BEHEERDER',        'Beheerder (accounts, categorieën, instellingen)');

CREATE TABLE medewerker_rol (
    medewerker_id  uuid NOT NULL REFERENCES medewerker (id) ON DELETE CASCADE,
    rol            text NOT NULL REFERENCES rol (code) ON DELETE CASCADE,
    PRIMARY KEY (medewerker_id, rol)
);

-- Every staff action, append-only: who, when, what, and the state before and after as JSON.
-- No foreign keys on purpose: the trail outlives the rows it describes.
CREATE TABLE audit (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tijdstip       timestamptz NOT NULL DEFAULT now(),
    medewerker_id  uuid,
    -- The staff member's name at the time (or 'systeem').
    door           text NOT NULL,
    -- What happened, e.g. 'status', 'toewijzen', 'notitie', 'contact-bekeken', 'medewerker-uitgenodigd'.
    actie          text NOT NULL,
    melding_id     bigint,
    voor           jsonb,
    na             jsonb
);
CREATE INDEX audit_melding_idx ON audit (melding_id, tijdstip) WHERE melding_id IS NOT NULL;

CREATE FUNCTION audit_alleen_toevoegen() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit is append-only' USING ERRCODE = 'WK002';
END;
$$;
CREATE TRIGGER audit_alleen_toevoegen
BEFORE UPDATE OR DELETE ON audit
FOR EACH ROW EXECUTE FUNCTION audit_alleen_toevoegen();
CREATE TRIGGER audit_niet_legen
BEFORE TRUNCATE ON audit
FOR EACH STATEMENT EXECUTE FUNCTION audit_alleen_toevoegen();
