//! The reconnect wizard for one environment, step by step, for the window and
//! `envdeck reconnect`: [`plan`] the list (resuming saved progress), [`open_url`],
//! [`watch_step`] until the connection lands (or not), [`skip_step`] / [`accept_step`],
//! then [`finish`] with a summary. Every step's status is saved in the local store, so a
//! restarted envdeck resumes at the same step.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::Context;
use crate::compare::parity::EnvError;
use crate::error::{AppError, Error, Result};
use crate::reconnect::{self, Item, OutcomeKind, Reason};
use crate::state::WizardStepRecord;
use crate::workspace::{Environment, Workspace};

pub use super::reconnect_watch::{WatchOptions, watch_step};

/// Where a step stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export_to = "ReconnectStepStatus.ts", rename = "ReconnectStepStatus")]
pub enum StepStatus {
    Pending,
    /// A watch started and did not end (envdeck was closed or the wait cancelled).
    Waiting,
    Landed,
    Skipped,
    /// Timed out, landed elsewhere, or as another account (until accepted).
    Failed,
}

impl StepStatus {
    fn as_str(self) -> &'static str {
        match self {
            StepStatus::Pending => "pending",
            StepStatus::Waiting => "waiting",
            StepStatus::Landed => "landed",
            StepStatus::Skipped => "skipped",
            StepStatus::Failed => "failed",
        }
    }

    fn parse(s: &str) -> StepStatus {
        match s {
            "waiting" => StepStatus::Waiting,
            "landed" => StepStatus::Landed,
            "skipped" => StepStatus::Skipped,
            "failed" => StepStatus::Failed,
            _ => StepStatus::Pending,
        }
    }

    /// Nothing left to do for this step.
    pub fn done(self) -> bool {
        matches!(self, StepStatus::Landed | StepStatus::Skipped)
    }
}

/// How a step ended: the proof, or what was not seen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export_to = "ReconnectOutcome.ts", rename = "ReconnectOutcome")]
pub struct StepOutcome {
    pub provider: String,
    pub kind: OutcomeKind,
    /// The environment being reconnected.
    pub env: String,
    pub expected_account: Option<String>,
    /// The account that landed (here, or in `landed_in` for a wrong environment).
    pub account: Option<String>,
    /// Where a fresh row was seen: `env`, or another environment.
    pub landed_in: Option<String>,
    /// That environment's app_url (where the browser completed the flow).
    pub landed_in_url: Option<String>,
    /// When it landed (RFC 3339): the row's updated_at, else when envdeck saw it.
    pub at: Option<String>,
    /// "landed in prod at 14:03:12: connected, expires in 59 days", or why not.
    pub message: String,
    /// Scope drift, environments that could not be watched.
    pub warnings: Vec<String>,
    #[ts(type = "number")]
    pub elapsed_ms: u64,
}

/// One step of the wizard.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export_to = "ReconnectStep.ts", rename = "ReconnectStep")]
pub struct WizardStep {
    pub provider: String,
    pub account: Option<String>,
    pub reason: Reason,
    pub why: String,
    /// The environment's own connect page for the provider (shown, copyable, opened).
    pub url: Option<String>,
    /// Why there is no URL (no connect_url, no app_url).
    pub url_error: Option<AppError>,
    /// Shown before opening: the provider refuses localhost redirect URIs.
    pub advice: Option<String>,
    pub status: StepStatus,
    /// The last outcome, for a step that ended.
    pub outcome: Option<StepOutcome>,
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export_to = "ReconnectWizard.ts", rename = "ReconnectWizard")]
pub struct Wizard {
    pub workspace: String,
    pub env: String,
    pub app_url: Option<String>,
    /// The environment the list was compared with.
    pub reference: Option<String>,
    pub steps: Vec<WizardStep>,
    /// The first step not done (landed or skipped); `None` when every step is.
    pub current: Option<u32>,
    /// Saved progress was found and continued.
    pub resumed: bool,
    /// The reference environment could not be read: the list holds only what is expired
    /// or broken here.
    pub errors: Vec<EnvError>,
    /// How long a step waits for the connection (`[timeouts] reconnect`).
    #[ts(type = "number")]
    pub timeout_ms: u64,
}

/// What a finished wizard did.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export_to = "ReconnectSummary.ts", rename = "ReconnectSummary")]
pub struct Summary {
    pub env: String,
    pub landed: Vec<String>,
    pub skipped: Vec<String>,
    pub failed: Vec<StepOutcome>,
    pub pending: Vec<String>,
}

