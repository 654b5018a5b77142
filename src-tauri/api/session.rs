//! The window's actions: each acts on the workspace the window has open (the last one
//! opened, else the demo), re-read from disk on every call so edits show up at once.

use std::path::Path;

use super::compare::AreaReport;
use super::parity::{ParityGrid, ValuePair};
use super::views::{EnvDetail, EnvStatus, SecretEntry, WorkspaceView};
use super::{Context, compare, parity, secrets, status, workspace};
use crate::compare::Area;
use crate::error::Result;
use crate::secrets::Sensitive;

pub async fn workspace_current(ctx: &Context) -> Result<WorkspaceView> {
    let ws = workspace::current(ctx).await?;
    Ok(workspace::view(ctx, &ws))
}

pub async fn workspace_open(ctx: &Context, path: &Path) -> Result<WorkspaceView> {
    let ws = workspace::open(ctx, path).await?;
    Ok(workspace::view(ctx, &ws))
}

/// "Move to keychain" on the banner's password-in-URL warning.
pub async fn workspace_move_url_to_keychain(ctx: &Context, env: &str) -> Result<WorkspaceView> {
    let ws = workspace::current(ctx).await?;
    workspace::move_url_to_keychain(ctx, &ws, env).await?;
    workspace_current(ctx).await
}

pub async fn environment_status(ctx: &Context, env: &str) -> Result<EnvStatus> {
    let ws = workspace::current(ctx).await?;
    let e = ws.environment(env)?;
    Ok(status::environment_status(ctx, &ws, e).await)
}

pub async fn environment_detail(ctx: &Context, env: &str) -> Result<EnvDetail> {
    let ws = workspace::current(ctx).await?;
    let e = ws.environment(env)?;
    status::environment_detail(ctx, &ws, e).await
}

pub async fn secrets_list(ctx: &Context) -> Result<Vec<SecretEntry>> {
    let ws = workspace::current(ctx).await?;
    secrets::list(ctx, &ws, None).await
}

pub async fn secret_set(
    ctx: &Context,
    env: &str,
    name: &str,
    value: Sensitive<String>,
) -> Result<()> {
    let ws = workspace::current(ctx).await?;
    secrets::set(ctx, &ws, env, name, value).await
}

pub async fn secret_delete(ctx: &Context, env: &str, name: &str) -> Result<()> {
    let ws = workspace::current(ctx).await?;
    secrets::delete(ctx, &ws, env, name).await.map(|_| ())
}

pub async fn compare_area(ctx: &Context, from: &str, to: &str, area: Area) -> Result<AreaReport> {
    let ws = workspace::current(ctx).await?;
    let (f, t) = (ws.environment(from)?, ws.environment(to)?);
    Ok(compare::compare_area(ctx, &ws, f, t, area, &crate::progress::Cancel::new()).await)
}

pub async fn integration_parity(ctx: &Context) -> Result<ParityGrid> {
    let ws = workspace::current(ctx).await?;
    Ok(parity::integration_parity(ctx, &ws).await)
}

pub async fn finding_values(
    ctx: &Context,
    from: &str,
    to: &str,
    area: Area,
    key: &crate::compare::KeyParts,
) -> Result<ValuePair> {
    let ws = workspace::current(ctx).await?;
    parity::finding_values(ctx, &ws, from, to, area, key).await
}
