//! One step of the reconnect wizard: take a baseline of every environment, then poll each
//! on one read-only connection until the connection lands in the right one (or another),
//! the step times out, or it is cancelled.

use std::time::Duration;

use serde::Deserialize;
use ts_rs::TS;

use super::Context;
use super::reconnect::{StepOutcome, StepStatus, record};
use crate::connectors::Connection;
use crate::error::Result;
use crate::progress::{Cancel, Progress};
use crate::reconnect::{self, Decision, Mark, OutcomeKind, Probe, Seen, Watched};
use crate::workspace::{Environment, Workspace};

/// How a step waits.
#[derive(Debug, Clone, Deserialize, TS)]
#[ts(
    export_to = "ReconnectWatchOptions.ts",
    rename = "ReconnectWatchOptions"
)]
pub struct WatchOptions {
    /// How long to wait for the connection (default 10 minutes).
    #[ts(type = "number")]
    pub timeout_ms: u64,
    /// How often each database is read (default 2 s).
    #[ts(type = "number")]
    pub interval_ms: u64,
    /// The environment whose row the landed one is compared with (scopes).
    pub reference: Option<String>,
}

impl Default for WatchOptions {
    fn default() -> Self {
        WatchOptions {
            timeout_ms: 10 * 60 * 1000,
            interval_ms: 2000,
            reference: None,
        }
    }
}

/// One environment on the watch: its connection, its statement, its baseline.
struct Post {
    conn: Connection,
    probe: Probe,
    watched: Watched,
}

async fn post(
    ctx: &Context,
    ws: &Workspace,
    env: &Environment,
    provider: &str,
    cancel: &Cancel,
) -> Result<Post> {
    let mut conn = ctx.connect_watched(ws, env, cancel).await?;
    let probe = Probe::prepare(&mut conn, &ws.integrations).await?;
    let baseline = probe.read(&mut conn, provider).await?;
    Ok(Post {
        conn,
        probe,
        watched: Watched {
            env: env.name.clone(),
            app_url: env.app_url.clone(),
            baseline,
        },
    })
}

