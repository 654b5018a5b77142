//! A streaming row diff of one table in two databases, by key. Both sides are read ordered
//! by key (numbers by value, text and bytes by bytes, NULLs last) and merged, so memory stays
//! flat whatever the table size; a key must be unique on each side. When both sides are
//! PostgreSQL, each row is hashed inside the database (`hashtextextended` of the row's text)
//! and only the key and a 64-bit hash cross the wire; otherwise the compared columns come as
//! text and are hashed here.
//!
//! Secret columns (names that look secret, plus the workspace's `secret_columns`) are never
//! selected in plain text and never a key: PostgreSQL compares them as `md5` inside the
//! database; where a side cannot hash (SQLite) they are left out and the result says so.

mod lookup;
mod merge;

use lookup::fetch_row;

use futures::StreamExt;
use serde::Serialize;
use ts_rs::TS;

use crate::connectors::{Cell, CellKind, Connection, Engine, quote_ident};
use crate::error::{Error, ErrorCode, Result};
use crate::progress::{Cancel, Progress};

/// What to compare.
#[derive(Debug, Clone)]
pub struct Spec {
    pub table: String,
    pub key: Vec<String>,
    /// Compared columns; `None` = every column both sides have, minus the key and `ignore`.
    pub columns: Option<Vec<String>>,
    pub ignore: Vec<String>,
    /// How many differing rows are listed (counts are always exact).
    pub row_cap: usize,
    /// Secret columns besides those whose names look secret (the workspace's
    /// `[integrations] secret_columns`), matched case-insensitively in every table.
    pub secret_columns: Vec<String>,
    /// What to call A and B in messages: environment names, else `A` / `B`.
    pub labels: [String; 2],
}

impl Spec {
    /// Whether `column` is secret: its name looks secret or the workspace names it.
    pub fn is_secret(&self, column: &str) -> bool {
        crate::secrets::is_secret_column(column, &self.secret_columns)
    }
}

/// Where a listed row differs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export_to = "DiffKind.ts")]
pub enum DiffKind {
    OnlyInA,
    OnlyInB,
    Changed,
}

impl DiffKind {
    pub fn as_str(self) -> &'static str {
        match self {
            DiffKind::OnlyInA => "only_in_a",
            DiffKind::OnlyInB => "only_in_b",
            DiffKind::Changed => "changed",
        }
    }
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export_to = "DiffRow.ts")]
pub struct DiffRow {
    /// `only_in_a`, `only_in_b` or `changed`.
    pub kind: DiffKind,
    pub key: Vec<Option<String>>,
    /// The same key typed: numbers as numbers, NULL apart from the text "NULL".
    pub key_parts: Vec<crate::compare::KeyPart>,
    /// For `changed`: the columns whose values differ (values themselves are never shown).
    pub columns: Vec<String>,
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export_to = "TableDiff.ts")]
pub struct TableDiff {
    pub table: String,
    pub key: Vec<String>,
    pub columns: Vec<String>,
    #[ts(type = "number")]
    pub only_in_a: u64,
    #[ts(type = "number")]
    pub only_in_b: u64,
    #[ts(type = "number")]
    pub changed: u64,
    #[ts(type = "number")]
    pub rows_a: u64,
    #[ts(type = "number")]
    pub rows_b: u64,
    pub rows: Vec<DiffRow>,
    /// At most this many rows are listed in `rows`.
    pub rows_cap: usize,
    /// Where rows were hashed: `database` or `client`.
    pub hashing: String,
    /// Compared secret columns: only as a hash inside the database, so a change shows
    /// without values.
    pub secret_columns: Vec<String>,
    /// Secret columns left out because a side cannot hash them in the database (SQLite).
    pub skipped_secret_columns: Vec<String>,
}

struct Plan {
    key_kinds: Vec<CellKind>,
    /// Compared columns, in table order; secret ones are only ever hashed in the database.
    columns: Vec<String>,
    /// For each of `columns`: how it is read when rows are hashed here.
    value_kinds: Vec<CellKind>,
    /// For each of `columns`: whether it is secret.
    secret: Vec<bool>,
    skipped_secret: Vec<String>,
    hash_in_db: bool,
    key_types_b: Vec<String>,
    key_types_a: Vec<String>,
}

