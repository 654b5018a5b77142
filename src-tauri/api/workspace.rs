//! Opening workspaces (explicit paths, `./envdeck.toml`, the last one opened, the demo),
//! and the window's writes to them: a new workspace, a database source, a URL to the keychain.

use std::path::{Path, PathBuf};

use super::Context;
use super::views::{DatabaseSourceView, EnvSummary, WorkspaceView};
use crate::error::{Error, ErrorCode, Result};
use crate::secrets::SecretRef;
use crate::workspace::create::{self, DatabaseInput, FieldProblem, NewWorkspace, PathKind};
use crate::workspace::{self, DatabaseSource, Workspace, edit};

pub(crate) const LAST_WORKSPACE: &str = "last_workspace";

/// The demo workspace's folder inside the data directory.
pub fn demo_dir(ctx: &Context) -> PathBuf {
    ctx.data_dir.join("demo")
}

/// Loads `path` and remembers it as the last workspace opened, first in the recent list.
pub async fn open(ctx: &Context, path: &Path) -> Result<Workspace> {
    let ws = workspace::load(path)?;
    ctx.store
        .set_setting(LAST_WORKSPACE, &ws.path.to_string_lossy())
        .await?;
    remember(ctx, &ws).await;
    tracing::info!(workspace = %ws.path.display(), "opened workspace");
    Ok(ws)
}

/// Puts `ws` first in the recent list. Failing to remember it must not fail the opening:
/// the list is a convenience, the workspace is what was asked for.
async fn remember(ctx: &Context, ws: &Workspace) {
    let path = ws.path.to_string_lossy();
    if let Err(e) = ctx.store.remember_workspace(&path, &ws.name).await {
        tracing::warn!(error = %e.message, "could not remember the workspace in the recent list");
    }
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
/// workspace (created under the data directory on first launch). Either is put first in
/// the recent list.
pub async fn current(ctx: &Context) -> Result<Workspace> {
    if let Some(p) = ctx.store.setting(LAST_WORKSPACE).await? {
        match workspace::load(Path::new(&p)) {
            Ok(ws) => {
                remember(ctx, &ws).await;
                return Ok(ws);
            }
            Err(e) if e.code == ErrorCode::WorkspaceNotFound => {
                tracing::warn!("last workspace {p} is gone; opening the demo");
            }
            Err(e) => return Err(e),
        }
    }
    let file = ensure_demo(ctx).await?;
    open(ctx, &file).await
}

/// Builds the demo workspace if the window will open it: no last workspace, or one that is
/// gone. Started with the window, so on a first launch the demo's databases are written
/// while the web view loads rather than after it asks (`current` waits for it then).
pub async fn prepare_start(ctx: &Context) {
    if let Ok(Some(p)) = ctx.store.setting(LAST_WORKSPACE).await
        && Path::new(&p).is_file()
    {
        return;
    }
    if let Err(e) = ensure_demo(ctx).await {
        // `current` tries again and shows the error.
        tracing::warn!("could not prepare the demo workspace: {}", e.message);
    }
}

/// The demo's envdeck.toml, written first if it is missing. One at a time, so a start-up
/// `prepare_start` and the window's first `current` never write it twice.
async fn ensure_demo(ctx: &Context) -> Result<PathBuf> {
    static BUILDING: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());
    let _one = BUILDING.lock().await;
    let dir = demo_dir(ctx);
    let file = dir.join("envdeck.toml");
    if !file.is_file() {
        crate::demo::init(&dir).await?;
    }
    Ok(file)
}

/// The secret name a database URL moved out of envdeck.toml is filed under: the one a new
/// workspace files a pasted URL under.
pub const MOVED_URL_SECRET: &str = create::URL_SECRET;

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
    let text = edit::set_database(
        &text,
        &ws.path,
        env,
        &DatabaseSource::Secret(MOVED_URL_SECRET.into()),
    )?;
    super::secrets::set(
        ctx,
        ws,
        env,
        MOVED_URL_SECRET,
        crate::secrets::Sensitive::new(url.clone()),
    )
    .await?;
    edit::write_atomically(&ws.path, text.as_bytes())?;
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

