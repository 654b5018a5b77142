//! The validated workspace: what envdeck.toml says, with defaults filled in and paths resolved.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The three kinds of environment. Production implies protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export_to = "EnvKind.ts")]
pub enum EnvKind {
    Development,
    Staging,
    Production,
}

impl EnvKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EnvKind::Development => "development",
            EnvKind::Staging => "staging",
            EnvKind::Production => "production",
        }
    }
}

/// Where an environment's database URL comes from. Only `Url` is written in the file itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DatabaseSource {
    /// A URL written in envdeck.toml (a password in it draws a warning).
    Url(String),
    /// A secret in the OS keychain, under `<workspace>/<env>/<NAME>`.
    Secret(String),
    /// An environment variable of the envdeck process.
    Env(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Environment {
    pub name: String,
    pub kind: EnvKind,
    pub protected: bool,
    pub app_url: Option<String>,
    pub database: DatabaseSource,
    /// Absolute path of the env file, resolved against the workspace file's folder.
    pub env_file: Option<PathBuf>,
}

/// Where each key of a mapping table is written in envdeck.toml (`/ws/envdeck.toml:9`), so
/// an error about a mapped column can point at the line to fix.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Places(std::collections::BTreeMap<String, String>);

impl Places {
    pub fn of(&self, key: &str) -> String {
        self.0
            .get(key)
            .cloned()
            .unwrap_or_else(|| "envdeck.toml (not written there: the default applies)".into())
    }

    pub(crate) fn set(&mut self, key: &str, place: String) {
        self.0.insert(key.to_string(), place);
    }
}

/// Where this product keeps its OAuth connections.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct IntegrationsMap {
    pub table: String,
    pub provider: String,
    pub account: Option<String>,
    pub status: Option<String>,
    pub healthy_status: Vec<String>,
    pub expires_at: Option<String>,
    pub updated_at: Option<String>,
    /// Never selected for display, never copied.
    pub secret_columns: Vec<String>,
    pub connect_url: Option<String>,
    /// `[integrations.connect_urls]`: a connect URL per provider, overriding `connect_url`
    /// (same placeholders `{app_url}` and `{provider}`).
    pub connect_urls: std::collections::BTreeMap<String, String>,
    /// Providers that refuse localhost redirect URIs (the reconnect wizard advises a tunnel
    /// or a staging deployment for them on a local environment). `None`: the built-in list.
    pub refuse_localhost: Option<Vec<String>>,
    /// The column holding the scopes granted (space- or comma-separated), compared with the
    /// reference environment's by the reconnect wizard.
    pub scopes: Option<String>,
    #[serde(skip)]
    pub places: Places,
}

impl Default for IntegrationsMap {
    fn default() -> Self {
        IntegrationsMap {
            table: "integrations".into(),
            provider: "provider".into(),
            account: Some("account_email".into()),
            status: Some("status".into()),
            healthy_status: vec!["connected".into(), "active".into()],
            expires_at: None,
            updated_at: None,
            secret_columns: vec!["access_token".into(), "refresh_token".into()],
            connect_url: None,
            connect_urls: Default::default(),
            refuse_localhost: None,
            scopes: None,
            places: Places::default(),
        }
    }
}

/// Where this product keeps its workflows.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct WorkflowsMap {
    pub table: String,
    /// Natural key: ids differ per environment.
    pub key: Vec<String>,
    pub definition: Option<String>,
    pub active: Option<String>,
    pub updated_at: Option<String>,
    pub runs: Option<String>,
    pub failures: Option<String>,
    pub last_run_at: Option<String>,
    pub last_run_status: Option<String>,
    pub ignore: Vec<String>,
    /// Never copied by the sync (the target's default applies), besides the run columns
    /// above, which are the target's own.
    pub never_copy: Vec<String>,
    /// The column holding the workflow's owner, matched across environments through
    /// `owner_table`'s natural key when the database declares no foreign key for it.
    pub owner: Option<String>,
    /// The table owners live in (configured in `[[tables]]` or `[[reference_data]]`).
    pub owner_table: Option<String>,
    /// The column of `owner_table` that `owner` holds.
    pub owner_table_id: String,
    /// The n8n credentials table (`credentials_entity`): credential references in the
    /// definition are remapped to the target's credential of the same type and name. Only
    /// its id, name and type columns are ever read.
    pub credentials_table: Option<String>,
    pub credentials_id: String,
    pub credentials_name: String,
    pub credentials_type: String,
    /// A table with one row per run (n8n's `execution_entity`), read by the workflow drawer
    /// for the last runs and the run stats. `None`: the drawer shows the one run the
    /// workflows table records.
    pub runs_table: Option<String>,
    /// Its column naming the workflow a run belongs to…
    pub runs_workflow: String,
    /// …by the value of this column of the workflows table.
    pub runs_refers_to: String,
    pub runs_status: String,
    pub runs_started_at: String,
    /// When left at its default, read only where the table has it.
    pub runs_finished_at: Option<String>,
    /// The column holding a failed run's message.
    pub runs_error: Option<String>,
    /// Run statuses that count as failures (compared case-insensitively), in the runs table
    /// and in `last_run_status`.
    pub failed_status: Vec<String>,
    #[serde(skip)]
    pub places: Places,
}