async fn plan(a: &mut Connection, b: &mut Connection, spec: &Spec) -> Result<Plan> {
    if let Some(k) = spec.key.iter().find(|k| spec.is_secret(k)) {
        return Err(Error::invalid_input(format!(
            "key column {k:?} is a secret column: a key's values are read and shown, and secret values never are; pick a natural key (a name, code or slug)"
        )));
    }
    let ta = a.column_types(&spec.table).await?;
    let tb = b.column_types(&spec.table).await?;
    for (cols, c) in [(&ta, &*a), (&tb, &*b)] {
        if cols.is_empty() {
            return Err(Error::new(
                ErrorCode::TableMissing,
                format!(
                    "table {:?} does not exist in {}",
                    spec.table,
                    c.display_url()
                ),
            ));
        }
    }
    let ty = |cols: &[(String, String)], k: &str| {
        cols.iter().find(|(n, _)| n == k).map(|(_, t)| t.clone())
    };
    let mut key_kinds = Vec::new();
    let (mut key_types_a, mut key_types_b) = (Vec::new(), Vec::new());
    for k in &spec.key {
        let (Some(x), Some(y)) = (ty(&ta, k), ty(&tb, k)) else {
            return Err(Error::invalid_input(format!(
                "key column {k:?} is not in table {:?} on both sides: name columns that exist in both",
                spec.table
            )));
        };
        key_kinds.push(CellKind::for_types(&x, &y));
        key_types_a.push(x);
        key_types_b.push(y);
    }
    let columns = match &spec.columns {
        Some(cols) => {
            for c in cols {
                if ty(&ta, c).is_none() || ty(&tb, c).is_none() {
                    return Err(Error::invalid_input(format!(
                        "column {c:?} is not in table {:?} on both sides",
                        spec.table
                    )));
                }
            }
            cols.clone()
        }
        None => ta
            .iter()
            .map(|(n, _)| n.clone())
            .filter(|n| !spec.key.contains(n) && !spec.ignore.contains(n) && ty(&tb, n).is_some())
            .collect(),
    };
    let hash_in_db = a.engine() == Engine::Postgres && b.engine() == Engine::Postgres;
    // Without an in-database hash on both sides a secret column would have to be read.
    let (columns, skipped_secret): (Vec<String>, Vec<String>) = columns
        .into_iter()
        .partition(|c| hash_in_db || !spec.is_secret(c));
    let value_kinds = columns
        .iter()
        .map(|c| {
            match CellKind::for_types(
                &ty(&ta, c).unwrap_or_default(),
                &ty(&tb, c).unwrap_or_default(),
            ) {
                CellKind::Text => CellKind::Text,
                _ => CellKind::Num,
            }
        })
        .collect();
    Ok(Plan {
        key_kinds,
        value_kinds,
        secret: columns.iter().map(|c| spec.is_secret(c)).collect(),
        columns,
        skipped_secret,
        hash_in_db,
        key_types_a,
        key_types_b,
    })
}

/// A secret column as the database's hash of it: the only form in which one is selected.
fn secret_hash(column: &str) -> String {
    format!("md5(CAST({} AS TEXT))", quote_ident(column))
}

/// A number column as its decoder wants it: PostgreSQL's text (exact for `numeric`,
/// shortest round-trip for floats), SQLite's stored integer or real.
fn num_select(engine: Engine, quoted: &str) -> String {
    match engine {
        Engine::Postgres => format!("CAST({quoted} AS TEXT)"),
        Engine::Sqlite => quoted.to_string(),
    }
}

/// A compared (non-secret) column as read for hashing here.
fn value_select(engine: Engine, column: &str, kind: CellKind) -> String {
    let q = quote_ident(column);
    match kind {
        CellKind::Num => num_select(engine, &q),
        _ => format!("CAST({q} AS TEXT)"),
    }
}

fn scan_sql(engine: Engine, spec: &Spec, plan: &Plan) -> (String, Vec<CellKind>) {
    let mut select = Vec::new();
    let mut order = Vec::new();
    let mut kinds = plan.key_kinds.clone();
    for (k, kind) in spec.key.iter().zip(&plan.key_kinds) {
        let q = quote_ident(k);
        match (kind, engine) {
            (CellKind::Int, _) => {
                select.push(format!("CAST({q} AS BIGINT)"));
                order.push(format!("{q} NULLS LAST"));
            }
            (CellKind::Num, _) => {
                select.push(num_select(engine, &q));
                // Qualified: a bare name would sort by the selected text of the same name.
                order.push(format!("{}.{q} NULLS LAST", quote_ident(&spec.table)));
            }
            (CellKind::Text, Engine::Postgres) => {
                select.push(format!("CAST({q} AS TEXT)"));
                order.push(format!("CAST({q} AS TEXT) COLLATE \"C\" NULLS LAST"));
            }
            (CellKind::Text, Engine::Sqlite) => {
                select.push(format!("CAST({q} AS TEXT)"));
                order.push(format!("CAST({q} AS TEXT) NULLS LAST"));
            }
        }
    }
    if plan.hash_in_db {
        let row = if plan.columns.is_empty() {
            "0".to_string()
        } else {
            let cols: Vec<String> = plan
                .columns
                .iter()
                .zip(&plan.secret)
                .map(|(c, secret)| {
                    if *secret {
                        secret_hash(c)
                    } else {
                        quote_ident(c)
                    }
                })
                .collect();
            format!(
                "hashtextextended(CAST(ROW({}) AS TEXT), 0)",
                cols.join(", ")
            )
        };
        select.push(row);
        kinds.push(CellKind::Int);
    } else {
        for (c, kind) in plan.columns.iter().zip(&plan.value_kinds) {
            select.push(value_select(engine, c, *kind));
            kinds.push(*kind);
        }
    }
    (
        format!(
            "SELECT {} FROM {} ORDER BY {}",
            select.join(", "),
            quote_ident(&spec.table),
            order.join(", ")
        ),
        kinds,
    )
}

