//! The window's actions. Each one names the workspace file it acts on (the window's
//! `WorkspaceView.path`) and re-reads it from disk, so edits show up at once and a
//! workspace opened in the middle of a compare cannot mix two workspaces. Only
//! `workspace_current` and `workspace_open` pick the workspace.

use std::path::Path;

use super::compare::AreaReport;
use super::parity::{ParityGrid, ValuePair};
use super::views::{EnvDetail, EnvStatus, SecretEntry, WorkspaceView};
use super::{Context, compare, parity, secrets, status, workspace};
use crate::compare::Area;
use crate::error::Result;
use crate::progress::Progress;
use crate::secrets::Sensitive;

/// The last workspace opened if it still loads, else the demo.
pub async fn workspace_current(ctx: &Context) -> Result<WorkspaceView> {
    let ws = workspace::current(ctx).await?;
    Ok(workspace::view(ctx, &ws))
}

pub async fn workspace_open(ctx: &Context, path: &Path) -> Result<WorkspaceView> {
    let ws = workspace::open(ctx, path).await?;
    Ok(workspace::view(ctx, &ws))
}

/// "Move to keychain" on the banner's password-in-URL warning; answers the file as
/// rewritten.
pub async fn workspace_move_url_to_keychain(
    ctx: &Context,
    ws: &Path,
    env: &str,
) -> Result<WorkspaceView> {
    let loaded = crate::workspace::load(ws)?;
    workspace::move_url_to_keychain(ctx, &loaded, env).await?;
    let ws = crate::workspace::load(ws)?;
    Ok(workspace::view(ctx, &ws))
}

pub async fn environment_status(ctx: &Context, ws: &Path, env: &str) -> Result<EnvStatus> {
    let ws = crate::workspace::load(ws)?;
    let e = ws.environment(env)?;
    Ok(status::environment_status(ctx, &ws, e).await)
}

pub async fn environment_detail(ctx: &Context, ws: &Path, env: &str) -> Result<EnvDetail> {
    let ws = crate::workspace::load(ws)?;
    let e = ws.environment(env)?;
    status::environment_detail(ctx, &ws, e).await
}

pub async fn secrets_list(ctx: &Context, ws: &Path) -> Result<Vec<SecretEntry>> {
    let ws = crate::workspace::load(ws)?;
    secrets::list(ctx, &ws, None).await
}

pub async fn secret_set(
    ctx: &Context,
    ws: &Path,
    env: &str,
    name: &str,
    value: Sensitive<String>,
) -> Result<()> {
    let ws = crate::workspace::load(ws)?;
    secrets::set(ctx, &ws, env, name, value).await
}

pub async fn secret_delete(ctx: &Context, ws: &Path, env: &str, name: &str) -> Result<()> {
    let ws = crate::workspace::load(ws)?;
    secrets::delete(ctx, &ws, env, name).await.map(|_| ())
}

/// One area of a comparison, run as part of operation `operation` (the window runs every
/// area under one id): `cancel_operation(operation)` drops it at once, stops its
/// server-side statements and ends it with `cancelled`.
pub async fn compare_area(
    ctx: &Context,
    ws: &Path,
    from: &str,
    to: &str,
    area: Area,
    operation: &str,
    progress: &dyn Progress,
) -> Result<AreaReport> {
    // Joined before anything slow, so a cancel that comes early still reaches this call.
    let running = ctx.operations.begin(operation);
    let cancel = running.cancel();
    cancel.check()?;
    let ws = crate::workspace::load(ws)?;
    let (f, t) = (ws.environment(from)?, ws.environment(to)?);
    crate::progress::until_cancelled(cancel, async {
        Ok(compare::compare_area(ctx, &ws, f, t, area, cancel, progress).await)
    })
    .await
}

/// Stops every call running under `operation` (and any that arrive after); a no-op once
/// they have ended.
pub fn cancel_operation(ctx: &Context, operation: &str) {
    ctx.operations.cancel(operation);
}

pub async fn integration_parity(ctx: &Context, ws: &Path) -> Result<ParityGrid> {
    let ws = crate::workspace::load(ws)?;
    Ok(parity::integration_parity(ctx, &ws).await)
}

pub async fn finding_values(
    ctx: &Context,
    ws: &Path,
    from: &str,
    to: &str,
    area: Area,
    key: &crate::compare::KeyParts,
    kind: Option<crate::compare::FindingKind>,
) -> Result<ValuePair> {
    let ws = crate::workspace::load(ws)?;
    parity::finding_values(ctx, &ws, from, to, area, key, kind).await
}

