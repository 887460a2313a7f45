-- Outgoing e-mail as a transactional outbox: a feature writes its mail in the same transaction as
-- the change that causes it (web/Mail/Outbox.cs), so a report and its confirmation commit or roll
-- back together; OutboxSender (web/Mail/OutboxSender.cs) sends due rows in the background.
--
-- Retention: the addresses are personal data. Rows with verzonden_op older than
-- Mail:BewaarVerzondenDagen (default 30) are deleted by the sender loop. Unsent rows, including
-- those the sender gave up on, stay until staff deal with them.
CREATE TABLE mail_outbox (
    id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- Idempotency key chosen by the caller, e.g. 'melding-ontvangen:123': the same mail is never
    -- queued twice (INSERT ... ON CONFLICT (sleutel) DO NOTHING).
    sleutel             text NOT NULL UNIQUE,
    aan                 text NOT NULL,
    onderwerp           text NOT NULL,
    -- Plain-text body; always sent. html, when present, is sent as the alternative part.
    tekst               text NOT NULL,
    html                text,
    aangemaakt_op       timestamptz NOT NULL DEFAULT now(),
    -- When the sender may pick the row up. Doubles as the claim: a claimed row is pushed a few
    -- minutes ahead so no other process takes it while it is being sent; after a failure it is
    -- pushed back by the retry backoff; 'infinity' once the sender gave up (after
    -- Mail:MaxPogingen attempts or a permanent refusal). Staff retry a row by setting
    -- volgende_poging_op = now(), pogingen = 0.
    volgende_poging_op  timestamptz NOT NULL DEFAULT now(),
    -- Send attempts started, counted when the row is claimed (so a crash while sending counts too).
    pogingen            int NOT NULL DEFAULT 0,
    -- Short description of the last failure (exception type and message, never a stack trace).
    laatste_fout        text,
    -- Set once the SMTP server accepted the message; a row with verzonden_op is never sent again.
    verzonden_op        timestamptz
);

-- The sender's queue: unsent rows by due time.
CREATE INDEX mail_outbox_te_verzenden_idx ON mail_outbox (volgende_poging_op) WHERE verzonden_op IS NULL;
-- Retention: sent rows by age.
CREATE INDEX mail_outbox_verzonden_idx ON mail_outbox (verzonden_op) WHERE verzonden_op IS NOT NULL;
