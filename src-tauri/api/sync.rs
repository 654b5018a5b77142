//! The guarded sync's user actions: the plan (a preview that writes nothing), the apply
//! (confirmed, journaled whatever its outcome) and the list of syncs.

use std::collections::BTreeMap;

use serde::Serialize;
use ts_rs::TS;

use super::Context;
use crate::connectors::OpenOptions;
use crate::error::{Error, Result};
use crate::progress::{Cancel, Progress};
use crate::snapshot;
use crate::state::{JournalRow, JournalTable, SyncRecord};
use crate::sync::apply::{Applied, ApplyInput};
use crate::sync::log_table::LogHead;
use crate::sync::{Plan, Reviewed, Selection, Side, TableConf};
use crate::workspace::Workspace;

/// What a person asks to copy.
#[derive(Debug, Clone, Default)]
pub struct PlanRequest {
    pub from: String,
    pub to: String,
    pub selections: Vec<Selection>,
    pub with_parents: bool,
    /// Copied workflows keep their active flag (otherwise they land inactive).
    pub activate: bool,
}

/// Rows read per table for a plan, at most.
const MAX_PLAN_ROWS: usize = snapshot::MAX_DATA_ROWS;

/// Reads both environments (the selected tables and, through their foreign keys, their
/// parents) and plans the copy. Reads only: both connections are the usual read sessions.
pub async fn plan(ctx: &Context, ws: &Workspace, req: &PlanRequest) -> Result<Plan> {
    let from = ws.environment(&req.from)?;
    let to = ws.environment(&req.to)?;
    if from.name == to.name {
        return Err(Error::invalid_input(
            "--from and --to are the same environment: pick the one to copy into",
        ));
    }
    let confs = TableConf::activate(TableConf::all(ws), req.activate);
    check_selections(ws, &confs, &req.selections)?;
    let roots: Vec<String> = req.selections.iter().map(|s| s.table.clone()).collect();
    // Both connections at once (a round trip and a SCRAM exchange each); the first error
    // ends both.
    let (mut a, mut b) = futures::try_join!(ctx.connect(ws, from), ctx.connect(ws, to))?;
    let (configured, extras) = (configured(&confs), extras(ws));
    let scope = scope(ws, &configured, &extras);
    // Both environments at once: each read waits on its own database.
    let read = async {
        let (src, dst) = futures::join!(
            snapshot::copy_closure(&mut a, &roots, &scope),
            snapshot::copy_closure(&mut b, &roots, &scope)
        );
        let (src, dst) = (src?, dst?);
        let identity = snapshot::identity(&mut b).await?;
        Ok::<_, Error>((src, dst, identity))
    };
    let read = read.await;
    a.close().await;
    b.close().await;
    let (mut src, mut dst, identity) = read?;
    let draft = crate::sync::plan::draft(
        &confs,
        &req.selections,
        &from.name,
        &mut src,
        Side {
            env: &to.name,
            identity: &identity,
            tables: &dst,
        },
        req.with_parents,
    );
    // The plan holds what it copies: the rows read (100,000s for a large plan) are freed
    // before the SQL is rendered; the target's columns and triggers stay (the fingerprint
    // covers them).
    drop(src);
    for t in &mut dst {
        t.rows = Vec::new();
    }
    Ok(draft.finish(Side {
        env: &to.name,
        identity: &identity,
        tables: &dst,
    }))
}

/// Per table of `tables`, the natural keys of `env`'s rows, as digests
/// ([`crate::sync::plan::key_digests`]): read from the key columns only (and the columns
/// those keys' foreign keys refer to), never whole rows. Two of these, the source's and
/// the target's, give the rows still missing ([`crate::sync::plan::missing`]).
pub async fn key_digests(
    ctx: &Context,
    ws: &Workspace,
    env: &str,
    tables: &[String],
) -> Result<BTreeMap<String, Vec<u128>>> {
    let env = ws.environment(env)?;
    let confs = TableConf::all(ws);
    let keys: Vec<(String, Vec<String>)> = confs
        .iter()
        .map(|c| (c.table.clone(), c.key.clone()))
        .collect();
    let mut conn = ctx.connect(ws, env).await?;
    let (configured, extras) = (configured(&confs), extras(ws));
    let scope = scope(ws, &configured, &extras);
    let read = snapshot::key_closure(&mut conn, tables, &keys, &scope).await;
    conn.close().await;
    let read = read?;
    // Hashing 100,000s of keys is CPU work: on a thread of its own, so the apply this runs
    // beside (in the same task) is not held up.
    let (name, tables) = (env.name.clone(), tables.to_vec());
    tokio::task::spawn_blocking(move || {
        crate::sync::plan::key_digests(
            &confs,
            &tables,
            Side {
                env: &name,
                identity: &name,
                tables: &read,
            },
        )
    })
    .await
    .map_err(|e| Error::internal(format!("comparing the keys stopped: {e}")))
}

