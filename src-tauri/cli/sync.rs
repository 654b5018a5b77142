//! `envdeck sync …`: the plan as text or JSON, the plan file, the confirmed apply and its
//! re-compare, the log of syncs; exit codes (4 = refused).

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Subcommand;

use crate::api::{self, Context};
use crate::error::{Error, Result};
use crate::sync::{Plan, Selection};

/// Refused: the plan is blocked, the target changed since the preview, the confirmation is
/// missing or wrong.
pub const EXIT_REFUSED: u8 = 4;

#[derive(Debug, Subcommand)]
pub enum SyncCommand {
    /// Preview copying rows of configured tables from one environment into another: the
    /// rows, in foreign-key order, blockers, warnings, the exact SQL and the fingerprint.
    /// Writes nothing. Exit 0 plannable, 4 blocked, 1 could not run.
    Plan {
        /// The environment to copy from.
        #[arg(long)]
        from: String,
        /// The environment to copy into.
        #[arg(long)]
        to: String,
        /// A [[tables]] or [[reference_data]] table.
        #[arg(long)]
        table: String,
        /// A row's natural key, comma-separated in key order (a foreign key as its
        /// parent's key, as `check` shows it); repeatable.
        #[arg(long = "key", value_name = "K[,K2]")]
        keys: Vec<String>,
        /// Every row of the table missing in --to.
        #[arg(long, required_unless_present = "keys")]
        all_missing: bool,
        /// Also insert parents missing in --to (otherwise the plan is blocked naming them).
        #[arg(long)]
        with_parents: bool,
        /// Print JSON on stdout.
        #[arg(long)]
        json: bool,
        /// Write the whole plan to FILE (for `sync apply`).
        #[arg(short = 'o', long = "output", value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// Insert a reviewed plan (`sync plan -o FILE`) in one transaction, after planning it
    /// again inside it: refused (exit 4) when the target changed since the preview. On a
    /// terminal, asks for the target environment's name; otherwise needs --confirm and
    /// --fingerprint. Exit 0 applied, 4 refused, 1 failed, 130 cancelled.
    Apply {
        /// The plan file written by `sync plan -o`.
        plan: PathBuf,
        /// The target environment's name, as a typed confirmation.
        #[arg(long, value_name = "ENV")]
        confirm: Option<String>,
        /// The plan's fingerprint, as `sync plan` showed it.
        #[arg(long, value_name = "FP")]
        fingerprint: Option<String>,
        /// Print JSON on stdout.
        #[arg(long)]
        json: bool,
    },
    /// Take back an applied sync: delete exactly the rows it inserted that are still
    /// unchanged and that no other row refers to (the others are listed and kept), in one
    /// transaction. On a terminal, asks for the target environment's name; otherwise needs
    /// --confirm and --fingerprint (as --dry-run shows it). Exit 0 undone or nothing left
    /// to undo, 4 refused, 1 failed, 130 cancelled.
    Undo {
        /// The sync's id, as `sync log` shows it.
        sync_id: String,
        /// Show what would be deleted and kept, the SQL and the fingerprint; write nothing.
        #[arg(long)]
        dry_run: bool,
        /// The target environment's name, as a typed confirmation.
        #[arg(long, value_name = "ENV")]
        confirm: Option<String>,
        /// The undo's fingerprint, as --dry-run showed it.
        #[arg(long, value_name = "FP")]
        fingerprint: Option<String>,
        /// Print JSON on stdout.
        #[arg(long)]
        json: bool,
    },
    /// The syncs of this workspace, newest first, with their outcome and their undos.
    Log {
        /// Print JSON on stdout.
        #[arg(long)]
        json: bool,
    },
}

pub async fn run(
    ctx: &Context,
    ws: &crate::workspace::Workspace,
    cmd: &SyncCommand,
) -> Result<ExitCode> {
    let (from, to, table, keys, all_missing, with_parents, json, output) = match cmd {
        SyncCommand::Plan {
            from,
            to,
            table,
            keys,
            all_missing,
            with_parents,
            json,
            output,
        } => (
            from,
            to,
            table,
            keys,
            all_missing,
            with_parents,
            json,
            output,
        ),
        SyncCommand::Apply {
            plan,
            confirm,
            fingerprint,
            json,
        } => {
            return super::sync_apply::apply(ctx, ws, plan, confirm, fingerprint, *json).await;
        }
        SyncCommand::Undo {
            sync_id,
            dry_run,
            confirm,
            fingerprint,
            json,
        } => {
            let flags = super::sync_undo::Flags {
                dry_run: *dry_run,
                confirm: confirm.clone(),
                fingerprint: fingerprint.clone(),
                json: *json,
            };
            return super::sync_undo::undo(ctx, ws, sync_id, &flags).await;
        }
        SyncCommand::Log { json } => return super::sync_apply::log(ctx, ws, *json).await,
    };
    let req = api::sync::PlanRequest {
        from: from.clone(),
        to: to.clone(),
        selections: vec![Selection {
            table: table.clone(),
            keys: keys
                .iter()
                .map(|k| k.split(',').map(str::to_string).collect())
                .collect(),
            all_missing: *all_missing,
        }],
        with_parents: *with_parents,
    };
    let plan = api::sync::plan(ctx, ws, &req).await?;
    if let Some(path) = output {
        let text = serde_json::to_string_pretty(&plan)
            .map_err(|e| Error::internal(format!("could not encode the plan: {e}")))?;
        std::fs::write(path, text + "\n").map_err(|e| Error::io("write", path, &e))?;
    }
    if *json {
        super::output::print_json(&summary(&plan))?;
    } else {
        print(&plan);
    }
    Ok(if plan.blocked() {
        ExitCode::from(EXIT_REFUSED)
    } else {
        ExitCode::SUCCESS
    })
}

fn summary(p: &Plan) -> serde_json::Value {
    serde_json::json!({
        "fingerprint": p.fingerprint,
        "fingerprint_full": p.fingerprint_full,
        "from": p.from,
        "to": p.to,
        "tables": p.tables.iter().map(|t| serde_json::json!({
            "table": t.table,
            "inserts": t.inserts.len(),
            "rows": t.inserts,
        })).collect::<Vec<_>>(),
        "parents_added": p.parents_added,
        "blockers": p.blockers,
        "warnings": p.warnings,
        "sql": p.sql,
    })
}

fn print(p: &Plan) {
    use crate::sync::plan::show;
    println!(
        "Plan {} → {}: {} row(s), fingerprint {}",
        p.from,
        p.to,
        p.insert_count(),
        p.fingerprint
    );
    for t in &p.tables {
        println!("\n{} ({} insert(s))", t.table, t.inserts.len());
        for i in &t.inserts {
            let tag = if i.parent { "  (parent)" } else { "" };
            println!("  + {}{tag}", show(&i.key));
            for r in &i.remapped {
                let to = r.to_value.as_deref().unwrap_or("inserted by this plan");
                println!(
                    "      {} {} → {} via {} ({})",
                    r.column,
                    r.from_value,
                    to,
                    r.parent,
                    show(&r.parent_key)
                );
            }
        }
        if let Some(i) = t.inserts.first() {
            for o in &i.omitted {
                println!("    omitted {}: {}", o.column, o.reason);
            }
        }
    }
    for w in &p.warnings {
        println!("\nwarning: {w}");
    }
    for b in &p.blockers {
        println!("\nblocked: {}", b.sentence);
    }
    if !p.sql.is_empty() {
        println!("\nSQL:");
        for s in &p.sql {
            println!("  {s}");
        }
    }
}
