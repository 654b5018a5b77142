//! The apply: one write transaction on the target that reads the target again, computes the
//! reviewed plan's fingerprint against it ([`super::verify`]) and refuses unless it is the
//! one the person confirmed; then runs the reviewed statements in order, each checked
//! (`ON CONFLICT DO NOTHING RETURNING` gives back exactly the planned rows), and commits, or
//! rolls everything back. The only place a write permit is created.

use serde::Serialize;
use sha2::{Digest, Sha256};

use super::WritePermit;
use super::log_table::{self, LogEntry, LogHead};
use super::plan::{Reviewed, TableConf, show};
use crate::connectors::{
    Cell, Engine, OpenOptions, RawRows, ReadText, WriteTx, Writer, is_transaction_pooler,
    quote_ident,
};
use crate::error::Result;
use crate::progress::{Cancel, Progress};
use crate::secrets::Sensitive;
use crate::snapshot;

/// What the apply needs besides the target's URL.
pub struct ApplyInput<'a> {
    /// The plan the person reviewed and confirmed (the plan file).
    pub confirmed: &'a Reviewed,
    pub confs: &'a [TableConf],
    /// How the target is read inside the transaction: as the plan read it.
    pub scope: snapshot::CopyScope<'a>,
    /// `[sync] log_table`, with the sync's id, time and user, when configured.
    pub log: Option<LogHead<'a>>,
    /// Where each statement's inserted rows are journaled before the commit.
    pub journal: std::sync::Arc<dyn Journal>,
}

/// One inserted row as the target returned it: natural key, primary key, and a hash of
/// every non-secret column (what an undo checks before removing it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InsertedRow {
    pub key: Vec<Option<String>>,
    pub pk: Vec<Option<String>>,
    pub hash: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InsertedTable {
    pub table: String,
    pub pk_columns: Vec<String>,
    pub rows: Vec<InsertedRow>,
}

/// How an apply ended when it could run to a decision.
#[derive(Debug)]
pub enum Applied {
    Committed {
        identity: String,
        tables: Vec<InsertedTable>,
    },
    /// Nothing was written; the sentence says why and what to do.
    Refused {
        identity: Option<String>,
        reason: String,
    },
}

/// Applies `input.confirmed` to the database at `url`.
pub async fn apply(
    input: &ApplyInput<'_>,
    url: &Sensitive<String>,
    open: &OpenOptions<'_>,
    progress: &dyn Progress,
    cancel: &Cancel,
) -> Result<Applied> {
    let to = &input.confirmed.to;
    if is_transaction_pooler(url.expose()) {
        return Ok(Applied::Refused {
            identity: None,
            reason: format!(
                "{to}'s database URL goes through a transaction-mode pooler (port 6543 or pgbouncer=true), where a transaction's lock and settings do not hold: point {to} at the session-mode or direct connection (port 5432) to sync"
            ),
        });
    }
    if input.confirmed.blocked() {
        return Ok(Applied::Refused {
            identity: None,
            reason: format!(
                "the plan is blocked: {}",
                sentences(&input.confirmed.blockers)
            ),
        });
    }
    let permit = WritePermit::for_guarded_sync();
    let mut w = Writer::open(url, open, &permit).await?;
    if let Some(h) = w.cancel_hook() {
        cancel.on_cancel(h);
    }
    let r = transaction(&mut w, input, progress, cancel).await;
    w.close().await;
    r
}

enum Step {
    Insert(String, Vec<InsertedTable>),
    Refuse(Option<String>, String),
}

async fn transaction(
    w: &mut Writer,
    input: &ApplyInput<'_>,
    progress: &dyn Progress,
    cancel: &Cancel,
) -> Result<Applied> {
    let sqlite = w.engine() == Engine::Sqlite;
    // SQLite: the write lock up front, so nothing changes between the reads and the
    // inserts. PostgreSQL: one snapshot for the reads, and concurrent syncs of the same
    // target wait for each other.
    let begin = if sqlite {
        "BEGIN IMMEDIATE"
    } else {
        "BEGIN ISOLATION LEVEL REPEATABLE READ"
    };
    let mut tx = w.begin_with(Some(begin)).await?;
    let r = steps(&mut tx, sqlite, input, progress, cancel).await;
    match r {
        Ok(Step::Insert(identity, tables)) => {
            if let Err(e) = cancel.check() {
                tx.rollback().await?;
                return Err(e);
            }
            pause_before_commit().await;
            tx.commit().await?;
            Ok(Applied::Committed { identity, tables })
        }
        Ok(Step::Refuse(identity, reason)) => {
            tx.rollback().await?;
            Ok(Applied::Refused { identity, reason })
        }
        Err(e) => {
            let _ = tx.rollback().await;
            Err(e)
        }
    }
}

