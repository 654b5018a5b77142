//! The undo of an applied sync: the only DELETE envdeck ever sends, and only for rows in the
//! sync's journal. A row is deleted when it still exists unchanged (its hash recomputed as
//! the apply computed it) and nothing outside the rows being deleted refers to it; the
//! others are listed and kept. The preview is an [`UndoPlan`] (rows, kept rows and why,
//! the exact SQL, a fingerprint); the undo plans again inside one write transaction and
//! refuses unless the fingerprint is the confirmed one.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

use serde::Serialize;
use sha2::{Digest, Sha256};

use super::WritePermit;
use super::apply::{InsertedRow, lock_key, primary_key, same_row};
use super::log_table::{self, LogEntry, LogHead};
use super::plan::show;
use crate::connectors::{
    Cell, Engine, OpenOptions, ReadText, WriteTx, Writer, is_transaction_pooler, quote_ident,
};
use crate::error::Result;
use crate::progress::Cancel;
use crate::secrets::Sensitive;
use crate::snapshot;

/// One table of the sync's journal, in the order the apply inserted it.
#[derive(Debug, Clone)]
pub struct JournaledTable {
    pub table: String,
    pub rows: Vec<InsertedRow>,
}

/// What an undo needs to know of the sync it takes back.
pub struct UndoInput<'a> {
    pub sync_id: &'a str,
    /// The environment the sync wrote into.
    pub to: &'a str,
    /// The database the sync wrote into, as journaled.
    pub target_identity: &'a str,
    /// The journaled rows not already removed by an earlier undo.
    pub tables: &'a [JournaledTable],
    pub secret_columns: &'a [String],
}

/// One row the undo deletes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export_to = "UndoRow.ts")]
pub struct UndoRow {
    pub table: String,
    pub key: Vec<Option<String>>,
    pub pk: Vec<Option<String>>,
    pub hash: String,
}

/// Why a journaled row stays.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export_to = "UndoKeptWhy.ts", rename = "UndoKeptWhy")]
#[serde(rename_all = "snake_case")]
pub enum KeptWhy {
    /// Changed since the sync (its hash differs).
    Changed,
    /// Already gone from the target.
    Gone,
    /// A row that is not being deleted refers to it.
    Referenced,
    /// The table has no primary key (or another one than at the sync).
    NoPrimaryKey,
}

/// A journaled row the undo keeps, and the sentence saying why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export_to = "UndoKeptRow.ts", rename = "UndoKeptRow")]
pub struct KeptRow {
    pub table: String,
    pub key: Vec<Option<String>>,
    pub pk: Vec<Option<String>>,
    pub why: KeptWhy,
    pub reason: String,
}

/// The preview of an undo; the same computation runs again inside the transaction.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export_to = "UndoPlan.ts")]
pub struct UndoPlan {
    pub sync_id: String,
    pub to: String,
    pub target_identity: String,
    /// Set when nothing may be deleted at all (another database answers at the URL).
    pub blocked: Option<String>,
    /// In delete order: children before parents.
    pub delete: Vec<UndoRow>,
    pub kept: Vec<KeptRow>,
    /// The exact statements: one per run of up to 500 rows of one table of `delete`, in order.
    pub sql: Vec<String>,
    /// 8 hex characters, as shown.
    pub fingerprint: String,
    pub fingerprint_full: String,
}

/// How a confirmed undo ended.
#[derive(Debug)]
pub enum Undone {
    Committed(UndoPlan),
    /// Nothing was deleted; the sentence says why and what to do.
    Refused {
        identity: Option<String>,
        reason: String,
    },
}

fn lit(v: &str) -> String {
    format!("'{}'", v.replace('\'', "''"))
}

/// `"a" = '1' AND "b" IS NULL`: untyped literals, which PostgreSQL converts to each column's
/// type (so the primary key's index serves) and SQLite compares by the column's affinity.
fn key_conds(cols: &[String], vals: &[Option<String>]) -> String {
    cols.iter()
        .zip(vals)
        .map(|(c, v)| match v {
            Some(v) => format!("{} = {}", quote_ident(c), lit(v)),
            None => format!("{} IS NULL", quote_ident(c)),
        })
        .collect::<Vec<_>>()
        .join(" AND ")
}

