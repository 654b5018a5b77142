//! `envdeck sync apply` (confirmation, the apply, the re-compare of the touched tables) and
//! `envdeck sync log` (with each sync's undos).

use std::io::{BufRead, IsTerminal, Write};
use std::path::Path;
use std::process::ExitCode;

use super::sync::EXIT_REFUSED;
use crate::api::{self, Context};
use crate::error::{Error, Result};
use crate::sync::Reviewed;
use crate::workspace::Workspace;

pub async fn apply(
    ctx: &Context,
    ws: &Workspace,
    file: &Path,
    confirm: &Option<String>,
    fingerprint: &Option<String>,
    json: bool,
) -> Result<ExitCode> {
    let bytes = std::fs::read(file).map_err(|e| Error::io("read", file, &e))?;
    // The plan as reviewed, its values skipped: the apply plans again and compares. Parsed
    // from memory (through a reader it took 0.1 s longer for 200,000 rows); the file's bytes
    // are freed on another thread (10s of MB handed back to the OS) while the apply starts.
    let plan: Reviewed = serde_json::from_slice(&bytes).map_err(|e| {
        Error::invalid_input(format!(
            "{} is not a plan file ({e}): write one with `envdeck sync plan … -o FILE`",
            file.display()
        ))
    })?;
    std::thread::spawn(move || drop(bytes));
    let n = plan.insert_count();
    let confirmation = match (confirm, fingerprint) {
        (Some(env), Some(fp)) => api::sync::Confirmation {
            env: env.clone(),
            fingerprint: fp.clone(),
        },
        (None, None) if std::io::stdin().is_terminal() && std::io::stderr().is_terminal() => {
            eprint!(
                "Insert {n} row(s) from {} into {} (fingerprint {}).\nType {} to confirm: ",
                plan.from, plan.to, plan.fingerprint, plan.to
            );
            let _ = std::io::stderr().flush();
            let mut line = String::new();
            std::io::stdin()
                .lock()
                .read_line(&mut line)
                .map_err(|e| Error::internal(format!("could not read the confirmation: {e}")))?;
            api::sync::Confirmation {
                env: line.trim().to_string(),
                fingerprint: plan.fingerprint.clone(),
            }
        }
        _ => {
            eprintln!(
                "error: refused: applying without a terminal needs both --confirm {} and --fingerprint {} (the fingerprint `sync plan` showed); nothing was written",
                plan.to, plan.fingerprint
            );
            return Ok(ExitCode::from(EXIT_REFUSED));
        }
    };
    let cancel = crate::progress::Cancel::new();
    super::progress::cancel_on_ctrl_c(&cancel);
    let bar = super::progress::Bar::new();
    let touched: Vec<String> = plan.tables.iter().map(|t| t.table.clone()).collect();
    let from = plan.from.clone();
    // The compare-again reads the source's keys while the apply's statements run (the
    // apply never writes the source), the target's once it committed. Not before the
    // statements: read while the apply checks the target, in its transaction, the source's
    // 100,000s of keys took the CPU that check needed. The plan goes to the apply, which
    // frees it before journaling.
    let inserting = tokio::sync::Notify::new();
    let progress = Watched {
        bar: &bar,
        inserting: &inserting,
    };
    let source = async {
        inserting.notified().await;
        crate::progress::until_cancelled(&cancel, api::sync::key_digests(ctx, ws, &from, &touched))
            .await
    };
    // The target's keys are read once the apply committed, while the journal is written.
    let to = plan.to.clone();
    let target = || {
        crate::progress::until_cancelled(&cancel, api::sync::key_digests(ctx, ws, &to, &touched))
    };
    let apply = api::sync::apply_then(ctx, ws, plan, &confirmation, &progress, &cancel, target);
    let (applied, source) = {
        futures::pin_mut!(apply, source);
        match futures::future::select(apply, source).await {
            futures::future::Either::Left((applied, source)) => {
                // The apply ended first: compared again only if it committed. One refused
                // before its statements never woke the source's read; one that failed or
                // was cancelled during them drops it.
                let committed =
                    matches!(&applied, Ok((r, _)) if r.outcome == crate::state::APPLIED);
                let source = if committed {
                    inserting.notify_one();
                    Some(source.await)
                } else {
                    None
                };
                (applied, source)
            }
            futures::future::Either::Right((source, apply)) => (apply.await, Some(source)),
        }
    };
    let (report, target) = applied?;
    let applied = report.outcome == "applied";
    let still = target
        .zip(source)
        .and_then(|(target, source)| recompare(source, target));
    if json {
        let mut j = serde_json::json!({
            "sync_id": report.sync_id,
            "inserted": report.inserted,
            "outcome": report.outcome,
            "fingerprint": report.fingerprint,
        });
        if !report.reason.is_empty() {
            j["reason"] = report.reason.clone().into();
        }
        if let Some(s) = &still {
            j["still_missing"] = serde_json::json!(s);
        }
        super::output::print_json(&j)?;
    } else if applied {
        println!(
            "Inserted {} row(s) into {} in one transaction (sync {}, fingerprint {}):",
            report.inserted.values().sum::<usize>(),
            report.to,
            report.sync_id,
            report.fingerprint
        );
        for (t, k) in &report.inserted {
            println!("  {t}: {k}");
        }
        if let Some(s) = &still {
            println!("\nCompared again:");
            for (t, k) in s {
                if *k == 0 {
                    println!(
                        "  {t}: no row of {} is missing in {} any more",
                        report.from, report.to
                    );
                } else {
                    println!(
                        "  {t}: {k} row(s) of {} still missing in {}",
                        report.from, report.to
                    );
                }
            }
        }
    }
    if !applied {
        eprintln!(
            "error: refused (sync {}): {}",
            report.sync_id, report.reason
        );
        return Ok(ExitCode::from(EXIT_REFUSED));
    }
    Ok(ExitCode::SUCCESS)
}