fn configured(confs: &[TableConf]) -> Vec<String> {
    confs.iter().map(|c| c.table.clone()).collect()
}

/// How a plan reads an environment: rows of the configured tables, never a secret column.
fn scope<'a>(
    ws: &'a Workspace,
    configured: &'a [String],
    extras: &'a snapshot::Extras,
) -> snapshot::CopyScope<'a> {
    snapshot::CopyScope {
        configured,
        integrations_table: &ws.integrations.table,
        secret_columns: &ws.integrations.secret_columns,
        max_rows: MAX_PLAN_ROWS,
        extras,
    }
}

/// What `[workflows]` declares beyond the database: `owner` as a foreign key to
/// `owner_table`, and the credentials table, read for id, name and type only.
fn extras(ws: &Workspace) -> snapshot::Extras {
    let w = &ws.workflows;
    let mut e = snapshot::Extras::default();
    if let (Some(owner), Some(table)) = (&w.owner, &w.owner_table) {
        e.virtual_fks.push((
            w.table.clone(),
            snapshot::CopyFk {
                column: owner.clone(),
                parent: table.clone(),
                parent_column: w.owner_table_id.clone(),
            },
        ));
    }
    if let Some(table) = &w.credentials_table {
        e.narrow.push((
            w.table.clone(),
            table.clone(),
            vec![
                w.credentials_id.clone(),
                w.credentials_name.clone(),
                w.credentials_type.clone(),
            ],
        ));
    }
    e
}

/// The integrations table is never synced; every other table must be configured.
fn check_selections(ws: &Workspace, confs: &[TableConf], selections: &[Selection]) -> Result<()> {
    for s in selections {
        if s.table == ws.integrations.table
            || s.table.rsplit('.').next() == Some(ws.integrations.table.as_str())
        {
            return Err(Error::invalid_input(format!(
                "{:?} is the integrations table, and it can never be compared row by row or synced: tokens belong to the environment that received them: reconnect it in each environment instead (the reconnect wizard)",
                s.table
            )));
        }
        if !confs.iter().any(|c| c.table == s.table) {
            return Err(Error::invalid_input(format!(
                "table {:?} is not configured for syncing: add it to [[tables]] (or [[reference_data]]) in {} with its natural key",
                s.table,
                ws.path.display()
            )));
        }
    }
    Ok(())
}

/// What the person typed to confirm an apply: the target environment's name and the plan's
/// fingerprint (the 8 characters shown, or all of it).
#[derive(Debug, Clone)]
pub struct Confirmation {
    pub env: String,
    pub fingerprint: String,
}

/// How an apply ended: `applied` or `refused` (nothing written, `reason` says why). A
/// failed or cancelled apply is journaled too and returns its error.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export_to = "ApplyReport.ts")]
pub struct ApplyReport {
    pub sync_id: String,
    pub outcome: String,
    pub reason: String,
    pub from: String,
    pub to: String,
    pub fingerprint: String,
    /// Rows inserted per table (empty unless applied).
    pub inserted: BTreeMap<String, usize>,
}

/// Applies a reviewed plan: checks the confirmation, then lets the guarded sync check the
/// target against the plan's fingerprint and run its statements inside one transaction on
/// the target. Every outcome is journaled, with one audit line.
pub async fn apply(
    ctx: &Context,
    ws: &Workspace,
    plan: Reviewed,
    confirmation: &Confirmation,
    progress: &dyn Progress,
    cancel: &Cancel,
) -> Result<ApplyReport> {
    let (report, _) =
        apply_then(ctx, ws, plan, confirmation, progress, cancel, || async {}).await?;
    Ok(report)
}

