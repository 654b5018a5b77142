-- envdeck demo workspace: schema shared by dev.db and prod.db.
-- Equivalent to migrations 20260801093000_init .. 20261003101500_add_workflow_run_stats.
-- The newest migration (20261112153000_add_api_keys) is applied in dev only; its DDL
-- lives in dev.sql. Timestamps are ISO-8601 UTC text ('2026-11-02T09:14:00Z').

CREATE TABLE "_prisma_migrations" (
    "id"                  TEXT PRIMARY KEY NOT NULL,
    "checksum"            TEXT NOT NULL,
    "finished_at"         DATETIME,
    "migration_name"      TEXT NOT NULL,
    "logs"                TEXT,
    "rolled_back_at"      DATETIME,
    "started_at"          DATETIME NOT NULL DEFAULT current_timestamp,
    "applied_steps_count" INTEGER UNSIGNED NOT NULL DEFAULT 0
);

CREATE TABLE users (
    id         INTEGER PRIMARY KEY,
    email      TEXT NOT NULL,
    name       TEXT,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
CREATE UNIQUE INDEX users_email_key ON users (email);

CREATE TABLE integrations (
    id            INTEGER PRIMARY KEY,
    user_id       INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    provider      TEXT NOT NULL,
    status        TEXT NOT NULL DEFAULT 'connected'
                  CHECK (status IN ('connected', 'expired', 'revoked', 'error', 'needs_reauthorization', 'pending')),
    access_token  TEXT,
    refresh_token TEXT,
    expires_at    TEXT,
    scopes        TEXT,
    account_email TEXT,
    created_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    updated_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
CREATE UNIQUE INDEX integrations_user_id_provider_key ON integrations (user_id, provider);
CREATE INDEX integrations_provider_idx ON integrations (provider);
CREATE INDEX integrations_status_idx ON integrations (status);

CREATE TABLE workflows (
    id                    INTEGER PRIMARY KEY,
    user_id               INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name                  TEXT NOT NULL,
    description           TEXT,
    definition            TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(definition)),
    is_active             INTEGER NOT NULL DEFAULT 0 CHECK (is_active IN (0, 1)),
    n8n_workflow_id       TEXT,
    execution_count       INTEGER NOT NULL DEFAULT 0,
    successful_executions INTEGER NOT NULL DEFAULT 0,
    failed_executions     INTEGER NOT NULL DEFAULT 0,
    last_execution_at     TEXT,
    last_execution_status TEXT CHECK (last_execution_status IN ('success', 'error')),
    created_at            TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    updated_at            TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
CREATE UNIQUE INDEX workflows_user_id_name_key ON workflows (user_id, name);
CREATE UNIQUE INDEX workflows_n8n_workflow_id_key ON workflows (n8n_workflow_id);
CREATE INDEX workflows_user_id_idx ON workflows (user_id);
CREATE INDEX workflows_is_active_idx ON workflows (is_active);

-- n8n's credentials (kept in the same database for the demo): `data` is the encrypted
-- secret, which envdeck never reads; a copied workflow's credential references are
-- remapped by type and name ([workflows] credentials_table).
CREATE TABLE credentials_entity (
    id         TEXT PRIMARY KEY NOT NULL,
    name       TEXT NOT NULL,
    type       TEXT NOT NULL,
    data       TEXT NOT NULL,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);

-- n8n's executions (kept in the same database for the demo): one row per workflow run,
-- `workflowId` holding the workflow's n8n id ([workflows] runs_table). Filled by runs.sql.
CREATE TABLE execution_entity (
    id          INTEGER PRIMARY KEY,
    finished    INTEGER NOT NULL DEFAULT 0 CHECK (finished IN (0, 1)),
    mode        TEXT NOT NULL,
    "startedAt" TEXT,
    "stoppedAt" TEXT,
    "workflowId" TEXT NOT NULL,
    status      TEXT NOT NULL CHECK (status IN ('new', 'running', 'success', 'error', 'crashed', 'canceled', 'waiting')),
    error       TEXT
);
CREATE INDEX "IDX_execution_entity_workflowId_startedAt" ON execution_entity ("workflowId", "startedAt");

CREATE TABLE sync_logs (
    id          INTEGER PRIMARY KEY,
    workflow_id INTEGER REFERENCES workflows (id) ON DELETE SET NULL,
    status      TEXT NOT NULL CHECK (status IN ('success', 'error', 'running')),
    started_at  TEXT NOT NULL,
    finished_at TEXT,
    message     TEXT
);
CREATE INDEX sync_logs_workflow_id_started_at_idx ON sync_logs (workflow_id, started_at);
CREATE INDEX sync_logs_started_at_idx ON sync_logs (started_at);

CREATE TABLE roles (
    id             INTEGER PRIMARY KEY,
    name           TEXT NOT NULL,
    description    TEXT,
    permissions    TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(permissions)),
    is_system_role INTEGER NOT NULL DEFAULT 0 CHECK (is_system_role IN (0, 1))
);
CREATE UNIQUE INDEX roles_name_key ON roles (name);

CREATE TABLE notification_templates (
    id         INTEGER PRIMARY KEY,
    type       TEXT NOT NULL,
    subject    TEXT NOT NULL,
    body_html  TEXT NOT NULL,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
CREATE UNIQUE INDEX notification_templates_type_key ON notification_templates (type);

-- CRM data (seed 004): surrogate ids differ per environment; rows match by natural key.
CREATE TABLE customers (
    id                 INTEGER PRIMARY KEY,
    email              TEXT NOT NULL,
    name               TEXT NOT NULL,
    plan               TEXT NOT NULL DEFAULT 'starter',
    stripe_customer_id TEXT,
    created_at         TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
CREATE UNIQUE INDEX customers_email_key ON customers (email);

CREATE TABLE customer_notes (
    id          INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    body        TEXT NOT NULL,
    created_at  TEXT NOT NULL
);
CREATE UNIQUE INDEX customer_notes_customer_id_created_at_key ON customer_notes (customer_id, created_at);

CREATE TABLE customer_files (
    id           INTEGER PRIMARY KEY,
    customer_id  INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    file_name    TEXT NOT NULL,
    storage_path TEXT NOT NULL,
    size_bytes   INTEGER NOT NULL,
    uploaded_at  TEXT NOT NULL
);
CREATE UNIQUE INDEX customer_files_customer_id_file_name_key ON customer_files (customer_id, file_name);
