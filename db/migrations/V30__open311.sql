-- Open311 GeoReport v2 (issue: Open311 API). API keys for POST requests, stored as SHA-256 only:
-- the key itself is shown once when it is made.
CREATE TABLE api_sleutel (
    id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- Who uses the key (an app, a partner system), for people managing keys.
    naam               text NOT NULL CHECK (length(naam) BETWEEN 1 AND 200),
    sleutel_hash       bytea NOT NULL UNIQUE,
    aangemaakt_op      timestamptz NOT NULL DEFAULT now(),
    ingetrokken_op     timestamptz,
    laatst_gebruikt_op timestamptz
);

-- Which key filed a report through the API (NULL for the web form).
ALTER TABLE melding ADD COLUMN api_sleutel_id bigint REFERENCES api_sleutel (id);
