//! `#[tauri::command]` wrappers: one call into [`crate::api::session`] each. Errors cross
//! IPC as `{code, message, retryable}`.

use tauri::State;

use crate::api::compare::AreaReport;
use crate::api::parity::{ParityGrid, ValuePair};
use crate::api::views::{EnvDetail, EnvStatus, SecretEntry, WorkspaceView};
use crate::api::{Context, session};
use crate::compare::Area;
use crate::error::Error;
use crate::secrets::Sensitive;

#[tauri::command]
pub async fn workspace_current(ctx: State<'_, Context>) -> Result<WorkspaceView, Error> {
    session::workspace_current(&ctx).await
}

#[tauri::command]
pub async fn workspace_open(ctx: State<'_, Context>, path: String) -> Result<WorkspaceView, Error> {
    session::workspace_open(&ctx, std::path::Path::new(&path)).await
}

/// Moves a database URL with a password from envdeck.toml into the OS keychain.
#[tauri::command]
pub async fn workspace_move_url_to_keychain(
    ctx: State<'_, Context>,
    env: String,
) -> Result<WorkspaceView, Error> {
    session::workspace_move_url_to_keychain(&ctx, &env).await
}

#[tauri::command]
pub async fn environment_status(ctx: State<'_, Context>, env: String) -> Result<EnvStatus, Error> {
    session::environment_status(&ctx, &env).await
}

#[tauri::command]
pub async fn environment_detail(ctx: State<'_, Context>, env: String) -> Result<EnvDetail, Error> {
    session::environment_detail(&ctx, &env).await
}

#[tauri::command]
pub async fn secrets_list(ctx: State<'_, Context>) -> Result<Vec<SecretEntry>, Error> {
    session::secrets_list(&ctx).await
}

/// The value arrives from a write-only field and goes straight into the keychain.
#[tauri::command]
pub async fn secret_set(
    ctx: State<'_, Context>,
    env: String,
    name: String,
    value: String,
) -> Result<(), Error> {
    session::secret_set(&ctx, &env, &name, Sensitive::new(value)).await
}

#[tauri::command]
pub async fn secret_delete(
    ctx: State<'_, Context>,
    env: String,
    name: String,
) -> Result<(), Error> {
    session::secret_delete(&ctx, &env, &name).await
}

#[tauri::command]
pub async fn compare_area(
    ctx: State<'_, Context>,
    from: String,
    to: String,
    area: Area,
) -> Result<AreaReport, Error> {
    session::compare_area(&ctx, &from, &to, area).await
}

#[tauri::command]
pub async fn integration_parity(ctx: State<'_, Context>) -> Result<ParityGrid, Error> {
    session::integration_parity(&ctx).await
}

#[tauri::command]
pub async fn finding_values(
    ctx: State<'_, Context>,
    from: String,
    to: String,
    area: Area,
    key_parts: crate::compare::KeyParts,
) -> Result<ValuePair, Error> {
    session::finding_values(&ctx, &from, &to, area, &key_parts).await
}
