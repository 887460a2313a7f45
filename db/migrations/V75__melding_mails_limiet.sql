-- Issue 19, the mails a report caused and the forgot-password limit over all web nodes.
--
-- 1. mail_outbox.melding_id: the report a mail is about (status and satisfaction mails, the staff
--    question, the forward to an outside party, the urgent team mail, the receipt and follow
--    confirmations), so the staff report page lists them with their state and "send again".
--    Nullable: most mail is about no report (digests, walks, accounts). No foreign key on purpose:
--    a TRUNCATE ... CASCADE of the town's data must not empty the outbox; the report's anonymisation
--    and deletion (Domein/Bewaartermijnen) delete its mails by this column instead.
--    A staff "send again" queues a copy under the key 'opnieuw:<id>:<original key>', so a second
--    click (or a second node) finds the key taken and queues nothing.
ALTER TABLE mail_outbox ADD COLUMN melding_id bigint;
CREATE INDEX mail_outbox_melding_idx ON mail_outbox (melding_id) WHERE melding_id IS NOT NULL;

-- Backfill: the keys that name the report, or a row that belongs to one.
UPDATE mail_outbox o SET melding_id = m.id
FROM melding m
WHERE o.melding_id IS NULL
  AND o.sleutel ~ '^(melding-ontvangen|spoed|melding-doorgestuurd):[0-9]{1,18}(:|$)'
  AND m.id = split_part(o.sleutel, ':', 2)::bigint;
UPDATE mail_outbox o SET melding_id = v.melding_id
FROM melding_volger v
WHERE o.melding_id IS NULL AND o.sleutel ~ '^melding-volgen:[0-9]{1,18}$' AND v.id = split_part(o.sleutel, ':', 2)::bigint;
UPDATE mail_outbox o SET melding_id = v.melding_id
FROM melding_vraag v
WHERE o.melding_id IS NULL AND o.sleutel ~ '^melding-vraag:[0-9]{1,18}$' AND v.id = split_part(o.sleutel, ':', 2)::bigint;
UPDATE mail_outbox o SET melding_id = h.melding_id
FROM melding_historie h
WHERE o.melding_id IS NULL AND o.sleutel ~ '^melding-bericht:[0-9]{1,18}:' AND h.id = split_part(o.sleutel, ':', 2)::bigint;
UPDATE mail_outbox o SET melding_id = b.melding_id
FROM melding_beoordeling b
WHERE o.melding_id IS NULL AND o.sleutel ~ '^heropen-antwoord:[0-9]{1,18}$' AND b.id = split_part(o.sleutel, ':', 2)::bigint;

-- 2. The forgot-password limit per client address, counted here so every web node shares it
--    (it was an in-memory limiter per node): one row per allowed request, counted over the last hour
--    (a sliding window). The address is kept only as a SHA-256 hash. That is still personal data (an
--    IPv4 hash can be reversed by trying them all): rows go after a day (the retention rule
--    "wachtwoord-vergeten tellers" in Features/Beheer, shown in the privacy statement).
CREATE TABLE wachtwoord_vergeten_poging (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    adres_hash  bytea NOT NULL CHECK (length(adres_hash) = 32),
    tijdstip    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX wachtwoord_vergeten_poging_adres_idx ON wachtwoord_vergeten_poging (adres_hash, tijdstip);
CREATE INDEX wachtwoord_vergeten_poging_tijdstip_idx ON wachtwoord_vergeten_poging (tijdstip);