/// Diffs `spec.table` between `a` and `b`.
pub async fn diff(
    a: &mut Connection,
    b: &mut Connection,
    spec: &Spec,
    progress: &dyn Progress,
    cancel: &Cancel,
) -> Result<TableDiff> {
    if spec.key.is_empty() {
        return Err(Error::invalid_input(
            "give at least one key column (--key id or --key a,b)",
        ));
    }
    let plan = plan(a, b, spec).await?;
    // Counting costs a scan of each side: only when someone is watching a progress bar.
    let total = if progress.wants_total() {
        let (x, y) = futures::try_join!(a.count(&spec.table), b.count(&spec.table))?;
        Some(x + y)
    } else {
        None
    };
    progress.start(&format!("diffing {}", spec.table), total);
    let nk = spec.key.len();
    let (sql_a, kinds_a) = scan_sql(a.engine(), spec, &plan);
    let (sql_b, kinds_b) = scan_sql(b.engine(), spec, &plan);
    begin_scan(a).await?;
    if let Err(e) = begin_scan(b).await {
        let _ = end_scan(a, false).await;
        return Err(e);
    }
    let sa = a
        .stream(sql_a, kinds_a)
        .map(move |r| r.map(|row| merge::split(row, nk)));
    let sb = b
        .stream(sql_b, kinds_b)
        .map(move |r| r.map(|row| merge::split(row, nk)));
    let merged = merge::merge(sa, sb, spec.row_cap, &spec.labels, progress, cancel).await;
    let ended_a = end_scan(a, merged.is_ok()).await;
    let ended_b = end_scan(b, merged.is_ok()).await;
    let merged = merged.map_err(|e| e.while_reading(&spec.table))?;
    ended_a?;
    ended_b?;
    progress.finish();

    let mut rows = merged.rows;
    // Name the differing columns of the listed changed rows (values stay out of the output).
    for r in rows.iter_mut().filter(|r| r.kind == DiffKind::Changed) {
        let key: Vec<Cell> = r.key.clone();
        let va = fetch_row(a, spec, &plan, &plan.key_types_a, &key).await?;
        let vb = fetch_row(b, spec, &plan, &plan.key_types_b, &key).await?;
        r.columns = plan
            .columns
            .iter()
            .enumerate()
            .filter(|(i, _)| va.get(*i) != vb.get(*i))
            .map(|(_, c)| c.clone())
            .collect();
    }
    Ok(TableDiff {
        table: spec.table.clone(),
        key: spec.key.clone(),
        columns: plan.columns.clone(),
        only_in_a: merged.only_in_a,
        only_in_b: merged.only_in_b,
        changed: merged.changed,
        rows_a: merged.rows_a,
        rows_b: merged.rows_b,
        rows: rows
            .into_iter()
            .map(|r| DiffRow {
                kind: r.kind,
                key_parts: r
                    .key
                    .iter()
                    .map(crate::compare::KeyPart::from_cell)
                    .collect(),
                key: r.key.iter().map(Cell::to_text).collect(),
                columns: r.columns,
            })
            .collect(),
        rows_cap: spec.row_cap,
        hashing: if plan.hash_in_db {
            "database"
        } else {
            "client"
        }
        .to_string(),
        secret_columns: plan
            .columns
            .iter()
            .zip(&plan.secret)
            .filter(|(_, s)| **s)
            .map(|(c, _)| c.clone())
            .collect(),
        skipped_secret_columns: plan.skipped_secret.clone(),
    })
}

/// Gives the scan that follows the connection's scan timeout instead of its statement
/// timeout: PostgreSQL counts a statement's whole run, streaming to the client included,
/// so a large table needs longer than a lookup, but never forever. `SET LOCAL` in a
/// transaction keeps the change to the scan (and to one server connection, also behind a
/// pooler); the lock timeout still applies.
async fn begin_scan(conn: &mut Connection) -> Result<()> {
    if conn.engine() == Engine::Postgres {
        let ms = conn.limits().scan.as_millis().max(1);
        conn.fetch_text("BEGIN").await?;
        conn.fetch_text(&format!("SET LOCAL statement_timeout = {ms}"))
            .await?;
    }
    Ok(())
}

/// Ends [`begin_scan`]'s transaction, which restores the statement timeout.
async fn end_scan(conn: &mut Connection, ok: bool) -> Result<()> {
    if conn.engine() == Engine::Postgres {
        conn.fetch_text(if ok { "COMMIT" } else { "ROLLBACK" })
            .await?;
    }
    Ok(())
}
