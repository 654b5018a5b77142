//! A streaming row diff of one table in two databases, by key. Both sides are read ordered
//! by key (integers numerically, text by bytes, NULLs last) and merged, so memory stays flat
//! whatever the table size. When both sides are PostgreSQL, each row is hashed inside the
//! database (`hashtextextended` of the row's text) and only the key and a 64-bit hash cross
//! the wire; otherwise the compared columns come as text and are hashed here.

mod merge;

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
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export_to = "DiffRow.ts")]
pub struct DiffRow {
    /// `only_in_a`, `only_in_b` or `changed`.
    pub kind: String,
    pub key: Vec<Option<String>>,
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
}

struct Plan {
    key_kinds: Vec<CellKind>,
    columns: Vec<String>,
    hash_in_db: bool,
    key_types_b: Vec<String>,
    key_types_a: Vec<String>,
}

fn is_int_type(t: &str) -> bool {
    let t = t.to_ascii_lowercase();
    matches!(
        t.as_str(),
        "smallint" | "integer" | "bigint" | "int2" | "int4" | "int8"
    ) || (t.contains("int") && !t.contains("interval") && !t.contains("point"))
}

async fn plan(a: &mut Connection, b: &mut Connection, spec: &Spec) -> Result<Plan> {
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
        key_kinds.push(if is_int_type(&x) && is_int_type(&y) {
            CellKind::Int
        } else {
            CellKind::Text
        });
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
    Ok(Plan {
        key_kinds,
        columns,
        hash_in_db: a.engine() == Engine::Postgres && b.engine() == Engine::Postgres,
        key_types_a,
        key_types_b,
    })
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
            let cols: Vec<String> = plan.columns.iter().map(|c| quote_ident(c)).collect();
            format!(
                "hashtextextended(CAST(ROW({}) AS TEXT), 0)",
                cols.join(", ")
            )
        };
        select.push(row);
        kinds.push(CellKind::Int);
    } else {
        for c in &plan.columns {
            select.push(format!("CAST({} AS TEXT)", quote_ident(c)));
            kinds.push(CellKind::Text);
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
    let merged = merge::merge(sa, sb, spec.row_cap, progress, cancel).await;
    let ended_a = end_scan(a, merged.is_ok()).await;
    let ended_b = end_scan(b, merged.is_ok()).await;
    let merged = merged?;
    ended_a?;
    ended_b?;
    progress.finish();

    let mut rows = merged.rows;
    // Name the differing columns of the listed changed rows (values stay out of the output).
    for r in rows.iter_mut().filter(|r| r.kind == "changed") {
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
                kind: r.kind.to_string(),
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
    })
}

/// Lifts the statement timeout for the scan that follows: PostgreSQL counts a statement's
/// whole run, streaming to the client included, so any table that takes longer than the
/// connection's timeout to stream would be cut off. `SET LOCAL` in a transaction keeps the
/// change to the scan (and to one server connection, also behind a pooler).
async fn begin_scan(conn: &mut Connection) -> Result<()> {
    if conn.engine() == Engine::Postgres {
        conn.fetch_text("BEGIN").await?;
        conn.fetch_text("SET LOCAL statement_timeout = 0").await?;
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

/// The compared columns of the (first) row with `key`, as text.
async fn fetch_row(
    conn: &mut Connection,
    spec: &Spec,
    plan: &Plan,
    key_types: &[String],
    key: &[Cell],
) -> Result<Vec<Option<String>>> {
    Ok(select_by_key(
        conn,
        &spec.table,
        &plan.columns,
        &spec.key,
        key,
        Some(key_types),
    )
    .await?
    .unwrap_or_default())
}

/// `columns` (as text) of the first row of `table` whose key is `values`. With `key_types`
/// (Postgres' declared types) text values are cast to the column's type so an index on the
/// key is used; without, keys are compared as text.
async fn select_by_key(
    conn: &mut Connection,
    table: &str,
    columns: &[String],
    key: &[String],
    values: &[Cell],
    key_types: Option<&[String]>,
) -> Result<Option<Vec<Option<String>>>> {
    let mut conds = Vec::new();
    let mut params = Vec::new();
    for (i, (k, v)) in key.iter().zip(values).enumerate() {
        let q = quote_ident(k);
        if *v == Cell::Null {
            conds.push(format!("{q} IS NULL"));
            continue;
        }
        let n = params.len() + 1;
        let p = match conn.engine() {
            Engine::Postgres => format!("${n}"),
            Engine::Sqlite => format!("?{n}"),
        };
        conds.push(match (v, conn.engine(), key_types) {
            (Cell::Int(_), _, _) => format!("{q} = {p}"),
            (_, Engine::Postgres, Some(types)) => format!("{q} = CAST({p} AS {})", types[i]),
            _ => format!("CAST({q} AS TEXT) = {p}"),
        });
        params.push(v.clone());
    }
    let select: Vec<String> = columns
        .iter()
        .map(|c| format!("CAST({} AS TEXT)", quote_ident(c)))
        .collect();
    let sql = format!(
        "SELECT {} FROM {} WHERE {} LIMIT 1",
        if select.is_empty() {
            "NULL".to_string()
        } else {
            select.join(", ")
        },
        quote_ident(table),
        conds.join(" AND ")
    );
    Ok(conn
        .fetch_text_bound(&sql, &params)
        .await?
        .into_iter()
        .next())
}

/// One row as a JSON object of text values, found by its key written as text (`NULL` for a
/// NULL key part). `None` when no row has that key.
pub async fn row_json(
    conn: &mut Connection,
    table: &str,
    key: &[String],
    key_values: &[&str],
    ignore: &[String],
) -> Result<Option<serde_json::Value>> {
    let cols: Vec<String> = conn
        .column_types(table)
        .await?
        .into_iter()
        .map(|(c, _)| c)
        .filter(|c| !ignore.contains(c))
        .collect();
    if cols.is_empty() {
        return Ok(None);
    }
    let values: Vec<Cell> = key_values
        .iter()
        .map(|v| {
            if *v == "NULL" {
                Cell::Null
            } else {
                Cell::Text((*v).to_string())
            }
        })
        .collect();
    let row = select_by_key(conn, table, &cols, key, &values, None).await?;
    Ok(row.map(|r| {
        let mut m = serde_json::Map::new();
        for (c, v) in cols.into_iter().zip(r) {
            let v = match v {
                // JSON columns read better as JSON than as a quoted string.
                Some(s) if s.starts_with('{') || s.starts_with('[') => {
                    serde_json::from_str(&s).unwrap_or(serde_json::Value::String(s))
                }
                Some(s) => serde_json::Value::String(s),
                None => serde_json::Value::Null,
            };
            m.insert(c, v);
        }
        serde_json::Value::Object(m)
    }))
}
