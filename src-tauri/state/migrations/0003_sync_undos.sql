-- One row per undo of a sync, whatever its outcome. The rows it deleted and the rows it
-- kept (with why) as JSON: keys, ids, hashes and sentences, never a secret value.
CREATE TABLE sync_undos (
    undo_id         TEXT PRIMARY KEY NOT NULL,
    sync_id         TEXT NOT NULL,
    at              TEXT NOT NULL,
    os_user         TEXT NOT NULL,
    workspace       TEXT NOT NULL,
    env             TEXT NOT NULL,
    target_identity TEXT NOT NULL,
    fingerprint     TEXT NOT NULL,
    outcome         TEXT NOT NULL CHECK (outcome IN ('undone', 'refused', 'failed', 'cancelled')),
    reason          TEXT NOT NULL DEFAULT '',
    deleted_json    TEXT NOT NULL DEFAULT '[]',
    kept_json       TEXT NOT NULL DEFAULT '[]'
);
CREATE INDEX sync_undos_sync ON sync_undos (workspace, sync_id, at);
