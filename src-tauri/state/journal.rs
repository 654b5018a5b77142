//! The sync journal: one `syncs` row per apply (applying, then applied, refused, failed or
//! cancelled) and one `sync_journal_tables` row per statement it ran (or, journaled after
//! the commit by earlier versions, per table), holding each inserted row's natural key,
//! primary key and row hash, written before the apply commits (the oldest syncs: one
//! `sync_journal` row per inserted row).

use serde::Serialize;
use sqlx::Row;
use ts_rs::TS;

use super::{Store, db_err};
use crate::error::Result;

/// One apply as journaled. Holds keys, ids and hashes, never a secret value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export_to = "SyncRecord.ts")]
pub struct SyncRecord {
    pub sync_id: String,
    pub at: String,
    pub os_user: String,
    pub workspace: String,
    pub from: String,
    pub to: String,
    pub target_identity: String,
    pub fingerprint: String,
    /// `applied`, `refused`, `failed` or `cancelled`.
    pub outcome: String,
    pub reason: String,
    pub tables: Vec<JournalTable>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export_to = "JournalTable.ts")]
pub struct JournalTable {
    pub table: String,
    pub rows: Vec<JournalRow>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export_to = "JournalRow.ts")]
pub struct JournalRow {
    pub key: Vec<Option<String>>,
    pub pk: Vec<Option<String>>,
    pub hash: String,
}

/// An apply's audit line (`sync_apply`, `detail`), inside the caller's transaction.
async fn apply_audit(
    e: &mut sqlx::SqliteConnection,
    r: &SyncRecord,
    detail: &str,
) -> std::result::Result<(), sqlx::Error> {
    super::insert_audit(e, &r.at, &r.workspace, Some(&r.to), "sync_apply", detail).await
}

