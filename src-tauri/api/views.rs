//! What the window and the CLI's `--json` see. Exported to TypeScript with ts-rs
//! (`ui/src/lib/bindings/`); a test fails when the committed bindings are stale.
//! None of these types can hold a secret value.

use serde::Serialize;
use ts_rs::TS;

use crate::error::{AppError, ErrorCode};
pub use crate::snapshot::{IntegrationHealth, IntegrationRow, WorkflowRow};
use crate::workspace::EnvKind;

/// Where an environment's database URL comes from, as the UI may see it.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(tag = "type", rename_all = "snake_case")]
#[ts(export_to = "DatabaseSourceView.ts")]
pub enum DatabaseSourceView {
    /// A URL from envdeck.toml, password masked.
    Url { display: String },
    /// A keychain secret, by name.
    Secret { name: String },
    /// An environment variable, by name, and whether envdeck's process has it.
    Env {
        #[serde(rename = "var")]
        #[ts(rename = "var")]
        var_name: String,
        is_set: bool,
    },
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export_to = "EnvSummary.ts")]
pub struct EnvSummary {
    pub name: String,
    pub kind: EnvKind,
    pub protected: bool,
    pub app_url: Option<String>,
    pub database: DatabaseSourceView,
    pub env_file: Option<String>,
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export_to = "WorkspaceView.ts")]
pub struct WorkspaceView {
    pub path: String,
    pub name: String,
    pub is_demo: bool,
    pub warnings: Vec<crate::workspace::WorkspaceWarning>,
    pub environments: Vec<EnvSummary>,
}

/// One environment's health, as `envdeck status --json` prints it.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export_to = "EnvStatus.ts")]
pub struct EnvStatus {
    pub name: String,
    pub kind: EnvKind,
    pub protected: bool,
    pub reachable: bool,
    pub latency_ms: Option<u32>,
    pub server_version: Option<String>,
    #[ts(type = "number | null")]
    pub integrations: Option<u64>,
    #[ts(type = "number | null")]
    pub workflows: Option<u64>,
    /// The migration table found and how many migrations it lists as applied.
    pub migrations: Option<MigrationHealth>,
    /// The first failure, as a sentence that says what to do.
    pub error: Option<String>,
    pub error_code: Option<ErrorCode>,
    /// The failure's technical part (a keychain's D-Bus error…), which the window folds
    /// under `error`; absent when it has none.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub error_detail: Option<String>,
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export_to = "MigrationHealth.ts")]
pub struct MigrationHealth {
    pub table: String,
    pub applied: u32,
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export_to = "StatusReport.ts")]
pub struct StatusReport {
    pub workspace: String,
    pub environments: Vec<EnvStatus>,
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export_to = "EnvDetail.ts")]
pub struct EnvDetail {
    pub name: String,
    pub integrations: Vec<IntegrationRow>,
    pub workflows: Vec<WorkflowRow>,
    pub integrations_error: Option<AppError>,
    pub workflows_error: Option<AppError>,
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export_to = "SecretEntry.ts")]
pub struct SecretEntry {
    pub env: String,
    pub name: String,
    pub is_set: bool,
    /// What in the workspace uses it (`database`), if anything.
    pub used_by: Option<String>,
}

