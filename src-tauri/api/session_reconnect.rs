//! The window's reconnect wizard actions, like [`super::session`]: each names the workspace
//! file it acts on and re-reads it. The wait for a connection runs under an `operation` id,
//! so `cancel_operation` stops it (the step stays saved as waiting, the wizard resumes
//! there).

use std::path::Path;

use super::Context;
use super::reconnect::{self as wizard, StepOutcome, Summary, WatchOptions, Wizard};
use crate::error::Result;
use crate::progress::Progress;

/// The wizard of `env`: saved progress when there is some, else a new list (missing here
/// but healthy in `from`, expired or broken here; `providers` adds and limits).
pub async fn reconnect_plan(
    ctx: &Context,
    ws: &Path,
    env: &str,
    from: Option<&str>,
    providers: &[String],
) -> Result<Wizard> {
    let ws = crate::workspace::load(ws)?;
    wizard::plan(ctx, &ws, env, from, providers).await
}

/// Opens `provider`'s connect page of `env` (the URL is made here from the workspace, never
/// taken from the window): in `ENVDECK_BROWSER` when set, else with `system` (the window's
/// system browser).
pub async fn reconnect_open(
    ws: &Path,
    env: &str,
    provider: &str,
    system: impl FnOnce(&str) -> Result<()>,
) -> Result<()> {
    let ws = crate::workspace::load(ws)?;
    let e = ws.environment(env)?;
    let url = crate::reconnect::connect_url(&ws, e, provider)?;
    let browser_set =
        std::env::var(crate::reconnect::BROWSER_VAR).is_ok_and(|v| !v.trim().is_empty());
    if browser_set {
        wizard::open_url(&url).await
    } else {
        system(&url)
    }
}

/// Waits for `provider`'s connection to land in `env`, under `operation`, as the account the
/// wizard's list expects; progress once per poll with the elapsed seconds.
pub async fn reconnect_watch(
    ctx: &Context,
    ws: &Path,
    env: &str,
    provider: &str,
    options: &WatchOptions,
    operation: &str,
    progress: &dyn Progress,
) -> Result<StepOutcome> {
    let running = ctx.operations.begin(operation);
    let cancel = running.cancel();
    cancel.check()?;
    let ws = crate::workspace::load(ws)?;
    let expected = ctx
        .store
        .wizard_steps(&ws.name, env)
        .await?
        .into_iter()
        .find(|s| s.provider == provider)
        .and_then(|s| s.account);
    wizard::watch_step(
        ctx,
        &ws,
        env,
        provider,
        expected.as_deref(),
        options,
        progress,
        cancel,
    )
    .await
}

/// Skips a step: listed as skipped in the summary.
pub async fn reconnect_skip(
    ctx: &Context,
    ws: &Path,
    env: &str,
    provider: &str,
) -> Result<StepOutcome> {
    let ws = crate::workspace::load(ws)?;
    wizard::skip_step(ctx, &ws, env, provider).await
}

/// Keeps a connection that landed as another account than expected.
pub async fn reconnect_accept(ctx: &Context, ws: &Path, env: &str, provider: &str) -> Result<()> {
    let ws = crate::workspace::load(ws)?;
    wizard::accept_step(ctx, &ws, env, provider).await
}

/// What the wizard of `env` did so far (it goes on).
pub async fn reconnect_summary(ctx: &Context, ws: &Path, env: &str) -> Result<Summary> {
    let ws = crate::workspace::load(ws)?;
    wizard::summary(ctx, &ws, env).await
}

/// Ends the wizard of `env`: its summary, and the saved progress forgotten.
pub async fn reconnect_finish(ctx: &Context, ws: &Path, env: &str) -> Result<Summary> {
    let ws = crate::workspace::load(ws)?;
    wizard::finish(ctx, &ws, env).await
}

/// Takes `provider` off the wizard's list of `env` (it will not be asked for, nor listed in
/// the summary); answers the list as it is now.
pub async fn reconnect_remove(
    ctx: &Context,
    ws: &Path,
    env: &str,
    provider: &str,
) -> Result<Wizard> {
    let ws = crate::workspace::load(ws)?;
    let e = ws.environment(env)?;
    let saved = ctx.store.wizard_steps(&ws.name, env).await?;
    ctx.store.clear_wizard(&ws.name, env).await?;
    let kept: Vec<_> = saved
        .into_iter()
        .filter(|s| s.provider != provider)
        .collect();
    for s in &kept {
        ctx.store.save_wizard_step(&ws.name, env, s).await?;
    }
    if kept.is_empty() {
        // An empty store would make `plan` start a new list: answer the empty one.
        return Ok(Wizard {
            workspace: ws.name.clone(),
            env: env.to_string(),
            app_url: e.app_url.clone(),
            reference: None,
            steps: Vec::new(),
            current: None,
            resumed: true,
            errors: Vec::new(),
            timeout_ms: ws.timeouts.reconnect.saturating_mul(1000),
        });
    }
    wizard::plan(ctx, &ws, env, None, &[]).await
}

/// Adds `provider` (with the account expected, when known) at the end of the wizard's list
/// of `env`; answers the list as it is now.
pub async fn reconnect_add(
    ctx: &Context,
    ws: &Path,
    env: &str,
    provider: &str,
    account: Option<&str>,
) -> Result<Wizard> {
    let ws = crate::workspace::load(ws)?;
    ws.environment(env)?;
    let provider = provider.trim();
    if provider.is_empty() {
        return Err(crate::error::Error::invalid_input(
            "name the provider to add (e.g. twitter)",
        ));
    }
    let saved = ctx.store.wizard_steps(&ws.name, env).await?;
    if !saved
        .iter()
        .any(|s| s.provider.eq_ignore_ascii_case(provider))
    {
        let r = crate::state::WizardStepRecord {
            provider: provider.to_string(),
            position: saved.iter().map(|s| s.position + 1).max().unwrap_or(0),
            account: account
                .map(str::trim)
                .filter(|a| !a.is_empty())
                .map(str::to_string),
            reason: "asked".into(),
            why: "added by you".into(),
            reference_env: match saved.iter().find_map(|s| s.reference_env.clone()) {
                Some(r) => Some(r),
                None => crate::reconnect::reference_env(&ws, env, None)?,
            },
            step: "pending".into(),
            outcome_json: None,
            updated_at: ctx.now_text(),
        };
        ctx.store.save_wizard_step(&ws.name, env, &r).await?;
    }
    wizard::plan(ctx, &ws, env, None, &[]).await
}
