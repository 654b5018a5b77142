//! `envdeck sync undo`: the preview (--dry-run), the typed confirmation, the undo and what
//! it kept and why.

use std::io::{BufRead, IsTerminal, Write};
use std::process::ExitCode;

use super::sync::EXIT_REFUSED;
use crate::api::{self, Context};
use crate::error::{Error, Result};
use crate::sync::plan::show;
use crate::sync::undo::UndoPlan;
use crate::workspace::Workspace;

pub struct Flags {
    pub dry_run: bool,
    pub confirm: Option<String>,
    pub fingerprint: Option<String>,
    pub json: bool,
}

pub async fn undo(ctx: &Context, ws: &Workspace, sync_id: &str, f: &Flags) -> Result<ExitCode> {
    let preview = api::sync_undo::undo_preview(ctx, ws, sync_id).await?;
    let plan = match &preview.plan {
        Some(p) if preview.noop.is_none() => p,
        _ => {
            let why = preview.noop.clone().unwrap_or_default();
            if f.json {
                super::output::print_json(&serde_json::json!({
                    "sync_id": preview.sync_id, "outcome": "noop", "reason": why,
                }))?;
            } else {
                println!("Nothing to do: {why}");
            }
            return Ok(ExitCode::SUCCESS);
        }
    };
    if let Some(b) = &plan.blocked {
        if f.json {
            super::output::print_json(&preview)?;
        }
        eprintln!("error: refused: {b}");
        return Ok(ExitCode::from(EXIT_REFUSED));
    }
    if !f.dry_run && plan.delete.is_empty() && f.json {
        // Nothing left that may go: an undo with nothing to do, as a second undo is.
        super::output::print_json(&serde_json::json!({
            "sync_id": preview.sync_id, "outcome": "noop",
            "reason": format!(
                "nothing can be deleted: the {} remaining row(s) of this sync are kept (changed since, or referred to from outside it)",
                plan.kept.len()
            ),
            "plan": plan,
        }))?;
        return Ok(ExitCode::SUCCESS);
    }
    if f.dry_run || plan.delete.is_empty() {
        if f.json {
            super::output::print_json(&preview)?;
        } else {
            print(plan);
            if plan.delete.is_empty() {
                println!("\nNothing can be deleted: every row of this sync is kept.");
            }
        }
        return Ok(ExitCode::SUCCESS);
    }
    let n = plan.delete.len();
    let confirmation = match (&f.confirm, &f.fingerprint) {
        (Some(env), Some(fp)) => api::sync::Confirmation {
            env: env.clone(),
            fingerprint: fp.clone(),
        },
        (None, None) if std::io::stdin().is_terminal() && std::io::stderr().is_terminal() => {
            print(plan);
            eprint!(
                "\nDelete {n} row(s) from {} (fingerprint {}).\nType {} to confirm: ",
                plan.to, plan.fingerprint, plan.to
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
                "error: refused: undoing without a terminal needs both --confirm {} and --fingerprint {} (the fingerprint `sync undo --dry-run` shows); nothing was deleted",
                plan.to, plan.fingerprint
            );
            return Ok(ExitCode::from(EXIT_REFUSED));
        }
    };
    let cancel = crate::progress::Cancel::new();
    super::progress::cancel_on_ctrl_c(&cancel);
    let report = api::sync_undo::undo(ctx, ws, sync_id, &confirmation, &cancel).await?;
    if f.json {
        super::output::print_json(&report)?;
    } else if report.outcome == "undone" {
        println!(
            "Deleted {} row(s) from {} in one transaction (undo {} of sync {}, fingerprint {}):",
            report.deleted.values().sum::<usize>(),
            report.to,
            report.undo_id,
            report.sync_id,
            report.fingerprint
        );
        for (t, k) in &report.deleted {
            println!("  {t}: {k}");
        }
        for k in &report.kept {
            println!("  kept {} ({}): {}", k.table, show(&k.key), k.reason);
        }
    } else if report.outcome == "noop" {
        println!("Nothing to do: {}", report.reason);
    }
    if report.outcome == "refused" {
        eprintln!(
            "error: refused (undo {}): {}",
            report.undo_id, report.reason
        );
        return Ok(ExitCode::from(EXIT_REFUSED));
    }
    Ok(ExitCode::SUCCESS)
}

fn print(p: &UndoPlan) {
    println!(
        "Undo sync {} in {}: {} row(s) to delete, {} kept, fingerprint {}",
        p.sync_id,
        p.to,
        p.delete.len(),
        p.kept.len(),
        p.fingerprint
    );
    for r in &p.delete {
        println!("  - {} ({})", r.table, show(&r.key));
    }
    if !p.kept.is_empty() {
        println!("\nKept:");
        for k in &p.kept {
            println!("  = {} ({}): {}", k.table, show(&k.key), k.reason);
        }
    }
    if !p.sql.is_empty() {
        println!("\nSQL:");
        for s in &p.sql {
            println!("  {s}");
        }
    }
}
