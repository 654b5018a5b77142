-- The reconnect wizard's steps, so a restarted envdeck resumes at the same step: their
-- order, the expected account, why each is on the list, and how it ended (as JSON: never a
-- secret value, only provider, accounts, environment names, times and sentences).
ALTER TABLE wizard_progress ADD COLUMN position INTEGER NOT NULL DEFAULT 0;
ALTER TABLE wizard_progress ADD COLUMN account TEXT;
ALTER TABLE wizard_progress ADD COLUMN reason TEXT NOT NULL DEFAULT 'asked';
ALTER TABLE wizard_progress ADD COLUMN why TEXT NOT NULL DEFAULT '';
ALTER TABLE wizard_progress ADD COLUMN reference_env TEXT;
ALTER TABLE wizard_progress ADD COLUMN outcome_json TEXT;