fn reason_str(r: Reason) -> &'static str {
    match r {
        Reason::Missing => "missing",
        Reason::Expired => "expired",
        Reason::Broken => "broken",
        Reason::Asked => "asked",
    }
}

fn parse_reason(s: &str) -> Reason {
    match s {
        "missing" => Reason::Missing,
        "expired" => Reason::Expired,
        "broken" => Reason::Broken,
        _ => Reason::Asked,
    }
}

/// The wizard for `env`: saved progress when there is some (limited to `providers` when
/// given), else a new list — missing here but healthy in the reference environment
/// (`from`, default the first development one), expired or broken here; `providers` adds
/// and limits. The list is saved, so closing envdeck and coming back resumes it.
pub async fn plan(
    ctx: &Context,
    ws: &Workspace,
    env: &str,
    from: Option<&str>,
    providers: &[String],
) -> Result<Wizard> {
    let e = ws.environment(env)?;
    let saved = ctx.store.wizard_steps(&ws.name, env).await?;
    let resumable = !saved.is_empty()
        && providers
            .iter()
            .all(|p| saved.iter().any(|s| s.provider.eq_ignore_ascii_case(p)));
    let mut errors = Vec::new();
    let (reference, records) = if resumable {
        let reference = match from {
            Some(f) => reconnect::reference_env(ws, env, Some(f))?,
            None => saved.iter().find_map(|s| s.reference_env.clone()),
        };
        let records: Vec<WizardStepRecord> = saved
            .into_iter()
            .filter(|s| {
                providers.is_empty()
                    || providers
                        .iter()
                        .any(|p| p.eq_ignore_ascii_case(&s.provider))
            })
            .collect();
        (reference, records)
    } else {
        let reference = reconnect::reference_env(ws, env, from)?;
        let here = super::parity::env_integrations(ctx, ws, e).await?;
        let there = match &reference {
            Some(r) => match super::parity::env_integrations(ctx, ws, ws.environment(r)?).await {
                Ok(rows) => rows,
                Err(err) => {
                    errors.push(EnvError {
                        env: r.clone(),
                        error: err.to_wire(),
                    });
                    Vec::new()
                }
            },
            None => Vec::new(),
        };
        let list: Vec<Item> = reconnect::items(env, reference.as_deref(), &here, &there, providers);
        ctx.store.clear_wizard(&ws.name, env).await?;
        let now = ctx.now_text();
        let mut records = Vec::new();
        for (i, item) in list.into_iter().enumerate() {
            let r = WizardStepRecord {
                provider: item.provider,
                position: i as i64,
                account: item.account,
                reason: reason_str(item.reason).to_string(),
                why: item.why,
                reference_env: reference.clone(),
                step: StepStatus::Pending.as_str().to_string(),
                outcome_json: None,
                updated_at: now.clone(),
            };
            ctx.store.save_wizard_step(&ws.name, env, &r).await?;
            records.push(r);
        }
        (reference, records)
    };
    let steps: Vec<WizardStep> = records.iter().map(|r| step(ws, e, r)).collect();
    let current = steps
        .iter()
        .position(|s| !s.status.done())
        .map(|i| i as u32);
    Ok(Wizard {
        workspace: ws.name.clone(),
        env: env.to_string(),
        app_url: e.app_url.clone(),
        reference,
        steps,
        current,
        resumed: resumable,
        errors,
        timeout_ms: ws.timeouts.reconnect.saturating_mul(1000),
    })
}

fn step(ws: &Workspace, env: &Environment, r: &WizardStepRecord) -> WizardStep {
    let (url, url_error) = match reconnect::connect_url(ws, env, &r.provider) {
        Ok(u) => (Some(u), None),
        Err(e) => (None, Some(e.to_wire())),
    };
    WizardStep {
        provider: r.provider.clone(),
        account: r.account.clone(),
        reason: parse_reason(&r.reason),
        why: r.why.clone(),
        url,
        url_error,
        advice: reconnect::localhost_advice(ws, env, &r.provider),
        status: StepStatus::parse(&r.step),
        outcome: r
            .outcome_json
            .as_deref()
            .and_then(|j| serde_json::from_str(j).ok()),
    }
}

/// Opens `url` in the browser: `ENVDECK_BROWSER` when set, else the system browser.
/// Returns within about 2 s whatever the browser does.
pub async fn open_url(url: &str) -> Result<()> {
    let cmd = std::env::var(reconnect::BROWSER_VAR)
        .ok()
        .filter(|s| !s.trim().is_empty());
    reconnect::open_browser(url, cmd).await
}