/// [`apply`], and once the transaction committed, `after` (the CLI's compare-again) runs
/// while the journal records the outcome: the two touch different databases. `after` runs,
/// and its output comes back, only on a commit. The inserted rows are journaled before
/// the commit, statement by statement, while the next statement runs.
pub async fn apply_then<F, Fut>(
    ctx: &Context,
    ws: &Workspace,
    plan: Reviewed,
    confirmation: &Confirmation,
    progress: &dyn Progress,
    cancel: &Cancel,
    after: F,
) -> Result<(ApplyReport, Option<Fut::Output>)>
where
    F: FnOnce() -> Fut,
    Fut: std::future::Future,
{
    let from = ws.environment(&plan.from)?;
    let to = ws.environment(&plan.to)?;
    let confs = TableConf::activate(TableConf::all(ws), plan.activate);
    check_selections(ws, &confs, &plan.selections)?;
    let at = ctx.now_text();
    let mut record = SyncRecord {
        sync_id: sync_id(&at, &plan.fingerprint_full),
        at: at.clone(),
        os_user: os_user(),
        workspace: ws.name.clone(),
        from: from.name.clone(),
        to: to.name.clone(),
        target_identity: plan.target_identity.clone(),
        fingerprint: plan.fingerprint.clone(),
        outcome: String::new(),
        reason: String::new(),
        tables: Vec::new(),
    };
    let fp = confirmation.fingerprint.trim().to_ascii_lowercase();
    let refusal = if confirmation.env != to.name {
        Some(format!(
            "the confirmation names {:?}, but this plan writes into {}: type {} to confirm",
            confirmation.env, to.name, to.name
        ))
    } else if !confirms(&fp, &plan) {
        Some(format!(
            "fingerprint {:?} is not this plan's ({}): review the plan again and confirm the fingerprint it shows",
            confirmation.fingerprint, plan.fingerprint
        ))
    } else {
        None
    };
    // A confirmed apply opens its journal before it touches the target.
    let begun = refusal.is_none();
    let outcome = match refusal {
        Some(reason) => Ok(Applied::Refused {
            identity: None,
            reason,
        }),
        None => {
            // The journal first: nothing is written into the target without it.
            ctx.store.begin_sync(&record).await?;
            let (configured, extras) = (configured(&confs), extras(ws));
            let scope = scope(ws, &configured, &extras);
            // The source is not read again: the apply runs the reviewed statements, once
            // the target proves unchanged since the preview.
            let work = async {
                let url = ctx.database_url(ws, to).await?;
                let label = format!("the database URL of {}", to.name);
                let dir = ws.dir();
                let open = OpenOptions {
                    base: &dir,
                    protected: to.protected,
                    label: &label,
                    limits: super::limits(ws),
                };
                let input = ApplyInput {
                    confirmed: &plan,
                    confs: &confs,
                    scope,
                    log: ws.sync.log_table.as_deref().map(|table| LogHead {
                        table,
                        sync_id: &record.sync_id,
                        at: &at,
                        user: &record.os_user,
                    }),
                    journal: std::sync::Arc::new(StoreJournal {
                        writer: ctx.store.journal_writer(),
                        head: record.clone(),
                    }),
                };
                crate::sync::apply::apply(&input, &url, &open, progress, cancel).await
            };
            crate::progress::until_cancelled(cancel, work).await
        }
    };
    // The reviewed plan (its statements and every row's key, 10s of MB for a large plan)
    // is not needed for the journal: freed on another thread while it is written.
    tokio::task::spawn_blocking(move || drop(plan));
    let result = match outcome {
        Ok(Applied::Committed { identity, tables }) => {
            record.outcome = crate::state::APPLIED.into();
            record.target_identity = identity;
            record.tables = tables
                .into_iter()
                .map(|t| JournalTable {
                    table: t.table,
                    rows: t
                        .rows
                        .into_iter()
                        .map(|r| JournalRow {
                            key: r.key,
                            pk: r.pk,
                            hash: r.hash,
                        })
                        .collect(),
                })
                .collect();
            Ok(())
        }
        Ok(Applied::Refused { identity, reason }) => {
            record.outcome = "refused".into();
            if let Some(i) = identity {
                record.target_identity = i;
            }
            record.reason = reason;
            Ok(())
        }
        Err(e) => {
            record.outcome = if e.code == crate::error::ErrorCode::Cancelled {
                "cancelled".into()
            } else {
                "failed".into()
            };
            record.reason = e.message.clone();
            Err(e)
        }
    };
    let rows: usize = record.tables.iter().map(|t| t.rows.len()).sum();
    let audit = format!(
        "sync {} {}: {rows} row(s) from {} (fingerprint {}){}",
        record.sync_id,
        record.outcome,
        from.name,
        record.fingerprint,
        if record.reason.is_empty() {
            String::new()
        } else {
            format!(": {}", record.reason)
        }
    );
    let committed = record.outcome == crate::state::APPLIED;
    let journal = async {
        if begun {
            ctx.store.finish_sync(&record, &audit).await
        } else {
            ctx.store.record_sync_audited(&record, Some(&audit)).await
        }
    };
    let (recorded, after) = if committed {
        let (r, a) = futures::join!(journal, after());
        (r, Some(a))
    } else {
        (journal.await, None)
    };
    recorded?;
    result?;
    let report = ApplyReport {
        sync_id: record.sync_id,
        outcome: record.outcome,
        reason: record.reason,
        from: record.from,
        to: record.to,
        fingerprint: record.fingerprint,
        inserted: record
            .tables
            .iter()
            .map(|t| (t.table.clone(), t.rows.len()))
            .collect(),
    };
    Ok((report, after))
}

