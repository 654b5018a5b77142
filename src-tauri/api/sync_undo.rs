//! Undoing a sync: the preview (what will be deleted, what is kept and why, the SQL, the
//! fingerprint; writes nothing), the confirmed undo (journaled whatever its outcome) and
//! the list of undos.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::Context;
use super::sync::{Confirmation, os_user};
use crate::connectors::OpenOptions;
use crate::error::{Error, ErrorCode, Result};
use crate::progress::Cancel;
use crate::state::{KeptRow, SyncRecord, UndoRecord, UndoneRow};
use crate::sync::apply::InsertedRow;
use crate::sync::log_table::LogHead;
use crate::sync::undo::{JournaledTable, UndoInput, UndoPlan, Undone};
use crate::workspace::Workspace;

/// The preview of an undo: `noop` says why there is nothing left to do (a second undo);
/// otherwise `plan` holds what the undo would do now.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[ts(export_to = "UndoPreview.ts")]
pub struct UndoPreview {
    pub sync_id: String,
    pub to: String,
    pub noop: Option<String>,
    pub plan: Option<UndoPlan>,
}

/// How a confirmed undo ended: `undone`, `refused` (nothing deleted, `reason` says why) or
/// `noop` (already undone: nothing to do, nothing journaled).
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[ts(export_to = "UndoReport.ts")]
pub struct UndoReport {
    pub undo_id: String,
    pub sync_id: String,
    pub to: String,
    pub outcome: String,
    pub reason: String,
    pub fingerprint: String,
    /// Rows deleted per table.
    pub deleted: BTreeMap<String, usize>,
    pub kept: Vec<KeptRow>,
}

/// The applied sync `sync_id`, the undos of it so far, and its rows not yet undone.
struct Target {
    sync: SyncRecord,
    earlier: Vec<UndoRecord>,
    remaining: Vec<JournaledTable>,
}

async fn target(ctx: &Context, ws: &Workspace, sync_id: &str) -> Result<Target> {
    let sync = ctx.store.sync(&ws.name, sync_id).await?.ok_or_else(|| {
        Error::invalid_input(format!(
            "no sync {sync_id:?} in {}'s journal: `envdeck sync log` lists them",
            ws.name
        ))
    })?;
    // `applying`: envdeck stopped before it recorded whether the apply committed; the
    // undo removes those of its journaled rows that are in the target.
    if sync.outcome != crate::state::APPLIED && sync.outcome != crate::state::APPLYING {
        return Err(Error::invalid_input(format!(
            "sync {sync_id} was {}: it wrote nothing, so there is nothing to undo",
            sync.outcome
        )));
    }
    let earlier: Vec<UndoRecord> = ctx
        .store
        .undos(&ws.name)
        .await?
        .into_iter()
        .filter(|u| u.sync_id == sync_id)
        .collect();
    let gone: BTreeSet<(&str, &[Option<String>])> = earlier
        .iter()
        .filter(|u| u.outcome == "undone")
        .flat_map(|u| u.deleted.iter())
        .map(|r| (r.table.as_str(), r.pk.as_slice()))
        .collect();
    let remaining = sync
        .tables
        .iter()
        .map(|t| JournaledTable {
            table: t.table.clone(),
            rows: t
                .rows
                .iter()
                .filter(|r| !gone.contains(&(t.table.as_str(), r.pk.as_slice())))
                .map(|r| InsertedRow {
                    key: r.key.clone(),
                    pk: r.pk.clone(),
                    hash: r.hash.clone(),
                })
                .collect(),
        })
        .filter(|t| !t.rows.is_empty())
        .collect();
    Ok(Target {
        sync,
        earlier,
        remaining,
    })
}

impl Target {
    /// Why a new undo has nothing to do, when it has not.
    fn noop(&self) -> Option<String> {
        if !self.remaining.is_empty() {
            return None;
        }
        Some(
            match self.earlier.iter().rev().find(|u| u.outcome == "undone") {
                Some(u) => format!(
                    "sync {} was already undone ({} at {}): nothing left to delete",
                    self.sync.sync_id, u.undo_id, u.at
                ),
                None => format!(
                    "sync {} inserted no rows: nothing to undo",
                    self.sync.sync_id
                ),
            },
        )
    }

    fn input<'a>(&'a self, ws: &'a Workspace) -> UndoInput<'a> {
        UndoInput {
            sync_id: &self.sync.sync_id,
            to: &self.sync.to,
            target_identity: &self.sync.target_identity,
            tables: &self.remaining,
            secret_columns: &ws.integrations.secret_columns,
        }
    }
}

/// What undoing `sync_id` would do now. Reads the target in a read-only session.
pub async fn undo_preview(ctx: &Context, ws: &Workspace, sync_id: &str) -> Result<UndoPreview> {
    let t = target(ctx, ws, sync_id).await?;
    let mut out = UndoPreview {
        sync_id: t.sync.sync_id.clone(),
        to: t.sync.to.clone(),
        noop: t.noop(),
        plan: None,
    };
    if out.noop.is_none() {
        let env = ws.environment(&t.sync.to)?;
        let mut conn = ctx.connect(ws, env).await?;
        let plan = crate::sync::undo::plan_undo(&mut conn, &t.input(ws)).await;
        conn.close().await;
        out.plan = Some(plan?);
    }
    Ok(out)
}

