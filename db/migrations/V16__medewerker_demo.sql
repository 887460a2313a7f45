-- Demo staff accounts (one per role) that `infra/wijk run` makes in development with a known
-- password. Marked so that they can be told apart from real staff and are never mistaken for them;
-- the seeder refuses to run in Production.
ALTER TABLE medewerker ADD COLUMN is_demo boolean NOT NULL DEFAULT false;