/// The apply's journal in the local store: each statement's rows, as they come back.
struct StoreJournal {
    writer: crate::state::JournalWriter,
    /// The sync's `syncs` row, as [`crate::state::Store::begin_sync`] wrote it.
    head: SyncRecord,
}

impl crate::sync::apply::Journal for StoreJournal {
    fn rows<'a>(
        &'a self,
        seq: usize,
        table: &'a str,
        rows: &'a [crate::sync::apply::InsertedRow],
    ) -> futures::future::BoxFuture<'a, Result<()>> {
        Box::pin(async move {
            let packed: Vec<_> = rows.iter().map(|r| (&r.key, &r.pk, &r.hash)).collect();
            let json = serde_json::to_string(&packed)
                .map_err(|e| Error::internal(format!("could not journal the rows: {e}")))?;
            self.writer.part(&self.head, seq, table, &json).await
        })
    }
}

/// The workspace's syncs, newest first.
pub async fn log(ctx: &Context, ws: &Workspace) -> Result<Vec<SyncRecord>> {
    ctx.store.syncs(&ws.name).await
}

/// The person running envdeck, as the OS session names them.
/// Who is syncing, for the journal: the login name from the environment, else (Unix) the
/// name /etc/passwd gives this process's user id, else its number.
pub(super) fn os_user() -> String {
    if let Some(u) = ["USER", "USERNAME", "LOGNAME"]
        .iter()
        .find_map(|v| std::env::var(v).ok().filter(|s| !s.is_empty()))
    {
        return u;
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if let Ok(uid) = std::fs::metadata("/proc/self").map(|m| m.uid()) {
            let name = std::fs::read_to_string("/etc/passwd").ok().and_then(|p| {
                p.lines().find_map(|l| {
                    let mut f = l.split(':');
                    let name = f.next()?;
                    (f.nth(1)?.parse::<u32>().ok()? == uid).then(|| name.to_string())
                })
            });
            return name.unwrap_or_else(|| format!("uid {uid}"));
        }
    }
    "unknown".into()
}

/// `20261121T102210-1a2b3c`: sortable by time, unique per process and plan.
pub(super) fn sync_id(at: &str, fingerprint: &str) -> String {
    use sha2::{Digest, Sha256};
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    let h = Sha256::digest(format!("{fingerprint}/{nanos}/{}", std::process::id()).as_bytes());
    let stamp: String = at.chars().filter(|c| c.is_ascii_alphanumeric()).collect();
    let stamp = stamp.trim_end_matches('Z');
    format!("{stamp}-{}", hex::encode(&h[..3]))
}

/// Whether the fingerprint a person confirmed is this plan's. It is checked against the
/// full fingerprint, the one the apply recomputes inside its transaction from the
/// statements it will run, never against the short one written beside it: a plan file whose
/// statements were edited, and its full fingerprint recomputed, no longer matches what the
/// person read in the preview.
fn confirms(fp: &str, plan: &Reviewed) -> bool {
    let full = plan.fingerprint_full.as_str();
    full.len() >= 8 && (fp == full || full.get(..8) == Some(fp)) && plan.fingerprint == full[..8]
}
