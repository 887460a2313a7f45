-- Narratives ("het verhaal achter de cijfers") are now written in the back office (/beheer/verhalen):
-- who wrote them and when they were last changed. wijk_verhaal.auteur stays the name shown publicly.
ALTER TABLE wijk_verhaal
    -- The staff account that wrote the narrative; NULL once that account is removed.
    ADD COLUMN medewerker_id uuid REFERENCES medewerker (id) ON DELETE SET NULL,
    ADD COLUMN aangemaakt_op timestamptz NOT NULL DEFAULT now(),
    ADD COLUMN gewijzigd_op  timestamptz NOT NULL DEFAULT now();
-- The back-office list: newest periods first.
CREATE INDEX wijk_verhaal_van_idx ON wijk_verhaal (van DESC, id DESC);
