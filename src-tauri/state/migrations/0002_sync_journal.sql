-- One row per guarded-sync apply, whatever its outcome; sync_journal (0001) holds its
-- inserted rows. Never a secret value: keys, ids and hashes only.
CREATE TABLE syncs (
    sync_id         TEXT PRIMARY KEY NOT NULL,
    at              TEXT NOT NULL,
    os_user         TEXT NOT NULL,
    workspace       TEXT NOT NULL,
    from_env        TEXT NOT NULL,
    to_env          TEXT NOT NULL,
    target_identity TEXT NOT NULL,
    fingerprint     TEXT NOT NULL,
    outcome         TEXT NOT NULL CHECK (outcome IN ('applied', 'refused', 'failed', 'cancelled')),
    reason          TEXT NOT NULL DEFAULT ''
);
CREATE INDEX syncs_workspace ON syncs (workspace, at);

-- Per inserted row: its primary key (as the target returned it) and a hash of the row, so
-- an undo removes only rows still unchanged.
ALTER TABLE sync_journal ADD COLUMN pk_json TEXT NOT NULL DEFAULT '[]';
ALTER TABLE sync_journal ADD COLUMN row_hash TEXT NOT NULL DEFAULT '';
