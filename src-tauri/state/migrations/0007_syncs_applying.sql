-- An apply journals its rows before it commits: its syncs row is written first, outcome
-- 'applying' until the apply ends (and stays so if envdeck stops in between). SQLite cannot
-- change a CHECK constraint in place: the table is copied into one that allows it.
CREATE TABLE syncs_new (
    sync_id         TEXT PRIMARY KEY NOT NULL,
    at              TEXT NOT NULL,
    os_user         TEXT NOT NULL,
    workspace       TEXT NOT NULL,
    from_env        TEXT NOT NULL,
    to_env          TEXT NOT NULL,
    target_identity TEXT NOT NULL,
    fingerprint     TEXT NOT NULL,
    outcome         TEXT NOT NULL
        CHECK (outcome IN ('applying', 'applied', 'refused', 'failed', 'cancelled')),
    reason          TEXT NOT NULL DEFAULT ''
);
INSERT INTO syncs_new (sync_id, at, os_user, workspace, from_env, to_env, target_identity,
                       fingerprint, outcome, reason)
SELECT sync_id, at, os_user, workspace, from_env, to_env, target_identity, fingerprint,
       outcome, reason
FROM syncs ORDER BY rowid;
DROP TABLE syncs;
ALTER TABLE syncs_new RENAME TO syncs;
CREATE INDEX syncs_workspace ON syncs (workspace, at);
