//! envdeck.toml: the workspace model (safe to commit: no secret values), loading and
//! validation with `file:line: key: what to do` errors, and the window's writes (a new
//! file, a database source changed in place).

pub mod create;
pub mod edit;
mod load;
mod locate;
mod model;
mod runs;

pub use load::{default_path, load, parse};
pub use model::{
    DataTable, DatabaseSource, EnvKind, Environment, IntegrationsMap, Places, ReferenceTable,
    SyncSettings, Timeouts, WorkflowsMap, Workspace, WorkspaceWarning,
};
