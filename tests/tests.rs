//! envdeck's integration tests: one binary, a module per area, all against real parts
//! (SQLite files, a throwaway PostgreSQL cluster, the Secret Service on a private D-Bus,
//! the real window). Run them with `make test`, which starts those parts.

// Shared helpers: temp dirs, running the envdeck binary, the throwaway PostgreSQL.
mod util;
// The committed TypeScript bindings match the Rust types that cross IPC.
mod bindings;
// Fixtures recorded from the engine on the demo (the UI's fake backend, the expected drift).
mod fixtures;
// The real window through tauri-driver + WebKitWebDriver under Xvfb.
mod window;
// The reconnect wizard in the real window, against a real OAuth flow and PostgreSQL.
mod window_reconnect;
// The window's layout at three sizes, on the demo and with six long-named environments.
mod window_layout;
// envdeck.toml: valid, invalid and hostile workspace files, each error with its line.
mod workspace;
// Workspaces written from the window: a new file, a database source changed, a URL moved.
mod workspace_edit;
// SQLite environments: the demo databases, read-only protection, missing tables and files.
mod sqlite;
// PostgreSQL environments on a throwaway cluster: status, read-only, bad credentials, timeouts.
mod postgres;
// The dashboard's drawers: an integration's and a workflow's details, never a secret.
mod details;
// The OS keychain through the real Secret Service; planted secrets never leak.
mod keychain;
// Comparing environments and `envdeck check`: every kind, noise, exit codes, no secrets.
mod compare;
// The compare drawer's side-by-side view: columns and types, migrations, config keys, no values.
mod compare_sides;
// The data area ([[tables]]): rows by natural key, foreign keys through the parent's key.
mod data;
// sync plan: parents first, ids remapped through natural keys, blockers, warnings, fingerprint.
mod sync_plan;
// sync apply and log: confirmation, refusal when the target changed, journal, INSERT-only.
mod sync_apply;
// sync of the last checks and of workflows: unique collisions, n8n credentials, owner, inactive.
mod sync_workflows;
// sync undo: only unchanged, unreferenced journaled rows deleted; a kill before COMMIT, 20 times.
mod sync_undo;
// Schema parity beyond tables: extensions, enums, constraints, views, functions, triggers, RLS.
mod schema;
// The streaming table diff: keys of every shape, missing tables, large tables, SQLite.
mod tablediff;
// envdeck's data directory: the local store under concurrent first use, file permissions.
mod store;
// Exit codes of the command line itself: usage errors, --help, --version.
mod cli;
// Clear errors and no silent wrong answers: mapped columns, URLs, masking, terminal output.
mod errors;
// Ctrl-C and timeouts that really stop, on the server too.
mod cancel;
// The window's Cancel: cancel_operation(id) stops that operation's compare calls, server-side too.
mod operations;
// Domain folders never import the api, the CLI or tauri.
mod layering;
// Every read path opens environments read-only (a probe in the database says so).
mod readonly;
// check --area schema --sql: the suggested statements, applied to a copy, clean the area.
mod schema_sql;
// The reconnect tests' real OAuth parts: oidc-provider, a product app, a headless browser.
mod oauth_harness;
// The reconnect wizard through the CLI: lands, wrong environment, account, scopes, timeout, resume.
mod reconnect;
// The expiry watch's check: expiring anywhere or broken in protected envs, once a day.
mod expiry;
// The window's findings export (the check --json report) and its recent workspaces.
mod desktop;