async fn steps(
    tx: &mut WriteTx<'_>,
    sqlite: bool,
    input: &ApplyInput<'_>,
    progress: &dyn Progress,
    cancel: &Cancel,
) -> Result<Step> {
    let c = input.confirmed;
    if !sqlite {
        tx.execute(
            "SELECT pg_advisory_xact_lock($1)",
            &[Cell::Int(lock_key(&c.target_identity))],
        )
        .await?;
    }
    cancel.check()?;
    let identity = snapshot::identity(tx).await?;
    // The plan alone first: cheap, before the target's rows are read.
    if !super::verify::spans_line_up(c) {
        return Ok(Step::Refuse(
            Some(identity),
            "the plan's statements do not line up with its rows (the plan file was edited or cut): nothing was written: plan again".into(),
        ));
    }
    let roots: Vec<String> = c.selections.iter().map(|s| s.table.clone()).collect();
    let dst = snapshot::copy_closure(tx, &roots, &input.scope).await?;
    let v = super::verify::verify(c, input.confs, &dst, &identity);
    if v.fingerprint_full != c.fingerprint_full {
        return Ok(Step::Refuse(Some(identity), what_changed(c, &v)));
    }
    progress.start("inserting", Some(c.insert_count() as u64));
    // Each statement's returned rows are decoded, hashed and journaled by another task
    // while the next statement runs; joined, whatever happens, before the transaction ends.
    let (send, recv) = tokio::sync::mpsc::unbounded_channel();
    let writer = AbortOnDrop(tokio::spawn(journal_rows(recv, input.journal.clone())));
    let ran = run_statements(tx, c, &dst, send, progress, cancel).await;
    let journaled = writer.join().await;
    let mut out = match ran? {
        Ran::Refused(reason) => return Ok(Step::Refuse(Some(identity), reason)),
        Ran::Inserted(out) => out,
    };
    // An apply commits only what its journal holds.
    for (at, rows) in journaled? {
        out[at].rows.extend(rows);
    }
    progress.finish();
    if let Some(h) = &input.log {
        let entry = LogEntry {
            sync_id: h.sync_id,
            kind: "apply",
            at: h.at,
            user: h.user,
            from: &c.from,
            to: &c.to,
            fingerprint: &c.fingerprint,
            rows: out.iter().map(|t| t.rows.len()).sum(),
            tables: out
                .iter()
                .map(|t| (t.table.clone(), t.rows.len()))
                .collect(),
        };
        log_table::write(tx, h.table, &entry).await?;
    }
    Ok(Step::Insert(identity, out))
}

enum Ran {
    Inserted(Vec<InsertedTable>),
    Refused(String),
}

/// One statement's returned rows, for [`journal_rows`].
struct Returned {
    /// The index of its table in the apply's list.
    at: usize,
    table: String,
    rows: RawRows,
    /// The planned rows' natural keys, in the order the statement returns them.
    keys: Vec<Vec<Option<String>>>,
    /// Where the primary key's columns are in a returned row.
    pk_at: Vec<usize>,
}

