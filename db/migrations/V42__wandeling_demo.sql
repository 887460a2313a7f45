-- Demo walks made by the development seeder (`infra/wijk run`): two upcoming ones and a past one.
-- Marked so that `infra/wijk seed --opnieuw` replaces only these; their sign-ups go with them
-- (ON DELETE CASCADE) and use addresses under example.invalid, which no mail can reach.
ALTER TABLE wandeling ADD COLUMN is_demo boolean NOT NULL DEFAULT false;
