-- Demo wijk stories and perceived-safety figures made by the development seeder (`infra/wijk run`):
-- marked so that `infra/wijk seed --opnieuw` replaces only these and a real import or story is never
-- touched. Their texts and sources also say "demo" where residents read them.
ALTER TABLE wijk_verhaal ADD COLUMN is_demo boolean NOT NULL DEFAULT false;
ALTER TABLE wijk_beleving ADD COLUMN is_demo boolean NOT NULL DEFAULT false;