/// Rows read per statement when looking journaled rows and their referrers up.
const CHUNK: usize = 500;

/// A journaled table as the undo reads it now (shared by its rows).
struct TableInfo {
    table: String,
    pk_columns: Vec<String>,
    /// Every non-secret column, in table order.
    columns: Vec<String>,
}

/// A row as the apply hashed it: every non-secret column as text.
struct Current {
    info: Arc<TableInfo>,
    key: Vec<Option<String>>,
    pk: Vec<Option<String>>,
    hash: String,
    values: Vec<Option<String>>,
}

/// `(a = '1' AND b = 'x') OR (…)`: any of `keys` on `cols`.
fn any_of<'a>(cols: &[String], keys: impl Iterator<Item = &'a [Option<String>]>) -> String {
    keys.map(|k| format!("({})", key_conds(cols, k)))
        .collect::<Vec<_>>()
        .join(" OR ")
}

/// A row referring to a candidate: its table, and its primary key (`None` when the table
/// has none, so the row cannot be one being deleted).
type Referrer = (String, Option<Vec<Option<String>>>);

/// A foreign key pointing at a table: the child, its columns and the parent's columns.
struct Incoming {
    child_schema: String,
    child: String,
    columns: Vec<String>,
    parent_columns: Vec<String>,
}