impl Default for WorkflowsMap {
    fn default() -> Self {
        WorkflowsMap {
            table: "workflows".into(),
            key: vec!["name".into()],
            definition: None,
            active: None,
            updated_at: None,
            runs: None,
            failures: None,
            last_run_at: None,
            last_run_status: None,
            ignore: vec![
                "id".into(),
                "user_id".into(),
                "created_at".into(),
                "updated_at".into(),
            ],
            never_copy: Vec::new(),
            owner: None,
            owner_table: None,
            owner_table_id: "id".into(),
            credentials_table: None,
            credentials_id: "id".into(),
            credentials_name: "name".into(),
            credentials_type: "type".into(),
            runs_table: None,
            runs_workflow: "workflowId".into(),
            runs_refers_to: "id".into(),
            runs_status: "status".into(),
            runs_started_at: "startedAt".into(),
            runs_finished_at: Some("stoppedAt".into()),
            runs_error: None,
            failed_status: vec!["error".into(), "crashed".into(), "failed".into()],
            places: Places::default(),
        }
    }
}

/// How long envdeck waits on an environment's database, in seconds (`[timeouts]`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Timeouts {
    /// For a connection to be accepted.
    pub connect: u64,
    /// For one ordinary statement (schema reads, lookups).
    pub statement: u64,
    /// For one streaming scan of a whole table (the table diff).
    pub scan: u64,
    /// For a lock another session holds.
    pub lock: u64,
    /// For a reconnect wizard's step to see the connection land (the person is in the
    /// provider's pages meanwhile).
    pub reconnect: u64,
}

impl Default for Timeouts {
    fn default() -> Self {
        Timeouts {
            connect: 5,
            statement: 15,
            scan: 600,
            lock: 5,
            reconnect: 600,
        }
    }
}

/// `[sync]`: settings of the guarded sync.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SyncSettings {
    /// An existing table in the target into which every apply and undo also inserts one
    /// row, in the same transaction (see `sync/log_table.rs` for the columns it fills).
    /// envdeck never creates it: when the target has no such table, nothing is logged there.
    pub log_table: Option<String>,
}

/// Something about the workspace file itself that a person should fix. Never holds a secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export_to = "WorkspaceWarning.ts")]
pub struct WorkspaceWarning {
    pub message: String,
    /// The environment it concerns, when it concerns one.
    pub env: Option<String>,
    /// envdeck can fix it: move this environment's database URL into the OS keychain.
    pub can_move_to_keychain: bool,
}

/// A table whose rows should match across environments (roles, templates, plans…).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReferenceTable {
    pub table: String,
    pub key: Vec<String>,
    #[serde(default)]
    pub ignore: Vec<String>,
}

/// A table of ordinary data (customers, their notes…) compared row by row in the `data`
/// area, and what the coming guarded sync may copy (`[[tables]]`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DataTable {
    pub table: String,
    /// Natural key: how rows are matched across environments (ids differ per environment).
    pub key: Vec<String>,
    /// Not compared.
    #[serde(default)]
    pub ignore: Vec<String>,
    /// Never copied by the sync (inserted as the column's default / NULL); not compared.
    #[serde(default)]
    pub never_copy: Vec<String>,
    /// Surrogate ids (a sequence / identity default) are compared and copied as they are,
    /// instead of being left to each environment.
    #[serde(default)]
    pub copy_ids: bool,
}

/// A loaded, validated envdeck.toml.
#[derive(Debug, Clone)]
pub struct Workspace {
    /// Absolute path of the envdeck.toml this came from.
    pub path: PathBuf,
    pub name: String,
    pub environments: Vec<Environment>,
    pub integrations: IntegrationsMap,
    pub workflows: WorkflowsMap,
    pub reference_data: Vec<ReferenceTable>,
    /// `[[tables]]`: data tables compared in the `data` area.
    pub tables: Vec<DataTable>,
    /// Postgres schemas whose tables the schema comparison reads.
    pub schemas: Vec<String>,
    /// Database timeouts (`[timeouts]`).
    pub timeouts: Timeouts,
    /// `[sync]` settings.
    pub sync: SyncSettings,
    /// Non-fatal findings about the file itself (a password in a URL, …). Never hold secrets.
    pub warnings: Vec<WorkspaceWarning>,
    /// The line of every key in the file (`integrations.provider`, `reference_data.0.key`),
    /// so errors about a mapping can point at it.
    pub lines: std::collections::BTreeMap<String, usize>,
}

impl Workspace {
    /// The natural key of a configured table (`[[tables]]` or `[[reference_data]]`), by
    /// which a foreign key to it is matched across environments.
    pub fn natural_key(&self, table: &str) -> Option<&[String]> {
        let same = |t: &str| t == table || t.rsplit('.').next() == Some(table);
        self.tables
            .iter()
            .find(|t| same(&t.table))
            .map(|t| t.key.as_slice())
            .or_else(|| {
                self.reference_data
                    .iter()
                    .find(|r| same(&r.table))
                    .map(|r| r.key.as_slice())
            })
    }

    pub fn environment(&self, name: &str) -> crate::error::Result<&Environment> {
        self.environments
            .iter()
            .find(|e| e.name == name)
            .ok_or_else(|| {
                let known: Vec<&str> = self.environments.iter().map(|e| e.name.as_str()).collect();
                crate::error::Error::invalid_input(format!(
                    "no environment named {name:?} in {}: known environments are {}",
                    self.path.display(),
                    known.join(", ")
                ))
            })
    }

    /// `envdeck.toml:12` for a key of the file: its own line, else its table's line, else
    /// the file alone (the key was not written: a default applies).
    pub fn place(&self, key: &str) -> String {
        let mut k = key;
        loop {
            if let Some(l) = self.lines.get(k) {
                return format!("{}:{l}", self.path.display());
            }
            match k.rfind('.') {
                Some(i) => k = &k[..i],
                None => return self.path.display().to_string(),
            }
        }
    }

    /// The folder relative paths in the file are resolved against.
    pub fn dir(&self) -> PathBuf {
        self.path
            .parent()
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from("."))
    }
}
