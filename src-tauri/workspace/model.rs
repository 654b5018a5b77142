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
        }
    }
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
    /// Postgres schemas whose tables the schema comparison reads.
    pub schemas: Vec<String>,
    /// Non-fatal findings about the file itself (a password in a URL, …). Never hold secrets.
    pub warnings: Vec<String>,
}

impl Workspace {
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

    /// The folder relative paths in the file are resolved against.
    pub fn dir(&self) -> PathBuf {
        self.path
            .parent()
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from("."))
    }
}
