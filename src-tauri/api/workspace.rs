//! Opening workspaces: explicit paths, `./envdeck.toml`, the last one opened, the demo.

use std::path::{Path, PathBuf};

use super::Context;
use super::views::{DatabaseSourceView, EnvSummary, WorkspaceView};
use crate::error::{Error, ErrorCode, Result};
use crate::workspace::{self, DatabaseSource, Workspace};

const LAST_WORKSPACE: &str = "last_workspace";

/// The demo workspace's folder inside the data directory.
pub fn demo_dir(ctx: &Context) -> PathBuf {
    ctx.data_dir.join("demo")
}

/// Loads `path` and remembers it as the last workspace opened.
pub async fn open(ctx: &Context, path: &Path) -> Result<Workspace> {
    let ws = workspace::load(path)?;
    ctx.store
        .set_setting(LAST_WORKSPACE, &ws.path.to_string_lossy())
        .await?;
    tracing::info!(workspace = %ws.path.display(), "opened workspace");
    Ok(ws)
}

/// The workspace a CLI command acts on: `--workspace`, else `./envdeck.toml`, else the last
/// one opened.
pub async fn resolve(ctx: &Context, explicit: Option<&Path>) -> Result<Workspace> {
    if let Some(p) = explicit {
        return workspace::load(p);
    }
    if let Some(p) = workspace::default_path() {
        return workspace::load(&p);
    }
    if let Some(p) = ctx.store.setting(LAST_WORKSPACE).await? {
        return workspace::load(Path::new(&p));
    }
    Err(Error::new(
        ErrorCode::WorkspaceNotFound,
        "no workspace: there is no ./envdeck.toml and none was opened before. Pass --workspace <FILE>, or try `envdeck demo init <DIR>`",
    ))
}

/// What the window shows at start: the last workspace if it still loads, else the demo
/// workspace (created under the data directory on first launch).
pub async fn current(ctx: &Context) -> Result<Workspace> {
    if let Some(p) = ctx.store.setting(LAST_WORKSPACE).await? {
        match workspace::load(Path::new(&p)) {
            Ok(ws) => return Ok(ws),
            Err(e) if e.code == ErrorCode::WorkspaceNotFound => {
                tracing::warn!("last workspace {p} is gone; opening the demo");
            }
            Err(e) => return Err(e),
        }
    }
    let dir = demo_dir(ctx);
    let file = dir.join("envdeck.toml");
    if !file.is_file() {
        crate::demo::init(&dir).await?;
    }
    open(ctx, &file).await
}

/// The workspace as the UI may see it (no secret values, URLs masked).
pub fn view(ctx: &Context, ws: &Workspace) -> WorkspaceView {
    let demo = demo_dir(ctx).join("envdeck.toml");
    let is_demo = std::path::absolute(&demo).ok().as_deref() == Some(ws.path.as_path());
    WorkspaceView {
        path: ws.path.to_string_lossy().into_owned(),
        name: ws.name.clone(),
        is_demo,
        warnings: ws.warnings.clone(),
        environments: ws
            .environments
            .iter()
            .map(|e| EnvSummary {
                name: e.name.clone(),
                kind: e.kind,
                protected: e.protected,
                app_url: e.app_url.clone(),
                database: match &e.database {
                    DatabaseSource::Url(u) => DatabaseSourceView::Url {
                        display: crate::connectors::mask_url(u),
                    },
                    DatabaseSource::Secret(n) => DatabaseSourceView::Secret { name: n.clone() },
                    DatabaseSource::Env(v) => DatabaseSourceView::Env {
                        var_name: v.clone(),
                        is_set: std::env::var_os(v).is_some(),
                    },
                },
                env_file: e
                    .env_file
                    .as_ref()
                    .map(|p| p.to_string_lossy().into_owned()),
            })
            .collect(),
    }
}