/// Plans the undo against what `conn` sees now (a read session for the preview, the write
/// transaction for the undo itself).
pub async fn plan_undo(conn: &mut impl ReadText, input: &UndoInput<'_>) -> Result<UndoPlan> {
    let identity = snapshot::identity(conn).await?;
    let mut plan = UndoPlan {
        sync_id: input.sync_id.to_string(),
        to: input.to.to_string(),
        target_identity: identity.clone(),
        blocked: None,
        delete: Vec::new(),
        kept: Vec::new(),
        sql: Vec::new(),
        fingerprint: String::new(),
        fingerprint_full: String::new(),
    };
    if identity != input.target_identity {
        plan.blocked = Some(format!(
            "another database answers under {}'s URL: sync {} wrote into {}, this is {}. Nothing can be undone there: point {} back at the database the sync wrote into",
            input.to, input.sync_id, input.target_identity, identity, input.to
        ));
        finish(&mut plan);
        return Ok(plan);
    }
    let keep = |t: &str, r: &InsertedRow, why: KeptWhy, reason: String| KeptRow {
        table: t.to_string(),
        key: r.key.clone(),
        pk: r.pk.clone(),
        why,
        reason,
    };
    // Rows still there and unchanged, read CHUNK rows per statement (a sync can have
    // inserted 100,000s).
    let mut candidates: Vec<Current> = Vec::new();
    for t in input.tables {
        let shape = snapshot::copy_table(conn, &t.table, input.secret_columns, false, 0).await?;
        let pk_columns = if shape.exists {
            primary_key(conn, &t.table).await?
        } else {
            Vec::new()
        };
        let columns: Vec<String> = shape
            .columns
            .iter()
            .filter(|c| !c.secret)
            .map(|c| c.name.clone())
            .collect();
        let pk_at: Vec<usize> = pk_columns
            .iter()
            .filter_map(|p| columns.iter().position(|c| c == p))
            .collect();
        let info = Arc::new(TableInfo {
            table: t.table.clone(),
            pk_columns,
            columns,
        });
        let mut lookup: Vec<&InsertedRow> = Vec::new();
        for r in &t.rows {
            if !shape.exists {
                plan.kept.push(keep(
                    &t.table,
                    r,
                    KeptWhy::Gone,
                    format!("table {} is no longer in {}", t.table, input.to),
                ));
            } else if info.pk_columns.is_empty()
                || info.pk_columns.len() != r.pk.len()
                || pk_at.len() != r.pk.len()
                || r.pk.contains(&None)
            {
                plan.kept.push(keep(
                    &t.table,
                    r,
                    KeptWhy::NoPrimaryKey,
                    format!(
                        "{} has no primary key matching the one journaled, so this row cannot be found exactly: remove it by hand if it must go",
                        t.table
                    ),
                ));
            } else {
                lookup.push(r);
            }
        }
        let select: Vec<String> = info
            .columns
            .iter()
            .map(|c| format!("CAST({} AS TEXT)", quote_ident(c)))
            .collect();
        let mut now: HashMap<Vec<Option<String>>, Vec<Option<String>>> = HashMap::new();
        for chunk in lookup.chunks(CHUNK) {
            let rows = conn
                .read_text(&format!(
                    "SELECT {} FROM {} WHERE {}",
                    select.join(", "),
                    quote_ident(&t.table),
                    any_of(&info.pk_columns, chunk.iter().map(|r| r.pk.as_slice()))
                ))
                .await?;
            for row in rows {
                now.insert(pk_at.iter().map(|&i| row[i].clone()).collect(), row);
            }
        }
        for r in lookup {
            match now.remove(&r.pk) {
                None => plan.kept.push(keep(
                    &t.table,
                    r,
                    KeptWhy::Gone,
                    format!("already gone from {}", input.to),
                )),
                Some(row) if same_row(&row, &r.hash) => candidates.push(Current {
                    info: info.clone(),
                    key: r.key.clone(),
                    pk: r.pk.clone(),
                    hash: r.hash.clone(),
                    values: row,
                }),
                Some(_) => plan.kept.push(keep(
                    &t.table,
                    r,
                    KeptWhy::Changed,
                    format!(
                        "changed in {} since the sync: kept, as it is now someone else's data",
                        input.to
                    ),
                )),
            }
        }
    }
    // Who refers to each candidate: (child table, child primary key or None when unknown),
    // asked per foreign key pointing at its table, CHUNK candidates per statement.
    let mut refs: Vec<Vec<Referrer>> = vec![Vec::new(); candidates.len()];
    let mut child_pks: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut tables: Vec<&str> = candidates.iter().map(|c| c.info.table.as_str()).collect();
    tables.dedup();
    let mut asked: BTreeSet<&str> = BTreeSet::new();
    for table in tables {
        if !asked.insert(table) {
            continue;
        }
        let mine: Vec<usize> = (0..candidates.len())
            .filter(|&i| candidates[i].info.table == table)
            .collect();
        for fk in incoming_fks(conn, table).await? {
            // The candidates by the values the foreign key refers to.
            let mut by_vals: HashMap<Vec<Option<String>>, Vec<usize>> = HashMap::new();
            for &i in &mine {
                let c = &candidates[i];
                let vals: Option<Vec<Option<String>>> = fk
                    .parent_columns
                    .iter()
                    .map(|p| {
                        c.info
                            .columns
                            .iter()
                            .position(|x| x == p)
                            .map(|j| c.values[j].clone())
                    })
                    .collect();
                match vals {
                    // The key it refers by is a column this undo did not read (a secret
                    // one): whether a row refers to it is unknown, so it is kept.
                    None => refs[i].push((fk.child.clone(), None)),
                    Some(v) if v.contains(&None) => {}
                    Some(v) => by_vals.entry(v).or_default().push(i),
                }
            }
            if by_vals.is_empty() {
                continue;
            }
            let child = if fk.child_schema.is_empty() {
                fk.child.clone()
            } else {
                format!("{}.{}", fk.child_schema, fk.child)
            };
            if !child_pks.contains_key(&child) {
                let mut pk = primary_key(conn, &child).await.unwrap_or_default();
                // A key made of a secret column is never read (nor shown): such a row is
                // never one this undo deletes, so "a row of that table" is all it needs.
                if pk
                    .iter()
                    .any(|c| crate::secrets::is_secret_column(c, input.secret_columns))
                {
                    pk.clear();
                }
                child_pks.insert(child.clone(), pk);
            }
            let cpk = &child_pks[&child];
            let select: Vec<String> = cpk
                .iter()
                .chain(&fk.columns)
                .map(|p| format!("CAST({} AS TEXT)", quote_ident(p)))
                .collect();
            let wanted: Vec<&Vec<Option<String>>> = by_vals.keys().collect();
            for chunk in wanted.chunks(CHUNK) {
                let rows = conn
                    .read_text(&format!(
                        "SELECT {} FROM {} WHERE {}",
                        select.join(", "),
                        quote_ident(&child),
                        any_of(&fk.columns, chunk.iter().map(|v| v.as_slice()))
                    ))
                    .await?;
                for row in rows {
                    let (pk, vals) = row.split_at(cpk.len());
                    for &i in by_vals.get(vals).map(Vec::as_slice).unwrap_or_default() {
                        refs[i].push((fk.child.clone(), (!cpk.is_empty()).then(|| pk.to_vec())));
                    }
                }
            }
        }
    }
    // Keep every candidate referred to by a row that stays, until nothing changes.
    let mut alive: Vec<bool> = vec![true; candidates.len()];
    let mut why: Vec<Option<String>> = vec![None; candidates.len()];
    loop {
        let deleting: BTreeSet<(String, Vec<Option<String>>)> = candidates
            .iter()
            .zip(&alive)
            .filter(|(_, a)| **a)
            .map(|(c, _)| (bare(&c.info.table).to_string(), c.pk.clone()))
            .collect();
        let mut changed = false;
        for (i, found) in refs.iter().enumerate() {
            if !alive[i] {
                continue;
            }
            let outside = found.iter().find(|(child, pk)| match pk {
                Some(pk) => !deleting.contains(&(bare(child).to_string(), pk.clone())),
                None => true,
            });
            if let Some((child, pk)) = outside {
                alive[i] = false;
                changed = true;
                why[i] = Some(match pk {
                    Some(pk) => format!(
                        "referenced by {child} ({}), which this undo does not delete",
                        show(pk)
                    ),
                    None => {
                        format!("referenced by a row of {child}, which this undo does not delete")
                    }
                });
            }
        }
        if !changed {
            break;
        }
    }
    // Children before parents: the reverse of the apply's insert order.
    let deleted: Vec<&Current> = candidates
        .iter()
        .zip(&alive)
        .rev()
        .filter(|(_, a)| **a)
        .map(|(c, _)| c)
        .collect();
    for range in batches(deleted.iter().map(|c| c.info.table.as_str())) {
        plan.sql.push(delete_sql(&deleted[range]));
    }
    for c in &deleted {
        plan.delete.push(UndoRow {
            table: c.info.table.clone(),
            key: c.key.clone(),
            pk: c.pk.clone(),
            hash: c.hash.clone(),
        });
    }
    for (i, c) in candidates.iter().enumerate() {
        if let Some(reason) = why[i].take() {
            plan.kept.push(KeptRow {
                table: c.info.table.clone(),
                key: c.key.clone(),
                pk: c.pk.clone(),
                why: KeptWhy::Referenced,
                reason,
            });
        }
    }
    finish(&mut plan);
    Ok(plan)
}

