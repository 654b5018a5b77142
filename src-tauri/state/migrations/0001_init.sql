-- envdeck's local state. Never holds a secret value: secrets live in the OS keychain only.

CREATE TABLE settings (
    key   TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
);

-- Names (never values) of secrets set through envdeck, so they can be listed: keychains
-- cannot be enumerated portably.
CREATE TABLE secret_names (
    workspace  TEXT NOT NULL,
    env        TEXT NOT NULL,
    name       TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (workspace, env, name)
);

CREATE TABLE audit_log (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    at        TEXT NOT NULL,
    workspace TEXT NOT NULL,
    env       TEXT,
    action    TEXT NOT NULL,
    detail    TEXT NOT NULL DEFAULT ''
);

-- One row per row a guarded sync inserted, so an undo removes exactly those rows.
CREATE TABLE sync_journal (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    sync_id    TEXT NOT NULL,
    at         TEXT NOT NULL,
    workspace  TEXT NOT NULL,
    env        TEXT NOT NULL,
    table_name TEXT NOT NULL,
    key_json   TEXT NOT NULL,
    undone_at  TEXT
);
CREATE INDEX sync_journal_sync ON sync_journal (sync_id);

CREATE TABLE wizard_progress (
    workspace  TEXT NOT NULL,
    env        TEXT NOT NULL,
    provider   TEXT NOT NULL,
    step       TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (workspace, env, provider)
);

CREATE TABLE saved_comparisons (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    at            TEXT NOT NULL,
    workspace     TEXT NOT NULL,
    from_env      TEXT NOT NULL,
    to_env        TEXT NOT NULL,
    findings_json TEXT NOT NULL
);