/// Records a step's status (and outcome), adding the step when the list lacks it.
pub(super) async fn record(
    ctx: &Context,
    ws: &Workspace,
    env: &str,
    provider: &str,
    status: StepStatus,
    outcome: Option<&StepOutcome>,
) -> Result<()> {
    let saved = ctx.store.wizard_steps(&ws.name, env).await?;
    let mut r = match saved.iter().find(|s| s.provider == provider) {
        Some(s) => s.clone(),
        None => WizardStepRecord {
            provider: provider.to_string(),
            position: saved.iter().map(|s| s.position + 1).max().unwrap_or(0),
            account: outcome.and_then(|o| o.expected_account.clone()),
            reason: "asked".into(),
            why: "asked for".into(),
            reference_env: None,
            step: String::new(),
            outcome_json: None,
            updated_at: String::new(),
        },
    };
    r.step = status.as_str().to_string();
    r.updated_at = ctx.now_text();
    if let Some(o) = outcome {
        r.outcome_json = Some(
            serde_json::to_string(o)
                .map_err(|e| Error::internal(format!("could not save the outcome: {e}")))?,
        );
    }
    ctx.store.save_wizard_step(&ws.name, env, &r).await
}

/// Skips a step: it counts as done, listed as skipped in the summary.
pub async fn skip_step(
    ctx: &Context,
    ws: &Workspace,
    env: &str,
    provider: &str,
) -> Result<StepOutcome> {
    ws.environment(env)?;
    let saved = ctx.store.wizard_steps(&ws.name, env).await?;
    let expected = saved
        .iter()
        .find(|s| s.provider == provider)
        .and_then(|s| s.account.clone());
    let o = StepOutcome {
        provider: provider.to_string(),
        kind: OutcomeKind::Skipped,
        env: env.to_string(),
        expected_account: expected,
        account: None,
        landed_in: None,
        landed_in_url: None,
        at: None,
        message: format!("skipped: {provider} is still to reconnect in {env}"),
        warnings: Vec::new(),
        elapsed_ms: 0,
    };
    record(ctx, ws, env, provider, StepStatus::Skipped, Some(&o)).await?;
    Ok(o)
}

/// Accepts a step that landed as another account than expected: it counts as landed.
pub async fn accept_step(ctx: &Context, ws: &Workspace, env: &str, provider: &str) -> Result<()> {
    ws.environment(env)?;
    let saved = ctx.store.wizard_steps(&ws.name, env).await?;
    let outcome: Option<StepOutcome> = saved
        .iter()
        .find(|s| s.provider == provider)
        .and_then(|s| s.outcome_json.as_deref())
        .and_then(|j| serde_json::from_str(j).ok());
    match outcome {
        Some(o) if o.kind == OutcomeKind::AccountMismatch => {
            record(ctx, ws, env, provider, StepStatus::Landed, Some(&o)).await
        }
        _ => Err(Error::invalid_input(format!(
            "{provider} in {env} has no connection that landed as another account to accept: watch the step first, or retry it"
        ))),
    }
}

/// What the wizard of `env` did so far.
pub async fn summary(ctx: &Context, ws: &Workspace, env: &str) -> Result<Summary> {
    let saved = ctx.store.wizard_steps(&ws.name, env).await?;
    let mut s = Summary {
        env: env.to_string(),
        landed: Vec::new(),
        skipped: Vec::new(),
        failed: Vec::new(),
        pending: Vec::new(),
    };
    for r in saved {
        match StepStatus::parse(&r.step) {
            StepStatus::Landed => s.landed.push(r.provider),
            StepStatus::Skipped => s.skipped.push(r.provider),
            StepStatus::Failed => match r
                .outcome_json
                .as_deref()
                .and_then(|j| serde_json::from_str(j).ok())
            {
                Some(o) => s.failed.push(o),
                None => s.pending.push(r.provider),
            },
            StepStatus::Pending | StepStatus::Waiting => s.pending.push(r.provider),
        }
    }
    Ok(s)
}

/// Ends the wizard of `env`: its summary, and the saved progress forgotten (the next
/// wizard starts from what the databases say then).
pub async fn finish(ctx: &Context, ws: &Workspace, env: &str) -> Result<Summary> {
    let s = summary(ctx, ws, env).await?;
    ctx.store.clear_wizard(&ws.name, env).await?;
    Ok(s)
}