/// The apply's progress bar, which also wakes the compare-again's read of the source when
/// the statements start.
struct Watched<'a> {
    bar: &'a dyn crate::progress::Progress,
    inserting: &'a tokio::sync::Notify,
}

impl crate::progress::Progress for Watched<'_> {
    fn wants_total(&self) -> bool {
        self.bar.wants_total()
    }

    fn start(&self, label: &str, total: Option<u64>) {
        self.inserting.notify_one();
        self.bar.start(label, total);
    }

    fn advance(&self, done: u64) {
        self.bar.advance(done);
    }

    fn finish(&self) {
        self.bar.finish();
    }
}

/// The touched tables compared again by natural key: per table, the rows of the source
/// (its keys read during the apply) still missing in the target (its keys read after the
/// commit). `None` (with a warning) when either read failed: the apply itself stands.
fn recompare(
    source: Result<std::collections::BTreeMap<String, Vec<u128>>>,
    target: Result<std::collections::BTreeMap<String, Vec<u128>>>,
) -> Option<std::collections::BTreeMap<String, usize>> {
    match source.and_then(|s| target.map(|t| crate::sync::plan::missing(&s, &t))) {
        Ok(m) => Some(m),
        Err(e) => {
            eprintln!("warning: could not compare again: {}", e.message);
            None
        }
    }
}

pub async fn log(ctx: &Context, ws: &Workspace, json: bool) -> Result<ExitCode> {
    let syncs = api::sync::log(ctx, ws).await?;
    let undos = api::sync_undo::undos(ctx, ws).await?;
    let undos_of = |id: &str| -> Vec<&crate::state::UndoRecord> {
        undos.iter().filter(|u| u.sync_id == id).collect()
    };
    if json {
        // Each sync with the undos of it, oldest first.
        let list: Vec<serde_json::Value> = syncs
            .iter()
            .map(|s| {
                let mut v = serde_json::to_value(s).unwrap_or_default();
                v["undos"] = serde_json::to_value(undos_of(&s.sync_id)).unwrap_or_default();
                v
            })
            .collect();
        super::output::print_json(&list)?;
        return Ok(ExitCode::SUCCESS);
    }
    if syncs.is_empty() {
        println!("No syncs yet in {}.", ws.name);
    }
    for s in &syncs {
        let rows: usize = s.tables.iter().map(|t| t.rows.len()).sum();
        println!(
            "{}  {}  {} → {}  {}  {rows} row(s)  fingerprint {}  by {}",
            s.sync_id, s.at, s.from, s.to, s.outcome, s.fingerprint, s.os_user
        );
        if !s.reason.is_empty() {
            println!("    {}", s.reason);
        }
        if s.outcome == crate::state::APPLYING {
            println!(
                "    still running, or envdeck stopped before it recorded whether the transaction committed: its rows were journaled first; `envdeck sync undo {}` removes those of them that are in {}",
                s.sync_id, s.to
            );
        }
        for u in undos_of(&s.sync_id) {
            println!(
                "    undo {}  {}  {}  {} deleted, {} kept  fingerprint {}  by {}",
                u.undo_id,
                u.at,
                u.outcome,
                u.deleted.len(),
                u.kept.len(),
                u.fingerprint,
                u.os_user
            );
            if !u.reason.is_empty() {
                println!("        {}", u.reason);
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
