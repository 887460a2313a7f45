-- Issue 18, what residents ask for (web/Features/Melding/Bewoners.cs):
-- "Ik heb dit ook" (support an existing public report instead of filing a duplicate) and
-- "Nog niet opgelost" (anyone may say a closed public report is not fixed; staff decide).
-- No account and no personal data: one per person is a signed cookie in the resident's own browser
-- plus a hash of (salt of the day, client address, report). The salt of the day is random and is
-- deleted after a day, the hashes after two (Opschonen rules 'bewoner-zout' and 'bewoner-ip-hash'),
-- so no address can be recovered from what stays: the count and the time.

-- The count staff sort on (triage "meeste steun") and the public page shows.
ALTER TABLE melding ADD COLUMN steun_aantal integer NOT NULL DEFAULT 0 CHECK (steun_aantal >= 0);

CREATE TABLE bewoner_zout (
    dag   date PRIMARY KEY,
    zout  bytea NOT NULL
);

CREATE TABLE melding_steun (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    melding_id   bigint NOT NULL REFERENCES melding (id) ON DELETE CASCADE,
    ip_dag_hash  bytea,
    gegeven_op   timestamptz NOT NULL DEFAULT now()
);
-- One per client address per report per day (the cookie covers the rest of the time).
CREATE UNIQUE INDEX melding_steun_eenmaal ON melding_steun (melding_id, ip_dag_hash) WHERE ip_dag_hash IS NOT NULL;
CREATE INDEX melding_steun_melding_idx ON melding_steun (melding_id);
CREATE INDEX melding_steun_hash_idx ON melding_steun (gegeven_op) WHERE ip_dag_hash IS NOT NULL;

-- "Nog niet opgelost": a reopen request from anyone; staff accept (the report is reopened with a
-- history entry) or reject (with a reason). Never an automatic reopen.
CREATE TABLE melding_heropenverzoek (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    melding_id      bigint NOT NULL REFERENCES melding (id) ON DELETE CASCADE,
    toelichting     text CHECK (toelichting IS NULL OR length(toelichting) <= 1000),
    ip_dag_hash     bytea,
    gegeven_op      timestamptz NOT NULL DEFAULT now(),
    status          text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'geaccepteerd', 'afgewezen')),
    reden           text CHECK (reden IS NULL OR length(reden) <= 2000),
    behandeld_door  text,
    behandeld_op    timestamptz
);
CREATE UNIQUE INDEX melding_heropenverzoek_eenmaal ON melding_heropenverzoek (melding_id, ip_dag_hash)
    WHERE ip_dag_hash IS NOT NULL;
CREATE INDEX melding_heropenverzoek_open_idx ON melding_heropenverzoek (melding_id) WHERE status = 'open';
CREATE INDEX melding_heropenverzoek_hash_idx ON melding_heropenverzoek (gegeven_op) WHERE ip_dag_hash IS NOT NULL;

-- The app role gets its rights on the new tables through the default privileges (V51).

-- A question from staff to the melder (web/Features/Meldingen/Acties/VraagActie.cs): mailed through
-- the outbox with a link holding a token (only its SHA-256 hash is kept), answered without signing in
-- (web/Features/Melding/Vraag.cshtml), once, before it expires. The answer is the melder's own text:
-- it goes with the report's other texts when the report is anonymised or deleted (Opschonen rule
-- 'melder-vraag').
CREATE TABLE melding_vraag (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    melding_id     bigint NOT NULL REFERENCES melding (id) ON DELETE CASCADE,
    vraag          text NOT NULL CHECK (length(vraag) BETWEEN 1 AND 2000),
    gesteld_door   text NOT NULL,
    gesteld_op     timestamptz NOT NULL DEFAULT now(),
    sleutel_hash   bytea NOT NULL UNIQUE,
    verloopt_op    timestamptz NOT NULL,
    antwoord       text CHECK (antwoord IS NULL OR length(antwoord) <= 2000),
    beantwoord_op  timestamptz
);
CREATE INDEX melding_vraag_melding_idx ON melding_vraag (melding_id);