fn bare(table: &str) -> &str {
    table.rsplit('.').next().unwrap_or(table)
}

/// Consecutive rows of one table, at most [`CHUNK`] at a time: the rows one DELETE removes.
fn batches<'a>(tables: impl Iterator<Item = &'a str>) -> Vec<std::ops::Range<usize>> {
    let mut out: Vec<std::ops::Range<usize>> = Vec::new();
    let mut last: Option<&str> = None;
    for (i, t) in tables.enumerate() {
        match out.last_mut() {
            Some(r) if last == Some(t) && r.len() < CHUNK => r.end = i + 1,
            _ => out.push(i..i + 1),
        }
        last = Some(t);
    }
    out
}

/// `DELETE … WHERE (<primary key> AND <every other column still as journaled>) OR …` for
/// rows of one table: each row's hash was checked in this transaction, and the statement
/// itself deletes nothing else.
fn delete_sql(rows: &[&Current]) -> String {
    let info = &rows[0].info;
    let each: Vec<String> = rows
        .iter()
        .map(|c| {
            let mut conds = vec![key_conds(&info.pk_columns, &c.pk)];
            for (col, v) in info.columns.iter().zip(&c.values) {
                if info.pk_columns.contains(col) {
                    continue;
                }
                conds.push(match v {
                    Some(v) => format!("CAST({} AS TEXT) = {}", quote_ident(col), lit(v)),
                    None => format!("{} IS NULL", quote_ident(col)),
                });
            }
            format!("({})", conds.join(" AND "))
        })
        .collect();
    format!(
        "DELETE FROM {} WHERE {};",
        quote_ident(&info.table),
        each.join("\n   OR ")
    )
}