/// Undoes `sync_id` when the confirmation names its target and the fingerprint of the undo
/// planned inside the write transaction. Every outcome but a no-op is journaled, with one
/// audit line.
pub async fn undo(
    ctx: &Context,
    ws: &Workspace,
    sync_id: &str,
    confirmation: &Confirmation,
    cancel: &Cancel,
) -> Result<UndoReport> {
    let t = target(ctx, ws, sync_id).await?;
    let to = ws.environment(&t.sync.to)?;
    let at = ctx.now_text();
    let mut report = UndoReport {
        // Unique even when two undos of one sync race (a count of earlier undos is not).
        undo_id: format!(
            "{}-undo-{}",
            t.sync.sync_id,
            super::sync::sync_id(&at, &confirmation.fingerprint)
        ),
        sync_id: t.sync.sync_id.clone(),
        to: to.name.clone(),
        outcome: String::new(),
        reason: String::new(),
        fingerprint: confirmation.fingerprint.trim().to_ascii_lowercase(),
        deleted: BTreeMap::new(),
        kept: Vec::new(),
    };
    if let Some(why) = t.noop() {
        report.outcome = "noop".into();
        report.reason = why;
        return Ok(report);
    }
    let refusal = if confirmation.env != to.name {
        Some(format!(
            "the confirmation names {:?}, but this undo deletes from {}: type {} to confirm",
            confirmation.env, to.name, to.name
        ))
    } else if report.fingerprint.is_empty() {
        Some("no fingerprint: confirm the one `sync undo --dry-run` shows".to_string())
    } else {
        None
    };
    let user = os_user();
    let outcome = match refusal {
        Some(reason) => Ok(Undone::Refused {
            identity: None,
            reason,
        }),
        None => {
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
                let log = ws.sync.log_table.as_deref().map(|table| LogHead {
                    table,
                    sync_id: &report.undo_id,
                    at: &at,
                    user: &user,
                });
                crate::sync::undo::undo(&t.input(ws), &report.fingerprint, log, &url, &open, cancel)
                    .await
            };
            crate::progress::until_cancelled(cancel, work).await
        }
    };
    let mut record = UndoRecord {
        undo_id: report.undo_id.clone(),
        sync_id: t.sync.sync_id.clone(),
        at: at.clone(),
        os_user: user,
        workspace: ws.name.clone(),
        env: to.name.clone(),
        target_identity: t.sync.target_identity.clone(),
        fingerprint: report.fingerprint.clone(),
        outcome: String::new(),
        reason: String::new(),
        deleted: Vec::new(),
        kept: Vec::new(),
    };
    let result = match outcome {
        Ok(Undone::Committed(plan)) => {
            record.outcome = "undone".into();
            record.fingerprint = plan.fingerprint.clone();
            record.deleted = plan
                .delete
                .iter()
                .map(|r| UndoneRow {
                    table: r.table.clone(),
                    key: r.key.clone(),
                    pk: r.pk.clone(),
                    hash: r.hash.clone(),
                })
                .collect();
            record.kept = plan
                .kept
                .iter()
                .map(|k| KeptRow {
                    table: k.table.clone(),
                    key: k.key.clone(),
                    pk: k.pk.clone(),
                    why: serde_json::to_value(k.why)
                        .ok()
                        .and_then(|v| v.as_str().map(str::to_string))
                        .unwrap_or_default(),
                    reason: k.reason.clone(),
                })
                .collect();
            Ok(())
        }
        Ok(Undone::Refused { identity, reason }) => {
            record.outcome = "refused".into();
            if let Some(i) = identity {
                record.target_identity = i;
            }
            record.reason = reason;
            Ok(())
        }
        Err(e) => {
            record.outcome = if e.code == ErrorCode::Cancelled {
                "cancelled".into()
            } else {
                "failed".into()
            };
            record.reason = e.message.clone();
            Err(e)
        }
    };
    ctx.store.record_undo(&record).await?;
    ctx.store
        .audit(
            &at,
            &ws.name,
            Some(&to.name),
            "sync_undo",
            &format!(
                "undo {} of sync {} {}: {} row(s) deleted, {} kept (fingerprint {}){}",
                record.undo_id,
                record.sync_id,
                record.outcome,
                record.deleted.len(),
                record.kept.len(),
                record.fingerprint,
                if record.reason.is_empty() {
                    String::new()
                } else {
                    format!(": {}", record.reason)
                }
            ),
        )
        .await?;
    result?;
    for r in &record.deleted {
        *report.deleted.entry(r.table.clone()).or_default() += 1;
    }
    report.outcome = record.outcome;
    report.reason = record.reason;
    report.fingerprint = record.fingerprint;
    report.kept = record.kept;
    Ok(report)
}

/// The workspace's undos, oldest first.
pub async fn undos(ctx: &Context, ws: &Workspace) -> Result<Vec<UndoRecord>> {
    ctx.store.undos(&ws.name).await
}
