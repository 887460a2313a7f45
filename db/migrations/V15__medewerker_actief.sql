-- A beheerder can deactivate a staff account (back office issue): it can no longer sign in, and
-- its sessions end at once because the security stamp changes with it. The account and its name
-- in the audit trail stay.
ALTER TABLE medewerker ADD COLUMN actief boolean NOT NULL DEFAULT true;