/// The window's "New workspace" form, checked: the file it would write, whether one is
/// there already (the window asks before replacing it), and every problem by field.
#[derive(Debug, Clone, serde::Serialize, ts_rs::TS)]
#[ts(export_to = "NewWorkspaceCheck.ts")]
pub struct NewWorkspaceCheck {
    pub file: String,
    pub exists: bool,
    pub problems: Vec<FieldProblem>,
}

/// What is on disk at `p` (the checks themselves stay pure).
fn kind_of(p: &Path) -> PathKind {
    match std::fs::metadata(p) {
        Ok(m) if m.is_dir() => PathKind::Folder,
        Ok(_) => PathKind::File,
        Err(_) => PathKind::Missing,
    }
}

/// Checks the "New workspace" form without writing anything. Besides the form itself, the
/// OS keychain is asked whether another workspace of the same name already keeps secrets
/// this one would store (reported on `name`). A keychain that cannot answer adds no
/// problem here: creating asks again and fails closed.
pub async fn check_new(ctx: &Context, input: &NewWorkspace) -> NewWorkspaceCheck {
    let file = create::target_file(&input.path, &kind_of);
    let mut problems = create::check_new(input, &kind_of);
    if !problems.iter().any(|p| p.field == "name") {
        match keychain_taken(ctx, input).await {
            Ok(taken) => problems.extend(create::name_taken(&input.name, &taken)),
            Err(e) => tracing::warn!(code = %e.code, "{}", e.message),
        }
    }
    NewWorkspaceCheck {
        exists: kind_of(&file) == PathKind::File,
        file: file.to_string_lossy().into_owned(),
        problems,
    }
}

/// The keychain entries creating `input` would write that are already there, as
/// `(environment, secret name)`.
async fn keychain_taken(ctx: &Context, input: &NewWorkspace) -> Result<Vec<(String, String)>> {
    let writes = create::keychain_writes(input);
    if writes.is_empty() {
        return Ok(writes);
    }
    let refs: Vec<SecretRef> = writes
        .iter()
        .map(|(env, name)| SecretRef::new(input.name.trim(), env, name))
        .collect::<Result<_>>()?;
    let set = ctx.keychain_has(refs).await?;
    Ok(writes
        .into_iter()
        .zip(set)
        .filter_map(|(w, is_set)| is_set.then_some(w))
        .collect())
}

/// Refuses a form with problems, naming every one (the window shows them by field first).
fn refuse(problems: &[FieldProblem]) -> Result<()> {
    if problems.is_empty() {
        return Ok(());
    }
    let all: Vec<String> = problems
        .iter()
        .map(|p| format!("{}: {}", p.field, p.message))
        .collect();
    Err(Error::invalid_input(format!(
        "nothing was written: {}",
        all.join("; ")
    )))
}