/// Writes (or, with `check`, compares) every binding file under `dir`.
/// Returns the names of files that differ.
pub fn export_bindings(dir: &std::path::Path, check: bool) -> std::io::Result<Vec<String>> {
    let cfg = ts_rs::Config::new().with_large_int("number");
    let mut stale = Vec::new();
    let files: Vec<(String, String)> = vec![
        one::<ErrorCode>(&cfg),
        one::<AppError>(&cfg),
        one::<EnvKind>(&cfg),
        one::<DatabaseSourceView>(&cfg),
        one::<EnvSummary>(&cfg),
        one::<WorkspaceView>(&cfg),
        one::<EnvStatus>(&cfg),
        one::<StatusReport>(&cfg),
        one::<IntegrationRow>(&cfg),
        one::<IntegrationHealth>(&cfg),
        one::<WorkflowRow>(&cfg),
        one::<EnvDetail>(&cfg),
        one::<SecretEntry>(&cfg),
        one::<MigrationHealth>(&cfg),
        one::<crate::compare::Area>(&cfg),
        one::<crate::compare::Severity>(&cfg),
        one::<crate::compare::Finding>(&cfg),
        one::<crate::compare::FindingKind>(&cfg),
        one::<crate::compare::KeyPart>(&cfg),
        one::<crate::compare::KeyParts>(&cfg),
        one::<crate::api::compare::AreaReport>(&cfg),
        one::<crate::api::compare::AreaError>(&cfg),
        one::<crate::api::compare::AreaSkip>(&cfg),
        one::<crate::workspace::WorkspaceWarning>(&cfg),
        one::<crate::api::compare::CheckReport>(&cfg),
        one::<crate::api::compare::Summary>(&cfg),
        one::<crate::compare::parity::ParityState>(&cfg),
        one::<crate::compare::parity::ParityCell>(&cfg),
        one::<crate::compare::parity::ParityRow>(&cfg),
        one::<crate::compare::parity::ParityGrid>(&cfg),
        one::<crate::compare::parity::EnvError>(&cfg),
        one::<crate::api::parity::ValuePair>(&cfg),
        one::<crate::tablediff::TableDiff>(&cfg),
        one::<crate::tablediff::DiffRow>(&cfg),
        one::<crate::tablediff::DiffKind>(&cfg),
        one::<crate::api::ops::ProgressEvent>(&cfg),
        one::<crate::sync::plan::Selection>(&cfg),
        one::<crate::sync::Plan>(&cfg),
        one::<crate::sync::plan::TablePlan>(&cfg),
        one::<crate::sync::plan::RowRef>(&cfg),
        one::<crate::sync::plan::Insert>(&cfg),
        one::<crate::sync::plan::PlanColumn>(&cfg),
        one::<crate::sync::plan::Span>(&cfg),
        one::<crate::sync::plan::Checked>(&cfg),
        one::<crate::sync::plan::Omitted>(&cfg),
        one::<crate::sync::plan::Remap>(&cfg),
        one::<crate::sync::plan::CredentialRemap>(&cfg),
        one::<crate::sync::plan::Blocker>(&cfg),
        one::<crate::api::sync::ApplyReport>(&cfg),
        one::<crate::state::SyncRecord>(&cfg),
        one::<crate::state::JournalTable>(&cfg),
        one::<crate::state::JournalRow>(&cfg),
        one::<crate::sync::undo::UndoPlan>(&cfg),
        one::<crate::sync::undo::UndoRow>(&cfg),
        one::<crate::sync::undo::KeptRow>(&cfg),
        one::<crate::sync::undo::KeptWhy>(&cfg),
        one::<crate::api::sync_undo::UndoPreview>(&cfg),
        one::<crate::api::sync_undo::UndoReport>(&cfg),
        one::<crate::state::UndoRecord>(&cfg),
        one::<crate::state::UndoneRow>(&cfg),
        one::<crate::state::KeptRow>(&cfg),
        one::<crate::reconnect::Reason>(&cfg),
        one::<crate::reconnect::Item>(&cfg),
        one::<crate::reconnect::OutcomeKind>(&cfg),
        one::<crate::api::reconnect::StepStatus>(&cfg),
        one::<crate::api::reconnect::StepOutcome>(&cfg),
        one::<crate::api::reconnect::WizardStep>(&cfg),
        one::<crate::api::reconnect::Wizard>(&cfg),
        one::<crate::api::reconnect::Summary>(&cfg),
        one::<crate::api::reconnect::WatchOptions>(&cfg),
        one::<crate::api::expiry::WatchSettings>(&cfg),
        // The window's workspace writes (workspace/create.rs, api/workspace.rs).
        one::<crate::workspace::create::DatabaseInput>(&cfg),
        one::<crate::workspace::create::NewEnvironment>(&cfg),
        one::<crate::workspace::create::NewWorkspace>(&cfg),
        one::<crate::workspace::create::FieldProblem>(&cfg),
        one::<crate::api::workspace::NewWorkspaceCheck>(&cfg),
        // The dashboard's drawers (api/details.rs).
        one::<crate::api::details::DetailField>(&cfg),
        one::<crate::api::details::IntegrationDetail>(&cfg),
        one::<crate::api::details::WorkflowRun>(&cfg),
        one::<crate::api::details::WorkflowDetail>(&cfg),
        // The compare drawer's side-by-side view (compare/sides.rs).
        one::<crate::compare::sides::SideState>(&cfg),
        one::<crate::compare::sides::ColumnSide>(&cfg),
        one::<crate::compare::sides::ColumnRow>(&cfg),
        one::<crate::compare::sides::NameRow>(&cfg),
        one::<crate::compare::sides::Sides>(&cfg),
        one::<crate::api::session::RecentWorkspace>(&cfg),
    ];
    // The window's commands exist only with the window (feature `gui`).
    #[cfg(feature = "gui")]
    let files: Vec<(String, String)> = files
        .into_iter()
        .chain([("commands.ts".to_string(), crate::commands::typescript(&cfg))])
        .collect();
    for (name, text) in files {
        let path = dir.join(&name);
        let current = std::fs::read_to_string(&path).unwrap_or_default();
        if current != text {
            stale.push(name);
            if !check {
                std::fs::create_dir_all(dir)?;
                std::fs::write(&path, text)?;
            }
        }
    }
    Ok(stale)
}

fn one<T: TS + 'static>(cfg: &ts_rs::Config) -> (String, String) {
    let name = T::output_path()
        .map(|p| p.to_string_lossy().into_owned())
        .unwrap_or_else(|| format!("{}.ts", T::name(cfg)));
    let text = T::export_to_string(cfg).expect("ts-rs export");
    (name, text)
}