/// Runs the reviewed statements in order, each checked against its planned row count,
/// handing every statement's returned rows to `journal`.
async fn run_statements(
    tx: &mut WriteTx<'_>,
    c: &Reviewed,
    dst: &[snapshot::CopyTable],
    journal: tokio::sync::mpsc::UnboundedSender<Returned>,
    progress: &dyn Progress,
    cancel: &Cancel,
) -> Result<Ran> {
    let mut out: Vec<InsertedTable> = Vec::new();
    let mut done = 0u64;
    for (span, sql) in c.spans.iter().zip(&c.sql) {
        cancel.check()?;
        let t = &c.tables[span.table];
        let Some(tt) = dst.iter().find(|x| x.table == t.table) else {
            return Ok(Ran::Refused(format!(
                "table {} is not in {}",
                t.table, c.to
            )));
        };
        if out.last().is_none_or(|o| o.table != t.table) {
            out.push(InsertedTable {
                table: t.table.clone(),
                pk_columns: primary_key(tx, &t.table).await?,
                rows: Vec::new(),
            });
        }
        let table = out.last_mut().expect("pushed");
        // The statement returns every column that is not secret, in table order.
        let cols: Vec<&str> = tt
            .columns
            .iter()
            .filter(|col| !col.secret)
            .map(|col| col.name.as_str())
            .collect();
        let pk_at: Vec<usize> = table
            .pk_columns
            .iter()
            .filter_map(|p| cols.iter().position(|col| col == p))
            .collect();
        let started = std::time::Instant::now();
        let got = tx.fetch_raw(sql).await?;
        let rows = &t.inserts[span.first..span.first + span.rows];
        // envdeck's own line per statement: its table, rows and time, never its values
        // (the connection does not log statements: a slow one would land whole).
        tracing::info!(
            "sync into {}: {} of {} planned {} row(s) inserted in {:.2} s",
            c.to,
            got.len(),
            rows.len(),
            t.table,
            started.elapsed().as_secs_f64()
        );
        if got.len() > rows.len() {
            return Ok(Ran::Refused(format!(
                "{} {} row(s) were inserted where {} were planned: a parent's natural key matches more than one row in {}. Nothing was written: make that key unique in {}, then plan again",
                got.len(),
                t.table,
                rows.len(),
                c.to,
                c.to
            )));
        }
        if got.len() < rows.len() {
            return Ok(Ran::Refused(format!(
                "{} of {} {} row(s) ({}…) were not inserted: they collide with rows already in {} on the primary key or another unique constraint (a sequence behind the table's largest id does this too). Nothing was written: resolve the conflict in {}, then plan again",
                rows.len() - got.len(),
                rows.len(),
                t.table,
                show(&rows[0].key),
                c.to,
                c.to
            )));
        }
        // Returned in insertion order, which the statement fixes (`ORDER BY` the input).
        let keys: Vec<Vec<Option<String>>> = rows.iter().map(|ins| ins.key.to_vec()).collect();
        // The receiver lives until this function returns.
        let _ = journal.send(Returned {
            at: out.len() - 1,
            table: t.table.clone(),
            rows: got,
            keys,
            pk_at,
        });
        done += rows.len() as u64;
        progress.advance(done);
    }
    Ok(Ran::Inserted(out))
}

/// Decodes and hashes each statement's returned rows and journals them, in statement
/// order, until the statements end: `(index of the table in the apply's list, its rows)`.
async fn journal_rows(
    mut returned: tokio::sync::mpsc::UnboundedReceiver<Returned>,
    journal: std::sync::Arc<dyn Journal>,
) -> Result<Vec<(usize, Vec<InsertedRow>)>> {
    let mut out = Vec::new();
    let mut seq = 0;
    while let Some(r) = returned.recv().await {
        let Returned {
            at,
            table,
            rows,
            keys,
            pk_at,
        } = r;
        let rows = tokio::task::spawn_blocking(move || -> Result<Vec<InsertedRow>> {
            Ok(rows
                .into_text()?
                .into_iter()
                .zip(keys)
                .map(|(row, key)| InsertedRow {
                    key,
                    pk: pk_at.iter().map(|&i| row[i].clone()).collect(),
                    hash: row_hash(&row),
                })
                .collect())
        })
        .await
        .map_err(|e| crate::error::Error::internal(format!("journaling stopped: {e}")))??;
        journal.rows(seq, &table, &rows).await?;
        seq += 1;
        out.push((at, rows));
    }
    Ok(out)
}

/// Where an apply journals the rows each statement inserted, before it commits: an apply
/// commits only once every row it inserted is journaled (the local store, through the api).
pub trait Journal: Send + Sync {
    /// Statement `seq` (counting from 0) inserted `rows` into `table`.
    fn rows<'a>(
        &'a self,
        seq: usize,
        table: &'a str,
        rows: &'a [InsertedRow],
    ) -> futures::future::BoxFuture<'a, Result<()>>;
}

/// A task stopped when the apply is dropped (cancelled): no journal write outlives it.
struct AbortOnDrop<T>(tokio::task::JoinHandle<T>);

impl<T> AbortOnDrop<Result<T>> {
    async fn join(mut self) -> Result<T> {
        (&mut self.0)
            .await
            .map_err(|e| crate::error::Error::internal(format!("journaling stopped: {e}")))?
    }
}