/// Writes a new envdeck.toml from the form and opens it. A pasted URL with a password goes
/// into the OS keychain first, the file naming it (`{ secret = "DATABASE_URL" }`): when the
/// keychain refuses, no file is written. An existing file is replaced only with `replace`.
/// A keychain entry already there is never replaced (it belongs to another workspace of
/// the same name): the keychain is asked again here, not trusted from the preview, and
/// a keychain that cannot answer refuses the create.
pub async fn create(ctx: &Context, input: &NewWorkspace, replace: bool) -> Result<Workspace> {
    refuse(&create::check_new(input, &kind_of))?;
    let file = create::target_file(&input.path, &kind_of);
    if kind_of(&file) == PathKind::File && !replace {
        return Err(edit::already_exists(&file));
    }
    if let Some(taken) = create::name_taken(&input.name, &keychain_taken(ctx, input).await?) {
        return Err(Error::invalid_input(format!(
            "nothing was written: {}",
            taken.message
        )));
    }
    let dir = file.parent().map(Path::to_path_buf).unwrap_or_default();
    let mut planned = Vec::new();
    let mut secrets = Vec::new();
    for e in &input.environments {
        let (database, secret) = create::resolve(&e.database, &dir);
        if let Some(s) = secret {
            secrets.push((e.name.trim().to_string(), s));
        }
        planned.push(create::Planned {
            name: e.name.clone(),
            kind: e.kind,
            protected: e.protected || e.kind == workspace::EnvKind::Production,
            database,
        });
    }
    let text = create::render(&input.name, &planned);
    // The file as it will be, loaded before anything is stored: the keychain entries are
    // filed under its workspace and environment names.
    let ws = workspace::parse(&text, &file)?;
    // What this call stored is taken back when a later step fails, so that trying again
    // does not find "another workspace's" secrets: its own.
    let mut stored: Vec<(String, String)> = Vec::new();
    let mut written = Ok(());
    for (env, (name, value)) in secrets {
        written = super::secrets::set(ctx, &ws, &env, &name, value).await;
        if written.is_err() {
            break;
        }
        stored.push((env, name));
    }
    let written = written.and_then(|()| edit::write_new(&file, text.as_bytes(), replace));
    if let Err(e) = written {
        for (env, name) in stored {
            if let Err(undo) = super::secrets::delete(ctx, &ws, &env, &name).await {
                tracing::warn!(env, code = %undo.code, "could not take back {name}: {}", undo.message);
            }
        }
        return Err(e);
    }
    ctx.store
        .audit(
            &ctx.now_text(),
            &ws.name,
            None,
            "workspace_created",
            &format!(
                "wrote {} with {} environments",
                file.display(),
                planned.len()
            ),
        )
        .await?;
    tracing::info!(file = %file.display(), "workspace created");
    open(ctx, &file).await
}

/// Changes where `env` reads its database, in envdeck.toml itself (comments, order and
/// every other key kept). A URL with a password goes to the keychain, as when creating.
pub async fn set_database(
    ctx: &Context,
    ws: &Workspace,
    env: &str,
    input: &DatabaseInput,
) -> Result<()> {
    ws.environment(env)?;
    let dir = ws.dir();
    if let Some(why) = create::check_database(input, &dir, &kind_of) {
        return Err(Error::invalid_input(format!(
            "the database of {env} was not changed: {why}"
        )));
    }
    let (source, secret) = create::resolve(input, &dir);
    let text = std::fs::read_to_string(&ws.path).map_err(|e| Error::io("read", &ws.path, &e))?;
    let text = edit::set_database(&text, &ws.path, env, &source)?;
    // The file as it will be must load (e.g. a secret name the loader refuses).
    let next = workspace::parse(&text, &ws.path)?;
    if let Some((name, value)) = secret {
        super::secrets::set(ctx, &next, env, &name, value).await?;
    }
    edit::write_atomically(&ws.path, text.as_bytes())?;
    let what = match &source {
        DatabaseSource::Url(u) => format!("the URL {}", crate::connectors::mask_url(u)),
        DatabaseSource::Secret(n) => format!("the keychain secret {n}"),
        DatabaseSource::Env(v) => format!("the environment variable {v}"),
    };
    ctx.store
        .audit(
            &ctx.now_text(),
            &ws.name,
            Some(env),
            "database_source_set",
            &format!("{env} now reads its database from {what}"),
        )
        .await?;
    tracing::info!(env, "database source changed");
    Ok(())
}

/// The window's "Create workspace": writes it, opens it, answers it as the window shows it.
pub async fn create_from_window(
    ctx: &Context,
    input: &NewWorkspace,
    replace: bool,
) -> Result<WorkspaceView> {
    let ws = create(ctx, input, replace).await?;
    Ok(view(ctx, &ws))
}

/// Settings > Environments > Change: answers the workspace as rewritten.
pub async fn set_database_from_window(
    ctx: &Context,
    path: &Path,
    env: &str,
    input: &DatabaseInput,
) -> Result<WorkspaceView> {
    let ws = workspace::load(path)?;
    set_database(ctx, &ws, env, input).await?;
    Ok(view(ctx, &workspace::load(path)?))
}