/// Waits until `provider`'s connection lands in `env` (healthy, new or changed since the
/// step started), lands as another account, or lands in another environment of the
/// workspace instead; or `opts.timeout_ms` passes. Progress: one `advance` per poll with
/// the elapsed seconds. Cancel ends it with a `cancelled` error; the step stays saved as
/// waiting, so the wizard resumes there. Only mapped, non-secret columns are read.
#[allow(clippy::too_many_arguments)]
pub async fn watch_step(
    ctx: &Context,
    ws: &Workspace,
    env: &str,
    provider: &str,
    expected_account: Option<&str>,
    opts: &WatchOptions,
    progress: &dyn Progress,
    cancel: &Cancel,
) -> Result<StepOutcome> {
    let target = ws.environment(env)?;
    cancel.check()?;
    record(ctx, ws, env, provider, StepStatus::Waiting, None).await?;
    let started = tokio::time::Instant::now();
    let work = async {
        let mut here = post(ctx, ws, target, provider, cancel).await?;
        let mut warnings = Vec::new();
        let mut others: Vec<Post> = Vec::new();
        let loads = ws
            .environments
            .iter()
            .filter(|e| e.name != env)
            .map(|e| async move { (e, post(ctx, ws, e, provider, cancel).await) });
        for (e, r) in futures::future::join_all(loads).await {
            match r {
                Ok(p) => others.push(p),
                Err(err) => warnings.push(format!(
                    "{} could not be watched for a connection landing there by mistake: {}",
                    e.name, err.message
                )),
            }
        }
        let reference_scopes = reference_scopes(ws, opts, &others, expected_account);
        progress.start(
            &format!("waiting for {env} to receive the {provider} connection"),
            None,
        );
        let timeout = Duration::from_millis(opts.timeout_ms.max(1));
        let interval = Duration::from_millis(opts.interval_ms.clamp(50, 60_000));
        let mut note: Option<String> = None;
        loop {
            let now_rows = here.probe.read(&mut here.conn, provider).await?;
            let mut reads: Vec<Vec<Mark>> = Vec::new();
            let mut lost = Vec::new();
            for (i, o) in others.iter_mut().enumerate() {
                match o.probe.read(&mut o.conn, provider).await {
                    Ok(r) => reads.push(r),
                    Err(err) => {
                        warnings.push(format!(
                            "stopped watching {}: {}",
                            o.watched.env, err.message
                        ));
                        lost.push(i);
                        reads.push(o.watched.baseline.clone());
                    }
                }
            }
            let pairs: Vec<(&Watched, &[Mark])> = others
                .iter()
                .zip(&reads)
                .map(|(o, r)| (&o.watched, r.as_slice()))
                .collect();
            let now = ctx.now();
            let d = reconnect::decide(
                &ws.integrations,
                (&here.watched, &now_rows),
                &pairs,
                expected_account,
                now,
            );
            for i in lost.into_iter().rev() {
                others.remove(i);
            }
            let elapsed = started.elapsed();
            progress.advance(elapsed.as_secs());
            match d {
                Decision::Wait { note: n } => {
                    if n.is_some() {
                        note = n;
                    }
                }
                decided => {
                    return Ok((decided, warnings, reference_scopes, elapsed));
                }
            }
            if elapsed >= timeout {
                let seen = format!(
                    "no new or updated {provider} row{} with a healthy status reached {env}'s database within {}{}",
                    expected_account
                        .map(|a| format!(" for {a}"))
                        .unwrap_or_default(),
                    human(timeout),
                    note.map(|n| format!(" ({n})")).unwrap_or_default()
                );
                return Ok((
                    Decision::Wait { note: Some(seen) },
                    warnings,
                    reference_scopes,
                    elapsed,
                ));
            }
            tokio::time::sleep(interval.min(timeout.saturating_sub(elapsed))).await;
        }
    };
    let r = crate::progress::until_cancelled(cancel, work).await;
    progress.finish();
    let (decision, mut warnings, reference_scopes, elapsed) = r?;
    let now = ctx.now();
    let mut o = StepOutcome {
        provider: provider.to_string(),
        kind: OutcomeKind::Timeout,
        env: env.to_string(),
        expected_account: expected_account.map(str::to_string),
        account: None,
        landed_in: None,
        landed_in_url: None,
        at: None,
        message: String::new(),
        warnings: Vec::new(),
        elapsed_ms: elapsed.as_millis() as u64,
    };
    let fill = |o: &mut StepOutcome, s: &Seen| {
        let (text, at) = reconnect::proof(s, now, now);
        o.account = s.mark.account.clone();
        o.landed_in = Some(s.env.clone());
        o.landed_in_url = s.app_url.clone();
        o.at = Some(at);
        text
    };
    match decision {
        Decision::Landed(s) => {
            o.kind = OutcomeKind::Landed;
            o.message = fill(&mut o, &s);
            scope_warning(&mut warnings, &s, reference_scopes.as_ref(), env);
        }
        Decision::AccountMismatch(s) => {
            o.kind = OutcomeKind::AccountMismatch;
            let proof = fill(&mut o, &s);
            o.message = format!(
                "{proof} — but as {}, not {}: accept it if that account is right, or retry and sign in as {}",
                s.mark.account.as_deref().unwrap_or("another account"),
                expected_account.unwrap_or("the expected account"),
                expected_account.unwrap_or("the expected account"),
            );
            scope_warning(&mut warnings, &s, reference_scopes.as_ref(), env);
        }
        Decision::WrongEnvironment(s) => {
            o.kind = OutcomeKind::WrongEnvironment;
            fill(&mut o, &s);
            o.message = format!(
                "it landed in {} — the browser completed the flow on {}; open {env}'s URL{}",
                s.env,
                s.app_url.as_deref().unwrap_or("that environment's app"),
                target
                    .app_url
                    .as_deref()
                    .map(|u| format!(" ({u})"))
                    .unwrap_or_default()
            );
        }
        Decision::Wait { note } => {
            o.message = format!(
                "timed out: {}. The flow may have been abandoned or denied in the browser; open the URL again and finish it, or check the app's logs",
                note.unwrap_or_default()
            );
        }
    }
    o.warnings = warnings;
    let status = if o.kind == OutcomeKind::Landed {
        StepStatus::Landed
    } else {
        StepStatus::Failed
    };
    record(ctx, ws, env, provider, status, Some(&o)).await?;
    Ok(o)
}

/// The reference environment's scopes for the provider (the expected account's row, else
/// any usable one), when `[integrations] scopes` is mapped.
fn reference_scopes(
    ws: &Workspace,
    opts: &WatchOptions,
    others: &[Post],
    expected_account: Option<&str>,
) -> Option<(String, String)> {
    ws.integrations.scopes.as_ref()?;
    let r = opts.reference.as_deref()?;
    let post = others.iter().find(|p| p.watched.env == r)?;
    let rows = &post.watched.baseline;
    let pick = rows
        .iter()
        .find(|m| {
            expected_account.is_some_and(|a| {
                m.account
                    .as_deref()
                    .is_some_and(|b| b.eq_ignore_ascii_case(a))
            })
        })
        .or_else(|| rows.first())?;
    Some((r.to_string(), pick.scopes.clone()?))
}

fn scope_warning(
    warnings: &mut Vec<String>,
    s: &Seen,
    reference: Option<&(String, String)>,
    env: &str,
) {
    let Some((r, scopes)) = reference else {
        return;
    };
    let missing = reconnect::missing_scopes(Some(scopes), s.mark.scopes.as_deref());
    if !missing.is_empty() {
        warnings.push(format!(
            "missing scopes: {} granted in {r} but not in {env} — the app asked for fewer, or they were unticked on the consent page; reconnect granting them if {env} needs them",
            missing.join(", ")
        ));
    }
}

fn human(d: Duration) -> String {
    let s = d.as_secs();
    if s >= 60 && s.is_multiple_of(60) {
        format!("{} min", s / 60)
    } else if s >= 1 {
        format!("{s} s")
    } else {
        format!("{} ms", d.as_millis())
    }
}
