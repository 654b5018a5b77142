//! `envdeck reconnect --env prod`: the reconnect wizard on the command line. For each step
//! the URL (opened in the browser), a spinner while envdeck waits for the connection to
//! land, then the proof or the reason. Exit 0 all landed, 2 some did not, 1 error, 130
//! Ctrl-C (progress saved: the same command resumes at the same step).

use std::io::IsTerminal;
use std::process::ExitCode;
use std::time::Duration;

use super::output::{self, safe};
use super::progress;
use crate::api::Context;
use crate::api::reconnect::{self as wizard, StepOutcome, StepStatus, WatchOptions, WizardStep};
use crate::error::{ErrorCode, Result};
use crate::reconnect::OutcomeKind;
use crate::workspace::Workspace;

#[derive(Debug, clap::Args)]
pub struct ReconnectArgs {
    /// The environment to reconnect integrations in (e.g. prod).
    #[arg(long)]
    pub env: String,
    /// The environment to compare with (default: the first development environment).
    #[arg(long)]
    pub from: Option<String>,
    /// Only these providers (repeatable); a provider not on the list is added.
    #[arg(long = "provider", value_name = "PROVIDER")]
    pub providers: Vec<String>,
    /// Print the URLs without opening a browser.
    #[arg(long)]
    pub no_open: bool,
    /// How long each step waits for the connection to land (e.g. 10m, 90s; default the
    /// workspace's [timeouts] reconnect, 10 minutes).
    #[arg(long, value_parser = parse_duration)]
    pub timeout: Option<Duration>,
    /// How often each environment's database is read while waiting (e.g. 2s, 500ms).
    #[arg(long, default_value = "2s", value_parser = parse_duration)]
    pub interval: Duration,
    /// One JSON object per step on stdout.
    #[arg(long)]
    pub json: bool,
}

/// `10m`, `90s`, `200ms`, `1h`, or a number of seconds.
fn parse_duration(s: &str) -> std::result::Result<Duration, String> {
    let s = s.trim();
    let split = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    let (n, unit) = s.split_at(split);
    let n: u64 = n
        .parse()
        .map_err(|_| format!("{s:?} is not a duration: write e.g. 10m, 90s or 500ms"))?;
    let d = match unit {
        "" | "s" => Duration::from_secs(n),
        "ms" => Duration::from_millis(n),
        "m" | "min" => Duration::from_secs(n * 60),
        "h" => Duration::from_secs(n * 3600),
        _ => return Err(format!("unknown unit {unit:?}: use ms, s, m or h")),
    };
    if d.is_zero() {
        return Err("a duration of zero waits for nothing: give e.g. 10m".into());
    }
    Ok(d)
}

fn json_line(step: &WizardStep, o: &StepOutcome) -> Result<()> {
    output::print_json_line(&serde_json::json!({
        "provider": o.provider,
        "account": o.account.clone().or_else(|| o.expected_account.clone()),
        "expected_account": o.expected_account,
        "url": step.url,
        "outcome": o.kind.as_str(),
        "landed_in": o.landed_in,
        "at": o.at,
        "message": o.message,
        "warnings": o.warnings,
    }))
}

fn print_outcome(step: &WizardStep, o: &StepOutcome, json: bool) -> Result<()> {
    if json {
        return json_line(step, o);
    }
    let mark = match o.kind {
        OutcomeKind::Landed => "✓",
        OutcomeKind::Skipped => "–",
        _ => "✗",
    };
    println!("{mark} {}: {}", safe(&o.provider), safe(&o.message));
    for w in &o.warnings {
        eprintln!("{}", output::warning_line(w));
    }
    Ok(())
}

pub async fn run(ctx: &Context, ws: &Workspace, a: &ReconnectArgs) -> Result<ExitCode> {
    let plan = wizard::plan(ctx, ws, &a.env, a.from.as_deref(), &a.providers).await?;
    for e in &plan.errors {
        eprintln!(
            "{}",
            output::warning_line(&format!(
                "{} could not be read ({}): the list holds only what is expired or broken in {}",
                e.env, e.error.message, a.env
            ))
        );
    }
    if plan.steps.is_empty() {
        eprintln!(
            "nothing to reconnect in {}: every integration {} has is healthy there",
            a.env,
            plan.reference
                .as_deref()
                .unwrap_or("the other environments")
        );
        wizard::finish(ctx, ws, &a.env).await?;
        return Ok(ExitCode::SUCCESS);
    }
    if plan.resumed
        && let Some(i) = plan.current
    {
        eprintln!(
            "resuming the reconnect wizard of {} at step {} of {} ({})",
            a.env,
            i + 1,
            plan.steps.len(),
            safe(&plan.steps[i as usize].provider)
        );
    }
    let cancel = crate::progress::Cancel::new();
    progress::cancel_on_ctrl_c(&cancel);
    let browser_set =
        std::env::var_os(crate::reconnect::BROWSER_VAR).is_some_and(|v| !v.is_empty());
    let can_open = !a.no_open && (browser_set || crate::reconnect::has_display());
    let opts = WatchOptions {
        timeout_ms: a.timeout.map_or(plan.timeout_ms, |t| t.as_millis() as u64),
        interval_ms: a.interval.as_millis() as u64,
        reference: plan.reference.clone(),
    };
    // A person at a terminal decides what an account mismatch or a miss means; without one
    // (CI, --json) only a landing counts.
    let interactive = !a.json && std::io::stdin().is_terminal() && std::io::stderr().is_terminal();
    let n = plan.steps.len();
    let mut all_landed = true;
    for (i, step) in plan.steps.iter().enumerate() {
        if step.status.done() {
            if let Some(o) = &step.outcome {
                print_outcome(step, o, a.json)?;
            }
            all_landed &= step.status == StepStatus::Landed;
            continue;
        }
        eprintln!(
            "[{}/{n}] {} in {}{} ({})",
            i + 1,
            safe(&step.provider),
            a.env,
            step.account
                .as_deref()
                .map(|acc| format!(", expected account {}", safe(acc)))
                .unwrap_or_default(),
            safe(&step.why)
        );
        let Some(url) = &step.url else {
            if let Some(e) = &step.url_error {
                eprintln!("{}", output::warning_line(&e.message));
            }
            all_landed = false;
            continue;
        };
        if let Some(advice) = &step.advice {
            eprintln!("{}", output::warning_line(advice));
        }
        let landed = run_step(ctx, ws, a, step, url, &opts, &cancel, can_open, interactive).await?;
        all_landed &= landed;
    }
    let s = wizard::finish(ctx, ws, &a.env).await?;
    let list = |v: &[String]| {
        if v.is_empty() {
            "none".to_string()
        } else {
            v.join(", ")
        }
    };
    let failed: Vec<String> = s
        .failed
        .iter()
        .map(|o| format!("{} ({})", o.provider, o.kind.as_str()))
        .collect();
    eprintln!(
        "{}: landed {}; skipped {}; not landed {}",
        a.env,
        safe(&list(&s.landed)),
        safe(&list(&s.skipped)),
        safe(&list(&failed))
    );
    Ok(if all_landed {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(2)
    })
}