/// One `sync_journal_tables` row: rows of `table` the sync inserted, packed.
async fn insert_part<'e, E>(
    e: E,
    r: &SyncRecord,
    seq: usize,
    table: &str,
    rows_json: &str,
) -> std::result::Result<(), sqlx::Error>
where
    E: sqlx::Executor<'e, Database = sqlx::Sqlite>,
{
    sqlx::query(
        "INSERT INTO sync_journal_tables (sync_id, seq, at, workspace, env, table_name, rows_json)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )
    .bind(&r.sync_id)
    .bind(seq as i64)
    .bind(&r.at)
    .bind(&r.workspace)
    .bind(&r.to)
    .bind(table)
    .bind(rows_json)
    .execute(e)
    .await
    .map(drop)
}

/// Adds `rows` of `table` to `tables`, journaled in insertion order: to the last table when
/// it is the same one (its next statement, or its next row in an old journal).
fn append(
    tables: &mut Vec<JournalTable>,
    table: String,
    rows: impl IntoIterator<Item = JournalRow>,
) {
    match tables.last_mut() {
        Some(t) if t.table == table => t.rows.extend(rows),
        _ => tables.push(JournalTable {
            table,
            rows: rows.into_iter().collect(),
        }),
    }
}

/// The outcome of an apply whose transaction has not ended, or whose process stopped before
/// it recorded the end.
pub const APPLYING: &str = "applying";
/// The outcome of an apply that committed.
pub const APPLIED: &str = "applied";

fn json<T: Serialize>(v: &T) -> String {
    serde_json::to_string(v).unwrap_or_default()
}

impl Store {
    /// Journals one apply and its inserted rows, together.
    pub async fn record_sync(&self, r: &SyncRecord) -> Result<()> {
        self.record_sync_audited(r, None).await
    }

    /// [`Store::record_sync`], with its audit line (`sync_apply`, `detail`) in the same
    /// transaction: one commit, one flush to disk.
    pub async fn record_sync_audited(&self, r: &SyncRecord, detail: Option<&str>) -> Result<()> {
        let err = |e| db_err(e, &self.path);
        let mut tx = self.pool.begin().await.map_err(err)?;
        if let Some(detail) = detail {
            apply_audit(&mut tx, r, detail).await.map_err(err)?;
        }
        sqlx::query(
            "INSERT INTO syncs (sync_id, at, os_user, workspace, from_env, to_env, target_identity, fingerprint, outcome, reason)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        )
        .bind(&r.sync_id)
        .bind(&r.at)
        .bind(&r.os_user)
        .bind(&r.workspace)
        .bind(&r.from)
        .bind(&r.to)
        .bind(&r.target_identity)
        .bind(&r.fingerprint)
        .bind(&r.outcome)
        .bind(&r.reason)
        .execute(&mut *tx)
        .await
        .map_err(err)?;
        // One store row per table, its rows packed: a sync can insert 100,000s of rows.
        for (seq, t) in r.tables.iter().enumerate() {
            let rows: Vec<_> = t.rows.iter().map(|r| (&r.key, &r.pk, &r.hash)).collect();
            insert_part(&mut *tx, r, seq, &t.table, &json(&rows))
                .await
                .map_err(err)?;
        }
        tx.commit().await.map_err(err)
    }

    /// Opens an apply's journal before its transaction: the `syncs` row, outcome
    /// [`APPLYING`] until [`Store::finish_sync`] records how it ended. A process that dies
    /// in between leaves it `applying`, its journaled rows kept (an undo removes those of
    /// them that are in the target).
    pub async fn begin_sync(&self, r: &SyncRecord) -> Result<()> {
        let mut head = r.clone();
        head.outcome = APPLYING.into();
        head.tables = Vec::new();
        self.record_sync(&head).await
    }

    /// Where an apply journals each statement's inserted rows before it commits
    /// ([`JournalWriter::part`]).
    pub fn journal_writer(&self) -> JournalWriter {
        JournalWriter {
            store: self.clone(),
            conn: tokio::sync::Mutex::new(None),
        }
    }

    /// Records how an apply opened by [`Store::begin_sync`] ended, with its audit line, in
    /// one transaction. Rows journaled for an apply that did not commit are dropped: they
    /// were rolled back with it.
    pub async fn finish_sync(&self, r: &SyncRecord, detail: &str) -> Result<()> {
        let err = |e| db_err(e, &self.path);
        let mut tx = self.pool.begin().await.map_err(err)?;
        apply_audit(&mut tx, r, detail).await.map_err(err)?;
        sqlx::query(
            "UPDATE syncs SET target_identity = ?2, outcome = ?3, reason = ?4 WHERE sync_id = ?1",
        )
        .bind(&r.sync_id)
        .bind(&r.target_identity)
        .bind(&r.outcome)
        .bind(&r.reason)
        .execute(&mut *tx)
        .await
        .map_err(err)?;
        if r.outcome != APPLIED {
            sqlx::query("DELETE FROM sync_journal_tables WHERE sync_id = ?1")
                .bind(&r.sync_id)
                .execute(&mut *tx)
                .await
                .map_err(err)?;
        }
        tx.commit().await.map_err(err)
    }

    /// A workspace's syncs, newest first, each with its inserted rows.
    pub async fn syncs(&self, workspace: &str) -> Result<Vec<SyncRecord>> {
        self.read_syncs(workspace, None).await
    }

    /// One sync of a workspace, with its inserted rows (only its own are read).
    pub async fn sync(&self, workspace: &str, sync_id: &str) -> Result<Option<SyncRecord>> {
        Ok(self
            .read_syncs(workspace, Some(sync_id))
            .await?
            .into_iter()
            .next())
    }

    async fn read_syncs(&self, workspace: &str, only: Option<&str>) -> Result<Vec<SyncRecord>> {
        let err = |e| db_err(e, &self.path);
        let heads = sqlx::query(
            "SELECT sync_id, at, os_user, workspace, from_env, to_env, target_identity, fingerprint, outcome, reason
             FROM syncs WHERE workspace = ?1 AND (?2 IS NULL OR sync_id = ?2) ORDER BY at DESC, rowid DESC",
        )
        .bind(workspace)
        .bind(only)
        .fetch_all(&self.pool)
        .await
        .map_err(err)?;
        let mut out = Vec::new();
        for h in &heads {
            let sync_id: String = h.get(0);
            let outcome: String = h.get(8);
            // Only an apply that committed (or may have: `applying`) inserted rows; what
            // one that did not may have journaled before it ended was rolled back with it.
            let mut tables = Vec::new();
            if outcome == APPLIED || outcome == APPLYING {
                tables = self.journal_tables(&sync_id).await?;
                if tables.is_empty() {
                    tables = self.journal_rows(&sync_id).await?;
                }
            }
            out.push(SyncRecord {
                sync_id,
                at: h.get(1),
                os_user: h.get(2),
                workspace: h.get(3),
                from: h.get(4),
                to: h.get(5),
                target_identity: h.get(6),
                fingerprint: h.get(7),
                outcome,
                reason: h.get(9),
                tables,
            });
        }
        Ok(out)
    }

    /// A sync's inserted rows, packed per table (syncs journaled since migration 0006).
    async fn journal_tables(&self, sync_id: &str) -> Result<Vec<JournalTable>> {
        type Packed = Vec<(Vec<Option<String>>, Vec<Option<String>>, String)>;
        let rows = sqlx::query(
            "SELECT table_name, rows_json FROM sync_journal_tables WHERE sync_id = ?1 ORDER BY seq",
        )
        .bind(sync_id)
        .fetch_all(&self.pool)
        .await
        .map_err(|e| db_err(e, &self.path))?;
        // One store row per statement: a table's statements follow each other.
        let mut tables: Vec<JournalTable> = Vec::new();
        for r in &rows {
            let packed: Packed = serde_json::from_str(r.get::<&str, _>(1)).unwrap_or_default();
            let packed = packed
                .into_iter()
                .map(|(key, pk, hash)| JournalRow { key, pk, hash });
            append(&mut tables, r.get(0), packed);
        }
        Ok(tables)
    }

    /// A sync's inserted rows, one store row each (syncs journaled before migration 0006).
    async fn journal_rows(&self, sync_id: &str) -> Result<Vec<JournalTable>> {
        let rows = sqlx::query(
            "SELECT table_name, key_json, pk_json, row_hash FROM sync_journal WHERE sync_id = ?1 ORDER BY id",
        )
        .bind(sync_id)
        .fetch_all(&self.pool)
        .await
        .map_err(|e| db_err(e, &self.path))?;
        let mut tables: Vec<JournalTable> = Vec::new();
        for r in &rows {
            let row = JournalRow {
                key: serde_json::from_str(r.get::<&str, _>(1)).unwrap_or_default(),
                pk: serde_json::from_str(r.get::<&str, _>(2)).unwrap_or_default(),
                hash: r.get(3),
            };
            append(&mut tables, r.get(0), [row]);
        }
        Ok(tables)
    }
}

/// An apply's journal writes, on a store connection of their own that never checkpoints
/// the write-ahead log: a sync of 100,000s of rows journals 10s of MB, and SQLite's
/// automatic checkpoint copied them into the database file (and flushed it) between the
/// last statement and the commit, 70 ms the target's transaction waited for. Each part is
/// checkpointed instead by the store's other connection, in the background, while the
/// apply's next statement (or its commit) runs. The journal's connection is closed, not
/// returned to the pool, when the writer is dropped.
pub struct JournalWriter {
    store: Store,
    conn: tokio::sync::Mutex<Option<sqlx::pool::PoolConnection<sqlx::Sqlite>>>,
}

impl JournalWriter {
    /// One statement's inserted rows, journaled (and on disk) before the apply commits:
    /// `rows_json` is the packed `[key, pk, hash]` array of `table`'s rows, `seq` the
    /// statement's number.
    pub async fn part(
        &self,
        r: &SyncRecord,
        seq: usize,
        table: &str,
        rows_json: &str,
    ) -> Result<()> {
        let err = |e| db_err(e, &self.store.path);
        let mut conn = self.conn.lock().await;
        let conn = match &mut *conn {
            Some(c) => c,
            None => {
                let mut c = self.store.pool.acquire().await.map_err(err)?;
                // Set on this connection only, which is never handed out again.
                c.close_on_drop();
                sqlx::query("PRAGMA wal_autocheckpoint = 0")
                    .execute(&mut *c)
                    .await
                    .map_err(err)?;
                conn.insert(c)
            }
        };
        insert_part(&mut **conn, r, seq, table, rows_json)
            .await
            .map_err(err)?;
        // PASSIVE: never waits for, nor blocks, the journal's next write. One that fails
        // leaves the pages in the log, for the next checkpoint.
        let pool = self.store.pool.clone();
        tokio::spawn(async move {
            if let Err(e) = sqlx::query("PRAGMA wal_checkpoint(PASSIVE)")
                .execute(&pool)
                .await
            {
                tracing::debug!("checkpoint of the sync journal: {e}");
            }
        });
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(sync_id: &str, tables: Vec<JournalTable>) -> SyncRecord {
        SyncRecord {
            sync_id: sync_id.into(),
            at: "2026-11-21T10:00:00Z".into(),
            os_user: "ana".into(),
            workspace: "w".into(),
            from: "dev".into(),
            to: "prod".into(),
            target_identity: "pg:1/prod".into(),
            fingerprint: "0123abcd".into(),
            outcome: "applied".into(),
            reason: String::new(),
            tables,
        }
    }

    fn row(key: &str, pk: &str, hash: &str) -> JournalRow {
        JournalRow {
            key: vec![Some(key.into()), None],
            pk: vec![Some(pk.into())],
            hash: hash.into(),
        }
    }

    /// An apply journaled statement by statement before its commit reads back as one table
    /// per table, rows in statement order, once it is recorded applied; one that failed
    /// lists no rows; one never recorded stays `applying` with its rows.
    #[tokio::test]
    async fn rows_journaled_per_statement_read_back_per_table_only_when_committed() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).await.unwrap();
        let packed = |rows: &[JournalRow]| {
            json(
                &rows
                    .iter()
                    .map(|r| (&r.key, &r.pk, &r.hash))
                    .collect::<Vec<_>>(),
            )
        };
        let customers = vec![row("a@x.test", "7", "h1")];
        let (first, second) = (
            vec![row("a@x.test", "70", "h2")],
            vec![row("a@x.test", "71", "h3")],
        );
        for (id, outcome) in [("s-ok", APPLIED), ("s-failed", "failed"), ("s-killed", "")] {
            let mut r = record(id, Vec::new());
            store.begin_sync(&r).await.unwrap();
            let journal = store.journal_writer();
            journal
                .part(&r, 0, "customers", &packed(&customers))
                .await
                .unwrap();
            journal
                .part(&r, 1, "customer_notes", &packed(&first))
                .await
                .unwrap();
            journal
                .part(&r, 2, "customer_notes", &packed(&second))
                .await
                .unwrap();
            drop(journal);
            if !outcome.is_empty() {
                r.outcome = outcome.into();
                store.finish_sync(&r, "done").await.unwrap();
            }
        }
        let both = vec![
            JournalTable {
                table: "customers".into(),
                rows: customers.clone(),
            },
            JournalTable {
                table: "customer_notes".into(),
                rows: first.iter().chain(&second).cloned().collect(),
            },
        ];
        let ok = store.sync("w", "s-ok").await.unwrap().unwrap();
        assert_eq!((ok.outcome.as_str(), &ok.tables), (APPLIED, &both));
        let failed = store.sync("w", "s-failed").await.unwrap().unwrap();
        assert_eq!(
            (failed.outcome.as_str(), failed.tables.len()),
            ("failed", 0)
        );
        let killed = store.sync("w", "s-killed").await.unwrap().unwrap();
        assert_eq!((killed.outcome.as_str(), &killed.tables), (APPLYING, &both));
        store.close().await;
    }

    /// What an undo reads back is what the apply journaled, row for row and in order, both
    /// for a sync journaled packed per table and for one journaled a row per store row
    /// before migration 0006.
    #[tokio::test]
    async fn a_syncs_rows_read_back_as_journaled_packed_or_one_per_row() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).await.unwrap();
        let tables = vec![
            JournalTable {
                table: "customers".into(),
                rows: vec![row("a@x.test", "7", "h1"), row("b@x.test", "8", "h2")],
            },
            JournalTable {
                table: "customer_notes".into(),
                rows: vec![row("a@x.test", "70", "h3")],
            },
        ];
        let packed = record("s-new", tables.clone());
        store.record_sync(&packed).await.unwrap();
        let mut legacy = record("s-old", Vec::new());
        store.record_sync(&legacy).await.unwrap();
        for t in &tables {
            for r in &t.rows {
                sqlx::query(
                    "INSERT INTO sync_journal (sync_id, at, workspace, env, table_name, key_json, pk_json, row_hash)
                     VALUES ('s-old', 'then', 'w', 'prod', ?1, ?2, ?3, ?4)",
                )
                .bind(&t.table)
                .bind(json(&r.key))
                .bind(json(&r.pk))
                .bind(&r.hash)
                .execute(&store.pool)
                .await
                .unwrap();
            }
        }
        legacy.tables = tables;
        assert_eq!(store.sync("w", "s-new").await.unwrap(), Some(packed));
        assert_eq!(store.sync("w", "s-old").await.unwrap(), Some(legacy));
        store.close().await;
    }
}
