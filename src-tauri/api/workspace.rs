//! Opening workspaces: explicit paths, `./envdeck.toml`, the last one opened, the demo.

use std::path::{Path, PathBuf};

use super::Context;
use super::views::{DatabaseSourceView, EnvSummary, WorkspaceView};
use crate::error::{Error, ErrorCode, Result};
use crate::workspace::{self, DatabaseSource, Workspace};

pub(crate) const LAST_WORKSPACE: &str = "last_workspace";

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

/// The secret name a database URL moved out of envdeck.toml is filed under.
pub const MOVED_URL_SECRET: &str = "DATABASE_URL";

/// Moves `env`'s database URL, written with its password in envdeck.toml, into the OS
/// keychain, and rewrites the file to `database = { secret = "DATABASE_URL" }` (comments
/// and layout kept). The keychain is written first: if the file cannot be rewritten, the
/// URL is in both places and doing it again finishes the job.
pub async fn move_url_to_keychain(ctx: &Context, ws: &Workspace, env: &str) -> Result<()> {
    let e = ws.environment(env)?;
    let DatabaseSource::Url(url) = &e.database else {
        return Err(Error::invalid_input(format!(
            "the database of {env} is not a URL written in envdeck.toml: there is nothing to move"
        )));
    };
    let text = std::fs::read_to_string(&ws.path).map_err(|er| Error::io("read", &ws.path, &er))?;
    let mut doc: toml_edit::DocumentMut = text.parse().map_err(|_| {
        Error::new(
            ErrorCode::WorkspaceInvalid,
            format!(
                "{} changed and no longer parses: fix it, then try again",
                ws.path.display()
            ),
        )
    })?;
    let slot = doc
        .get_mut("environments")
        .and_then(|t| t.get_mut(env))
        .and_then(|t| t.get_mut("database"))
        .ok_or_else(|| {
            Error::new(
                ErrorCode::WorkspaceInvalid,
                format!(
                    "{} no longer has a database for {env}: reload the workspace",
                    ws.path.display()
                ),
            )
        })?;
    let mut inline = toml_edit::InlineTable::new();
    inline.insert("secret", MOVED_URL_SECRET.into());
    *slot = toml_edit::value(inline);
    super::secrets::set(
        ctx,
        ws,
        env,
        MOVED_URL_SECRET,
        crate::secrets::Sensitive::new(url.clone()),
    )
    .await?;
    write_atomically(&ws.path, doc.to_string().as_bytes())?;
    ctx.store
        .audit(
            &ctx.now_text(),
            &ws.name,
            Some(env),
            "database_url_moved",
            &format!(
                "moved the database URL of {env} from {} into the OS keychain as {MOVED_URL_SECRET}",
                ws.path.display()
            ),
        )
        .await?;
    tracing::info!(env, "database URL moved to the keychain");
    Ok(())
}

/// Replaces `path` with `bytes` all at once (a temp file beside it, then a rename), keeping
/// its permissions: a crash leaves the old file or the new one, never half of one.
fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let tmp = dir.join(format!(
        ".{}.envdeck-tmp",
        path.file_name()
            .map(|n| n.to_string_lossy())
            .unwrap_or_default()
    ));
    let perms = std::fs::metadata(path).map(|m| m.permissions()).ok();
    let write = || -> std::io::Result<()> {
        std::fs::write(&tmp, bytes)?;
        if let Some(p) = perms {
            std::fs::set_permissions(&tmp, p)?;
        }
        std::fs::File::open(&tmp)?.sync_all()?;
        std::fs::rename(&tmp, path)
    };
    write().map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        Error::io("rewrite", path, &e)
    })
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
