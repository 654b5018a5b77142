//! Finding one row again by its key: the differing columns of a changed row (secret ones
//! only as their in-database hash).

use super::{Plan, Spec, secret_hash, value_select};
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
