//! `envdeck sync …`: the plan as text or JSON, the plan file, the confirmed apply and its
//! re-compare, the log of syncs; exit codes (4 = refused).

use std::io::Write;
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
        /// Copied workflows keep their active flag (otherwise they land inactive).
        #[arg(long)]
        activate: bool,
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
    let (from, to, table, keys, all_missing, with_parents, activate, json, output) = match cmd {
        SyncCommand::Plan {
            from,
            to,
            table,
            keys,
            all_missing,
            with_parents,
            activate,
            json,
            output,
        } => (
            from,
            to,
            table,
            keys,
            all_missing,
            with_parents,
            activate,
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
        activate: *activate,
    };
    let plan = api::sync::plan(ctx, ws, &req).await?;
    // The plan file and the output are written at once, each on its own core: each is a
    // few 10 MB for a plan of 100,000s of rows.
    let written = std::thread::scope(|s| {
        let file = output
            .as_ref()
            .map(|path| s.spawn(|| write_plan(&plan, path)));
        let printed = if *json {
            print_json(&plan)
        } else {
            print(&plan);
            Ok(())
        };
        let written = file.map_or(Ok(()), |h| {
            h.join()
                .unwrap_or_else(|_| Err(Error::internal("writing the plan file panicked")))
        });
        written.and(printed)
    });
    written?;
    let code = if plan.blocked() {
        ExitCode::from(EXIT_REFUSED)
    } else {
        ExitCode::SUCCESS
    };
    // The process ends next: freeing a plan of 100,000s of rows one allocation at a time
    // would only delay the exit (~0.1 s).
    std::mem::forget(plan);
    Ok(code)
}

/// `sync plan --json`: one line (a plan of 100,000s of rows indented is twice the bytes).
fn print_json(plan: &Plan) -> Result<()> {
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    serde_json::to_writer(&mut out, &Summary::of(plan))
        .map_err(|e| Error::internal(format!("could not encode the plan: {e}")))?;
    let _ = writeln!(out);
    let _ = out.flush();
    Ok(())
}

/// The plan file: the whole plan, streamed into a temporary file beside it and renamed
/// over it, so a plan file is never half-written and a failed write leaves an earlier one
/// whole. Not flushed to disk (an fsync of a 75 MB plan took 70 ms of the plan's 0.8 s in
/// tests/bench/sync.sh): a plan is a preview, planned again in a second, and a plan file
/// that a power cut damaged is refused by `sync apply` (not a plan file, or not the
/// fingerprint confirmed), never applied.
fn write_plan(plan: &Plan, path: &std::path::Path) -> Result<()> {
    let tmp = path.with_extension("json.partial");
    let write = || -> std::io::Result<()> {
        let mut w = std::io::BufWriter::new(std::fs::File::create(&tmp)?);
        serde_json::to_writer(&mut w, plan)?;
        w.write_all(b"\n")?;
        w.into_inner().map_err(|e| e.into_error())?;
        std::fs::rename(&tmp, path)
    };
    write().map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        Error::io("write", path, &e)
    })
}

/// `sync plan --json`.
#[derive(serde::Serialize)]
struct Summary<'a> {
    fingerprint: &'a str,
    fingerprint_full: &'a str,
    from: &'a str,
    to: &'a str,
    tables: Vec<SummaryTable<'a>>,
    parents_added: &'a [crate::sync::plan::RowRef],
    blockers: &'a [crate::sync::plan::Blocker],
    warnings: &'a [String],
    sql: &'a [String],
}

#[derive(serde::Serialize)]
struct SummaryTable<'a> {
    table: &'a str,
    inserts: usize,
    columns: &'a [crate::sync::plan::PlanColumn],
    omitted: &'a [crate::sync::plan::Omitted],
    rows: &'a [crate::sync::plan::Insert],
}

impl<'a> Summary<'a> {
    fn of(p: &'a Plan) -> Summary<'a> {
        Summary {
            fingerprint: &p.fingerprint,
            fingerprint_full: &p.fingerprint_full,
            from: &p.from,
            to: &p.to,
            tables: p
                .tables
                .iter()
                .map(|t| SummaryTable {
                    table: &t.table,
                    inserts: t.inserts.len(),
                    columns: &t.columns,
                    omitted: &t.omitted,
                    rows: &t.inserts,
                })
                .collect(),
            parents_added: &p.parents_added,
            blockers: &p.blockers,
            warnings: &p.warnings,
            sql: &p.sql,
        }
    }
}

fn print(p: &Plan) {
    use crate::sync::plan::show;
    // Buffered: a plan can list 100,000s of rows.
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    macro_rules! say {
        ($($a:tt)*) => {
            let _ = writeln!(out, $($a)*);
        };
    }
    say!(
        "Plan {} → {}: {} row(s), fingerprint {}",
        p.from,
        p.to,
        p.insert_count(),
        p.fingerprint
    );
    for t in &p.tables {
        say!("\n{} ({} insert(s))", t.table, t.inserts.len());
        for i in &t.inserts {
            let tag = if i.parent { "  (parent)" } else { "" };
            say!("  + {}{tag}", show(&i.key));
            for r in &i.remapped {
                let to = r.to_value.as_deref().unwrap_or("inserted by this plan");
                say!(
                    "      {} {} → {} via {} ({})",
                    r.column,
                    r.from_value,
                    to,
                    r.parent,
                    show(&r.parent_key)
                );
            }
            for c in &i.credentials {
                say!(
                    "      credential {} {:?} of node {:?}: id {} → {}",
                    c.credential_type,
                    c.name,
                    c.node,
                    c.from_id.as_deref().unwrap_or("(none)"),
                    c.to_id.as_deref().unwrap_or("(none)")
                );
            }
        }
        for o in &t.omitted {
            say!("    omitted {}: {}", o.column, o.reason);
        }
    }
    for w in &p.warnings {
        say!("\nwarning: {w}");
    }
    for b in &p.blockers {
        say!("\nblocked: {}", b.sentence);
    }
    if !p.sql.is_empty() {
        say!("\nSQL:");
        for s in &p.sql {
            say!("  {}", shorten(s).replace('\n', "\n  "));
        }
    }
}

/// A statement as a terminal shows it: a bulk insert of thousands of rows is cut, with a
/// pointer to where it is whole.
fn shorten(sql: &str) -> std::borrow::Cow<'_, str> {
    const SHOWN: usize = 2_000;
    if sql.len() <= 2 * SHOWN {
        return sql.into();
    }
    let mut cut = SHOWN;
    while !sql.is_char_boundary(cut) {
        cut -= 1;
    }
    format!(
        "{}… ({} more characters: the whole statement is in --json and in the plan file)",
        &sql[..cut],
        sql.len() - cut
    )
    .into()
}
