//! Finding one row again by its key: the differing columns of a changed row (secret ones
//! only as their in-database hash) and the side-by-side values of a reference row.

use super::{Plan, Spec, is_int_type, is_num_type, secret_hash, value_select};
use crate::connectors::{Cell, CellKind, Connection, Engine, Num, quote_ident};
use crate::error::Result;

/// The compared columns of the (first) row with `key`, as comparable text: numbers in
/// one canonical form when hashed here, secret columns only as their in-database hash.
pub(super) async fn fetch_row(
    conn: &mut Connection,
    spec: &Spec,
    plan: &Plan,
    key_types: &[String],
    key: &[Cell],
) -> Result<Vec<Option<String>>> {
    let engine = conn.engine();
    let select: Vec<String> = plan
        .columns
        .iter()
        .zip(&plan.secret)
        .zip(&plan.value_kinds)
        .map(|((c, secret), kind)| {
            if *secret {
                secret_hash(c)
            } else {
                value_select(engine, c, *kind)
            }
        })
        .collect();
    let row = select_by_key(conn, &spec.table, &select, &spec.key, key, Some(key_types))
        .await?
        .unwrap_or_default();
    Ok(row
        .into_iter()
        .zip(&plan.value_kinds)
        .map(|(v, kind)| match (v, kind) {
            // In-database hashing compares the text as is; here, numbers compare by value.
            (Some(s), CellKind::Num) if !plan.hash_in_db => {
                Some(Num::parse(&s).map(|n| n.to_string()).unwrap_or(s))
            }
            (v, _) => v,
        })
        .collect())
}

/// The `select` expressions (as text) of the first row of `table` whose key is `values`.
/// With `key_types` (Postgres' declared types) values are cast to the column's type so an
/// index on the key is used and numbers match by value; without, keys are compared as text.
async fn select_by_key(
    conn: &mut Connection,
    table: &str,
    select: &[String],
    key: &[String],
    values: &[Cell],
    key_types: Option<&[String]>,
) -> Result<Option<Vec<Option<String>>>> {
    let mut conds = Vec::new();
    let mut params = Vec::new();
    for (i, (k, v)) in key.iter().zip(values).enumerate() {
        let q = quote_ident(k);
        let n = params.len() + 1;
        let p = match conn.engine() {
            Engine::Postgres => format!("${n}"),
            Engine::Sqlite => format!("?{n}"),
        };
        let (cond, bound) = match (v, conn.engine(), key_types) {
            (Cell::Null, _, _) => (format!("{q} IS NULL"), false),
            (Cell::Int(_), _, _) => (format!("{q} = {p}"), true),
            // SQLite applies the column's numeric affinity to the bound text; it has no
            // spelling for infinity but an overflowing literal, and never stores NaN.
            (Cell::Num(Num::PosInf), Engine::Sqlite, _) => (format!("{q} = 9e999"), false),
            (Cell::Num(Num::NegInf), Engine::Sqlite, _) => (format!("{q} = -9e999"), false),
            (Cell::Num(Num::NaN), Engine::Sqlite, _) => ("0 = 1".to_string(), false),
            (Cell::Num(_), Engine::Sqlite, _) => (format!("{q} = {p}"), true),
            (Cell::Bytes(_), _, _) => (format!("CAST({q} AS TEXT) = CAST({p} AS TEXT)"), true),
            (_, Engine::Postgres, Some(types)) => {
                (format!("{q} = CAST({p} AS {})", types[i]), true)
            }
            _ => (format!("CAST({q} AS TEXT) = {p}"), true),
        };
        conds.push(cond);
        if bound {
            params.push(v.clone());
        }
    }
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

/// A key part written as text (as findings show it) back as a cell of the column's type.
fn key_cell(engine: Engine, column_type: &str, text: &str) -> Cell {
    if text == "NULL" {
        return Cell::Null;
    }
    if is_int_type(column_type)
        && let Ok(i) = text.parse()
    {
        return Cell::Int(i);
    }
    if (is_int_type(column_type) || is_num_type(column_type))
        && let Some(n) = Num::parse(text)
    {
        return Cell::Num(n);
    }
    // Bytes that are not UTF-8 are shown as `x'…'` (UTF-8 ones are shown as text).
    if engine == Engine::Sqlite
        && let Some(hex) = text.strip_prefix("x'").and_then(|t| t.strip_suffix('\''))
        && let Some(bytes) = unhex(hex)
        && String::from_utf8(bytes.clone()).is_err()
    {
        return Cell::Bytes(bytes);
    }
    Cell::Text(text.to_string())
}

fn unhex(hex: &str) -> Option<Vec<u8>> {
    if !hex.len().is_multiple_of(2) {
        return None;
    }
    (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok())
        .collect()
}

/// One row as a JSON object of text values, found by its key written as text (`NULL` for a
/// NULL key part, numbers by value, `x'…'` for bytes). Columns whose names look secret are
/// left out. `None` when no row has that key.
pub async fn row_json(
    conn: &mut Connection,
    table: &str,
    key: &[String],
    key_values: &[&str],
    ignore: &[String],
    secret_columns: &[String],
) -> Result<Option<serde_json::Value>> {
    let types = conn.column_types(table).await?;
    // Secret columns are not read at all: the side-by-side view has no use for a hash.
    let cols: Vec<String> = types
        .iter()
        .map(|(c, _)| c.clone())
        .filter(|c| !ignore.contains(c) && !crate::secrets::is_secret_column(c, secret_columns))
        .collect();
    if cols.is_empty() {
        return Ok(None);
    }
    let engine = conn.engine();
    let key_types: Vec<String> = key
        .iter()
        .map(|k| {
            types
                .iter()
                .find(|(c, _)| c == k)
                .map(|(_, t)| t.clone())
                .unwrap_or_else(|| "text".to_string())
        })
        .collect();
    let values: Vec<Cell> = key_values
        .iter()
        .zip(&key_types)
        .map(|(v, t)| key_cell(engine, t, v))
        .collect();
    let select: Vec<String> = cols
        .iter()
        .map(|c| format!("CAST({} AS TEXT)", quote_ident(c)))
        .collect();
    let typed = (engine == Engine::Postgres).then_some(key_types.as_slice());
    let row = select_by_key(conn, table, &select, key, &values, typed).await?;
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
