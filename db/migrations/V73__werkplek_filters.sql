-- Saved filters on the triage list (issue 19): a staff member saves the list's current selection
-- under a name and applies it later. The query is the list's own query string (?status=open&...),
-- re-read through the same binding as a typed-in address, so nothing in it is trusted.
-- Staff working data, not a resident's: it holds no personal data of melders by design (the form
-- refuses a free-text search term), and it goes with the account (ON DELETE CASCADE).
CREATE TABLE medewerker_filter (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    medewerker_id  uuid NOT NULL REFERENCES medewerker (id) ON DELETE CASCADE,
    naam           text NOT NULL CHECK (length(naam) BETWEEN 1 AND 60),
    query          text NOT NULL CHECK (length(query) <= 1000),
    aangemaakt_op  timestamptz NOT NULL DEFAULT now(),
    UNIQUE (medewerker_id, naam)
);
