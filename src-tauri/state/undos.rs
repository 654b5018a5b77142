//! The journal of undos: one `sync_undos` row per undo of a sync (undone, refused, failed,
//! cancelled) with the rows it deleted and the rows it kept.

use serde::{Deserialize, Serialize};
use sqlx::Row;

use super::{Store, db_err};
use crate::error::Result;

/// One undo as journaled. Keys, ids, hashes and sentences; never a secret value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export_to = "UndoRecord.ts")]
pub struct UndoRecord {
    pub undo_id: String,
    /// The sync it takes back.
    pub sync_id: String,
    pub at: String,
    pub os_user: String,
    pub workspace: String,
    pub env: String,
    pub target_identity: String,
    pub fingerprint: String,
    /// `undone`, `refused`, `failed` or `cancelled`.
    pub outcome: String,
    pub reason: String,
    pub deleted: Vec<UndoneRow>,
    pub kept: Vec<KeptRow>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export_to = "UndoneRow.ts")]
pub struct UndoneRow {
    pub table: String,
    pub key: Vec<Option<String>>,
    pub pk: Vec<Option<String>>,
    pub hash: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export_to = "UndoneKeptRow.ts", rename = "UndoneKeptRow")]
pub struct KeptRow {
    pub table: String,
    pub key: Vec<Option<String>>,
    pub pk: Vec<Option<String>>,
    /// `changed`, `gone`, `referenced`, `no_primary_key`.
    pub why: String,
    pub reason: String,
}

impl Store {
    pub async fn record_undo(&self, r: &UndoRecord) -> Result<()> {
        sqlx::query(
            "INSERT INTO sync_undos (undo_id, sync_id, at, os_user, workspace, env, target_identity, fingerprint, outcome, reason, deleted_json, kept_json)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
        )
        .bind(&r.undo_id)
        .bind(&r.sync_id)
        .bind(&r.at)
        .bind(&r.os_user)
        .bind(&r.workspace)
        .bind(&r.env)
        .bind(&r.target_identity)
        .bind(&r.fingerprint)
        .bind(&r.outcome)
        .bind(&r.reason)
        .bind(serde_json::to_string(&r.deleted).unwrap_or_default())
        .bind(serde_json::to_string(&r.kept).unwrap_or_default())
        .execute(&self.pool)
        .await
        .map(drop)
        .map_err(|e| db_err(e, &self.path))
    }

    /// A workspace's undos, oldest first.
    pub async fn undos(&self, workspace: &str) -> Result<Vec<UndoRecord>> {
        let rows = sqlx::query(
            "SELECT undo_id, sync_id, at, os_user, workspace, env, target_identity, fingerprint, outcome, reason, deleted_json, kept_json
             FROM sync_undos WHERE workspace = ?1 ORDER BY at, rowid",
        )
        .bind(workspace)
        .fetch_all(&self.pool)
        .await
        .map_err(|e| db_err(e, &self.path))?;
        Ok(rows
            .iter()
            .map(|r| UndoRecord {
                undo_id: r.get(0),
                sync_id: r.get(1),
                at: r.get(2),
                os_user: r.get(3),
                workspace: r.get(4),
                env: r.get(5),
                target_identity: r.get(6),
                fingerprint: r.get(7),
                outcome: r.get(8),
                reason: r.get(9),
                deleted: serde_json::from_str(r.get::<&str, _>(10)).unwrap_or_default(),
                kept: serde_json::from_str(r.get::<&str, _>(11)).unwrap_or_default(),
            })
            .collect())
    }
}