/// The foreign keys of every table that point at `table` (any number of columns).
async fn incoming_fks(conn: &mut impl ReadText, table: &str) -> Result<Vec<Incoming>> {
    let t = table.replace('\'', "''");
    let sql = match conn.engine() {
        Engine::Postgres => format!(
            "SELECT CAST(c.oid AS TEXT), CAST(n.nspname AS TEXT), CAST(r.relname AS TEXT),
               CAST(a.attname AS TEXT), CAST(af.attname AS TEXT)
             FROM pg_constraint c
             JOIN pg_class r ON r.oid = c.conrelid
             JOIN pg_namespace n ON n.oid = r.relnamespace
             CROSS JOIN LATERAL unnest(c.conkey, c.confkey) WITH ORDINALITY AS k(ck, fk, i)
             JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.ck
             JOIN pg_attribute af ON af.attrelid = c.confrelid AND af.attnum = k.fk
             WHERE c.contype = 'f' AND c.confrelid = to_regclass('{}')
             ORDER BY c.oid, k.i",
            quote_ident(table).replace('\'', "''")
        ),
        Engine::Sqlite => format!(
            "SELECT m.name || '/' || f.id, '', m.name, f.\"from\", coalesce(f.\"to\",
               (SELECT p.name FROM pragma_table_info(f.\"table\") p WHERE p.pk = f.seq + 1))
             FROM sqlite_master m, pragma_foreign_key_list(m.name) f
             WHERE m.type = 'table' AND lower(f.\"table\") = lower('{t}')
             ORDER BY m.name, f.id, f.seq"
        ),
    };
    let mut out: Vec<Incoming> = Vec::new();
    let mut last = None;
    for r in conn.read_text(&sql).await? {
        let s = |i: usize| r.get(i).cloned().flatten().unwrap_or_default();
        let id = s(0);
        if last.as_ref() != Some(&id) {
            out.push(Incoming {
                child_schema: s(1),
                child: s(2),
                columns: Vec::new(),
                parent_columns: Vec::new(),
            });
            last = Some(id);
        }
        let fk = out.last_mut().expect("pushed above");
        fk.columns.push(s(3));
        fk.parent_columns.push(s(4));
    }
    Ok(out)
}

/// The fingerprint: the sync, the target's identity, and every row to delete with its hash
/// and statement.
fn finish(plan: &mut UndoPlan) {
    let text = serde_json::to_string(&(
        "envdeck undo v2",
        &plan.sync_id,
        &plan.target_identity,
        &plan.blocked,
        &plan.delete,
        &plan.sql,
    ))
    .unwrap_or_default();
    let full = hex::encode(Sha256::digest(text.as_bytes()));
    plan.fingerprint = full[..8].to_string();
    plan.fingerprint_full = full;
}

/// Undoes the sync at `url` when the plan made inside the transaction has the confirmed
/// fingerprint.
pub async fn undo(
    input: &UndoInput<'_>,
    confirmed_fingerprint: &str,
    log: Option<LogHead<'_>>,
    url: &Sensitive<String>,
    open: &OpenOptions<'_>,
    cancel: &Cancel,
) -> Result<Undone> {
    let to = input.to;
    if is_transaction_pooler(url.expose()) {
        return Ok(Undone::Refused {
            identity: None,
            reason: format!(
                "{to}'s database URL goes through a transaction-mode pooler (port 6543 or pgbouncer=true), where a transaction's lock and settings do not hold: point {to} at the session-mode or direct connection (port 5432) to undo"
            ),
        });
    }
    let permit = WritePermit::for_guarded_sync();
    let mut w = Writer::open(url, open, &permit).await?;
    if let Some(h) = w.cancel_hook() {
        cancel.on_cancel(h);
    }
    let sqlite = w.engine() == Engine::Sqlite;
    let begin = if sqlite {
        "BEGIN IMMEDIATE"
    } else {
        "BEGIN ISOLATION LEVEL REPEATABLE READ"
    };
    let r = async {
        let mut tx = w.begin_with(Some(begin)).await?;
        let r = steps(&mut tx, sqlite, input, confirmed_fingerprint, log, cancel).await;
        match r {
            Ok(Ok(plan)) => {
                if let Err(e) = cancel.check() {
                    tx.rollback().await?;
                    return Err(e);
                }
                tx.commit().await?;
                Ok(Undone::Committed(plan))
            }
            Ok(Err((identity, reason))) => {
                tx.rollback().await?;
                Ok(Undone::Refused { identity, reason })
            }
            Err(e) => {
                let _ = tx.rollback().await;
                Err(e)
            }
        }
    }
    .await;
    w.close().await;
    r
}

type Refusal = (Option<String>, String);

async fn steps(
    tx: &mut WriteTx<'_>,
    sqlite: bool,
    input: &UndoInput<'_>,
    confirmed: &str,
    log: Option<LogHead<'_>>,
    cancel: &Cancel,
) -> Result<std::result::Result<UndoPlan, Refusal>> {
    if !sqlite {
        tx.execute(
            "SELECT pg_advisory_xact_lock($1)",
            &[Cell::Int(lock_key(input.target_identity))],
        )
        .await?;
    }
    cancel.check()?;
    let plan = plan_undo(tx, input).await?;
    let identity = Some(plan.target_identity.clone());
    if let Some(b) = &plan.blocked {
        return Ok(Err((identity, b.clone())));
    }
    let confirmed = confirmed.trim().to_ascii_lowercase();
    if confirmed != plan.fingerprint && confirmed != plan.fingerprint_full {
        return Ok(Err((
            identity,
            format!(
                "{} changed since the undo's preview (fingerprint {} then, {} now): {}. Nothing was deleted: preview the undo again and review",
                input.to,
                confirmed,
                plan.fingerprint,
                summary(&plan)
            ),
        )));
    }
    if plan.delete.is_empty() {
        return Ok(Err((
            identity,
            format!(
                "nothing of sync {} can be deleted: {}",
                input.sync_id,
                summary(&plan)
            ),
        )));
    }
    let ranges = batches(plan.delete.iter().map(|r| r.table.as_str()));
    for (range, sql) in ranges.into_iter().zip(&plan.sql) {
        cancel.check()?;
        let n = tx.execute(sql, &[]).await?;
        if n != range.len() as u64 {
            let first = &plan.delete[range.start];
            return Ok(Err((
                identity,
                format!(
                    "{} row(s) of {} from ({}) were to be deleted, {n} were: nothing was deleted",
                    range.len(),
                    first.table,
                    show(&first.key)
                ),
            )));
        }
    }
    if let Some(h) = &log {
        let mut tables: BTreeMap<String, usize> = BTreeMap::new();
        for r in &plan.delete {
            *tables.entry(r.table.clone()).or_default() += 1;
        }
        let entry = LogEntry {
            sync_id: h.sync_id,
            kind: "undo",
            at: h.at,
            user: h.user,
            from: input.to,
            to: input.to,
            fingerprint: &plan.fingerprint,
            rows: plan.delete.len(),
            tables,
        };
        log_table::write(tx, h.table, &entry).await?;
    }
    Ok(Ok(plan))
}

/// "2 to delete; kept: customers (a@x.test) changed …".
pub fn summary(plan: &UndoPlan) -> String {
    let mut s = format!("{} row(s) to delete", plan.delete.len());
    if !plan.kept.is_empty() {
        let kept: Vec<String> = plan
            .kept
            .iter()
            .map(|k| format!("{} ({}) {}", k.table, show(&k.key), k.reason))
            .collect();
        s.push_str(&format!("; kept: {}", kept.join("; ")));
    }
    s
}