impl<T> Drop for AbortOnDrop<T> {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// Test-only: `ENVDECK_TEST_PAUSE_BEFORE_COMMIT_MS` holds a finished apply (its statements
/// run, its journal written) this long before its COMMIT, so tests/sync_undo.rs can kill
/// the session mid-transaction; the file `ENVDECK_TEST_PAUSED_MARK` names, if set, is
/// created when the pause starts. Compiled into debug builds only (the suite's); a release
/// build has no such hook.
#[cfg(not(debug_assertions))]
async fn pause_before_commit() {}

#[cfg(debug_assertions)]
async fn pause_before_commit() {
    let ms = std::env::var("ENVDECK_TEST_PAUSE_BEFORE_COMMIT_MS")
        .ok()
        .and_then(|v| v.parse::<u64>().ok());
    if let Some(ms) = ms {
        if let Ok(mark) = std::env::var("ENVDECK_TEST_PAUSED_MARK") {
            let _ = std::fs::write(mark, b"");
        }
        tokio::time::sleep(std::time::Duration::from_millis(ms)).await;
    }
}

/// The primary key's columns, in key order (none for a SQLite table without one).
pub(super) async fn primary_key(conn: &mut impl ReadText, table: &str) -> Result<Vec<String>> {
    let sql = if conn.engine() == Engine::Sqlite {
        format!(
            "SELECT name FROM pragma_table_info('{}') WHERE pk > 0 ORDER BY pk",
            table.replace('\'', "''")
        )
    } else {
        format!(
            "SELECT CAST(a.attname AS TEXT) FROM pg_index i
             JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
             WHERE i.indrelid = to_regclass('{}') AND i.indisprimary
             ORDER BY array_position(CAST(i.indkey AS int2[]), a.attnum)",
            quote_ident(table).replace('\'', "''")
        )
    };
    Ok(conn
        .read_text(&sql)
        .await?
        .into_iter()
        .filter_map(|r| r.into_iter().next().flatten())
        .collect())
}

/// The advisory lock serializing syncs into one database.
pub(super) fn lock_key(identity: &str) -> i64 {
    let h = Sha256::digest(format!("envdeck sync {identity}").as_bytes());
    i64::from_le_bytes(h[..8].try_into().expect("8 bytes"))
}

/// The first 128 bits of SHA-256 of the row as a JSON array of text (32 hex digits): what
/// the journal keeps of each inserted row (half the bytes of a sync's journal go to these;
/// 128 bits keep an accidental match out of reach). Journals before this kept all 256
/// bits: [`same_row`] compares either.
pub(super) fn row_hash(row: &[Option<String>]) -> String {
    let mut h = Sha256::new();
    // Streams the JSON into the hash: one row of 100,000s, no intermediate string.
    let _ = serde_json::to_writer(HashWriter(&mut h), row);
    hex::encode(&h.finalize()[..16])
}

/// Whether `row` is the row the journal hashed as `journaled` (128 or, in older journals,
/// 256 bits).
pub(super) fn same_row(row: &[Option<String>], journaled: &str) -> bool {
    journaled.len() >= 32 && journaled.starts_with(&row_hash(row))
}

struct HashWriter<'a>(&'a mut Sha256);

impl std::io::Write for HashWriter<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.update(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn sentences(b: &[super::plan::Blocker]) -> String {
    b.iter()
        .map(|b| b.sentence.as_str())
        .collect::<Vec<_>>()
        .join("; ")
}

/// Why the target no longer matches the reviewed plan, as far as it can be named.
fn what_changed(old: &Reviewed, v: &super::verify::Verified) -> String {
    let mut why = v.reasons.clone();
    if why.is_empty() {
        why.push(format!(
            "a row the copied rows refer to, or the columns, defaults or triggers of a touched table, changed in {}",
            old.to
        ));
    }
    format!(
        "{} changed since the preview (fingerprint {} then, {} now): {}. Nothing was written: plan again and review",
        old.to,
        old.fingerprint,
        &v.fingerprint_full[..8],
        why.join("; ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_row_matches_its_journaled_hash_whether_128_or_256_bits() {
        let row = vec![Some("7".to_string()), Some("ana@example.com".into()), None];
        let full = hex::encode(Sha256::digest(
            serde_json::to_string(&row).unwrap().as_bytes(),
        ));
        assert_eq!(row_hash(&row).len(), 32);
        assert!(same_row(&row, &row_hash(&row)));
        // A journal written before the hash was cut to 128 bits.
        assert!(same_row(&row, &full));
        let mut changed = row.clone();
        changed[2] = Some("x".into());
        assert!(!same_row(&changed, &full));
        assert!(!same_row(&changed, &row_hash(&row)));
        assert!(!same_row(&row, ""));
        assert!(!same_row(&row, &row_hash(&row)[..8]));
    }
}