/// The preview of copying `selections` from `from` into `to`: writes nothing.
pub async fn sync_plan(
    ctx: &Context,
    ws: &Path,
    from: &str,
    to: &str,
    selections: Vec<crate::sync::Selection>,
    with_parents: bool,
    activate: bool,
) -> Result<crate::sync::Plan> {
    let ws = crate::workspace::load(ws)?;
    let req = super::sync::PlanRequest {
        from: from.to_string(),
        to: to.to_string(),
        selections,
        with_parents,
        activate,
    };
    super::sync::plan(ctx, &ws, &req).await
}

/// Applies a reviewed plan under `operation` (`cancel_operation` before COMMIT rolls it
/// back), confirmed by the target's name as typed and the fingerprint shown.
pub async fn sync_apply(
    ctx: &Context,
    ws: &Path,
    plan: &crate::sync::Plan,
    confirm_env: &str,
    fingerprint: &str,
    operation: &str,
    progress: &dyn Progress,
) -> Result<super::sync::ApplyReport> {
    let running = ctx.operations.begin(operation);
    let cancel = running.cancel();
    cancel.check()?;
    let ws = crate::workspace::load(ws)?;
    let confirmation = super::sync::Confirmation {
        env: confirm_env.to_string(),
        fingerprint: fingerprint.to_string(),
    };
    let reviewed = crate::sync::Reviewed::from(plan);
    super::sync::apply(ctx, &ws, reviewed, &confirmation, progress, cancel).await
}

/// The workspace's syncs, newest first.
pub async fn sync_log(ctx: &Context, ws: &Path) -> Result<Vec<crate::state::SyncRecord>> {
    let ws = crate::workspace::load(ws)?;
    super::sync::log(ctx, &ws).await
}

/// What undoing `sync_id` would do now: rows to delete, rows kept and why, the SQL, the
/// fingerprint (or why there is nothing left to undo). Writes nothing.
pub async fn sync_undo_preview(
    ctx: &Context,
    ws: &Path,
    sync_id: &str,
) -> Result<super::sync_undo::UndoPreview> {
    let ws = crate::workspace::load(ws)?;
    super::sync_undo::undo_preview(ctx, &ws, sync_id).await
}

/// Undoes `sync_id` under `operation` (`cancel_operation` before COMMIT rolls it back),
/// confirmed by the target's name as typed and the undo's fingerprint.
pub async fn sync_undo(
    ctx: &Context,
    ws: &Path,
    sync_id: &str,
    confirm_env: &str,
    fingerprint: &str,
    operation: &str,
    progress: &dyn Progress,
) -> Result<super::sync_undo::UndoReport> {
    let running = ctx.operations.begin(operation);
    let cancel = running.cancel();
    cancel.check()?;
    let ws = crate::workspace::load(ws)?;
    let confirmation = super::sync::Confirmation {
        env: confirm_env.to_string(),
        fingerprint: fingerprint.to_string(),
    };
    progress.start(&format!("Undoing sync {sync_id}"), None);
    let report = super::sync_undo::undo(ctx, &ws, sync_id, &confirmation, cancel).await;
    progress.finish();
    report
}

/// The workspace's undos, oldest first.
pub async fn sync_undos(ctx: &Context, ws: &Path) -> Result<Vec<crate::state::UndoRecord>> {
    let ws = crate::workspace::load(ws)?;
    super::sync_undo::undos(ctx, &ws).await
}

/// A workspace opened lately, for the sidebar's list.
#[derive(Debug, Clone, serde::Serialize, ts_rs::TS)]
#[ts(export_to = "RecentWorkspace.ts")]
pub struct RecentWorkspace {
    pub path: String,
    /// The name it had when last opened.
    pub name: String,
    /// The file is gone (moved or deleted): shown as missing, opening it would fail.
    pub missing: bool,
}

/// The workspaces opened lately, newest first (the open one included).
pub async fn workspace_recent(ctx: &Context) -> Result<Vec<RecentWorkspace>> {
    let list = ctx.store.recent_workspaces().await?;
    Ok(list
        .into_iter()
        .map(|e| RecentWorkspace {
            missing: !Path::new(&e.path).is_file(),
            path: e.path,
            name: e.name,
        })
        .collect())
}