/// One step: print and open the URL, wait, print the outcome; at a terminal, ask what to
/// do when it did not land (accept another account, retry, skip). Whether it counts as
/// landed.
#[allow(clippy::too_many_arguments)]
async fn run_step(
    ctx: &Context,
    ws: &Workspace,
    a: &ReconnectArgs,
    step: &WizardStep,
    url: &str,
    opts: &WatchOptions,
    cancel: &crate::progress::Cancel,
    can_open: bool,
    interactive: bool,
) -> Result<bool> {
    loop {
        if a.json {
            eprintln!("open {}", safe(url));
        } else {
            println!("open {}", safe(url));
        }
        if can_open {
            if let Err(e) = wizard::open_url(url).await {
                eprintln!("{}", output::warning_line(&e.message));
            }
        } else if !a.no_open {
            eprintln!("no display to open a browser on: open the URL above yourself");
        }
        let spinner = progress::Spinner::new();
        let r = wizard::watch_step(
            ctx,
            ws,
            &a.env,
            &step.provider,
            step.account.as_deref(),
            opts,
            &spinner,
            cancel,
        )
        .await;
        let o = match r {
            Ok(o) => o,
            Err(e) => {
                if e.code == ErrorCode::Cancelled {
                    eprintln!(
                        "progress saved: run the same command to resume at {} in {}",
                        safe(&step.provider),
                        a.env
                    );
                }
                return Err(e);
            }
        };
        print_outcome(step, &o, a.json)?;
        if o.kind == OutcomeKind::Landed {
            return Ok(true);
        }
        if !interactive {
            return Ok(false);
        }
        let mismatch = o.kind == OutcomeKind::AccountMismatch;
        let question = if mismatch {
            format!(
                "keep {} for {} in {}? [a]ccept, [r]etry, [s]kip: ",
                o.account.as_deref().unwrap_or("that account"),
                step.provider,
                a.env
            )
        } else {
            format!("{} in {}: [r]etry, [s]kip: ", step.provider, a.env)
        };
        match ask(&question, cancel).await?.as_str() {
            "a" | "accept" if mismatch => {
                wizard::accept_step(ctx, ws, &a.env, &step.provider).await?;
                eprintln!(
                    "accepted {} as {}",
                    safe(&step.provider),
                    safe(o.account.as_deref().unwrap_or(""))
                );
                return Ok(true);
            }
            "r" | "retry" => continue,
            _ => {
                let s = wizard::skip_step(ctx, ws, &a.env, &step.provider).await?;
                print_outcome(step, &s, a.json)?;
                return Ok(false);
            }
        }
    }
}

/// A one-line answer from the terminal, lower-cased; Ctrl-C while asking cancels.
async fn ask(question: &str, cancel: &crate::progress::Cancel) -> Result<String> {
    eprint!("{question}");
    let read = tokio::task::spawn_blocking(|| {
        let mut line = String::new();
        std::io::stdin().read_line(&mut line).map(|_| line)
    });
    tokio::select! {
        r = read => Ok(r
            .ok()
            .and_then(|r| r.ok())
            .map(|l| l.trim().to_ascii_lowercase())
            .unwrap_or_default()),
        _ = cancel.cancelled() => Err(crate::progress::cancelled()),
    }
}

#[cfg(test)]
mod tests {
    use super::parse_duration;
    use std::time::Duration;

    #[test]
    fn durations_read_as_people_write_them() {
        assert_eq!(parse_duration("10m"), Ok(Duration::from_secs(600)));
        assert_eq!(parse_duration("200ms"), Ok(Duration::from_millis(200)));
        assert_eq!(parse_duration("3"), Ok(Duration::from_secs(3)));
        assert!(parse_duration("0s").is_err());
        assert!(parse_duration("5 days").is_err());
    }
}
