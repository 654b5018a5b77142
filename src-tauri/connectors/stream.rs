//! Typed row streams and key lookups for the table diff: rows arrive one at a time so
//! memory stays flat however large the table.

use futures::StreamExt;
use futures::stream::BoxStream;
use sqlx::Row;

use super::{Connection, Inner, Num};
use crate::error::Result;

/// How to decode one selected column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CellKind {
    Int,
    /// A number compared by value (`1.0` = `1`), from text (PostgreSQL) or the stored
    /// integer / real (SQLite).
    Num,
    /// Text, or bytes when they are not UTF-8 (SQLite BLOBs and raw text).
    Text,
}

pub fn is_int_type(t: &str) -> bool {
    let t = t.to_ascii_lowercase();
    matches!(
        t.as_str(),
        "smallint" | "integer" | "bigint" | "int2" | "int4" | "int8"
    ) || (t.contains("int") && !t.contains("interval") && !t.contains("point"))
}

/// Decimal and floating-point types of either engine (`numeric(10,2)`, `double precision`,
/// `REAL`, `FLOAT`, `DECIMAL`).
pub fn is_num_type(t: &str) -> bool {
    let t = t.to_ascii_lowercase();
    ["numeric", "decimal", "real", "double", "float"]
        .iter()
        .any(|w| t.contains(w))
}

impl CellKind {
    /// How a column of types `x` (one side) and `y` (the other) is compared: integers as
    /// integers, any other mix of numbers by value, the rest as text.
    pub fn for_types(x: &str, y: &str) -> CellKind {
        let numeric = |t: &str| is_int_type(t) || is_num_type(t);
        if is_int_type(x) && is_int_type(y) {
            CellKind::Int
        } else if numeric(x) && numeric(y) {
            CellKind::Num
        } else {
            CellKind::Text
        }
    }
}

/// One decoded value. NULL sorts after everything (queries say `NULLS LAST`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Cell {
    Int(i64),
    Num(Num),
    Text(String),
    /// Bytes that are not valid UTF-8 (valid UTF-8 is always `Text`: see [`Cell::from_bytes`]).
    Bytes(Vec<u8>),
    Null,
}

impl Cell {
    /// `Text` when `b` is UTF-8, else `Bytes`, so equal bytes always make equal cells.
    pub fn from_bytes(b: Vec<u8>) -> Cell {
        match String::from_utf8(b) {
            Ok(s) => Cell::Text(s),
            Err(e) => Cell::Bytes(e.into_bytes()),
        }
    }

    pub fn to_text(&self) -> Option<String> {
        match self {
            Cell::Int(i) => Some(i.to_string()),
            Cell::Num(n) => Some(n.to_string()),
            Cell::Text(s) => Some(s.clone()),
            Cell::Bytes(b) => Some(hex(b)),
            Cell::Null => None,
        }
    }

    fn bytes(&self) -> Option<&[u8]> {
        match self {
            Cell::Text(s) => Some(s.as_bytes()),
            Cell::Bytes(b) => Some(b),
            _ => None,
        }
    }

    fn rank(&self) -> u8 {
        match self {
            Cell::Int(_) => 0,
            Cell::Num(_) => 1,
            Cell::Text(_) | Cell::Bytes(_) => 2,
            Cell::Null => 3,
        }
    }
}

/// Bytes as an SQL hex literal: `x'00ff'`.
pub fn hex(b: &[u8]) -> String {
    let mut s = String::with_capacity(3 + 2 * b.len());
    s.push_str("x'");
    for x in b {
        s.push_str(&format!("{x:02x}"));
    }
    s.push('\'');
    s
}

impl PartialOrd for Cell {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Cell {
    /// Integers and numbers by value, text and bytes by bytes (Postgres `COLLATE "C"`,
    /// SQLite `BINARY`), NULL last.
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        match (self, other) {
            (Cell::Int(a), Cell::Int(b)) => a.cmp(b),
            (Cell::Num(a), Cell::Num(b)) => a.cmp(b),
            _ => match (self.bytes(), other.bytes()) {
                (Some(a), Some(b)) => a.cmp(b),
                _ => self.rank().cmp(&other.rank()),
            },
        }
    }
}

fn is_sqlite<R: Row>() -> bool {
    <R::Database as sqlx::Database>::NAME == "SQLite"
}

/// The stored type of a SQLite value (`INTEGER`, `REAL`, `TEXT`, `BLOB`).
fn value_type<R: Row>(r: &R, i: usize) -> std::result::Result<Option<String>, sqlx::Error>
where
    usize: sqlx::ColumnIndex<R>,
{
    use sqlx::{TypeInfo, ValueRef};
    let v = r.try_get_raw(i)?;
    Ok((!v.is_null()).then(|| v.type_info().name().to_string()))
}

fn decode<R: Row>(r: &R, kinds: &[CellKind]) -> std::result::Result<Vec<Cell>, sqlx::Error>
where
    usize: sqlx::ColumnIndex<R>,
    for<'a> Option<String>: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
    for<'a> Option<i64>: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
    for<'a> i64: sqlx::Decode<'a, R::Database>,
    for<'a> f64: sqlx::Decode<'a, R::Database>,
    for<'a> Vec<u8>: sqlx::Decode<'a, R::Database>,
{
    kinds
        .iter()
        .enumerate()
        .map(|(i, k)| {
            let Some(ty) = value_type(r, i)? else {
                return Ok(Cell::Null);
            };
            Ok(match (k, is_sqlite::<R>()) {
                (CellKind::Int, _) => r
                    .try_get::<Option<i64>, _>(i)?
                    .map(Cell::Int)
                    .unwrap_or(Cell::Null),
                // SQLite: by the stored value, as SQLite orders it (numbers, then text).
                (CellKind::Num, true) => match ty.as_str() {
                    "INTEGER" => Cell::Num(Num::from_i64(r.try_get_unchecked::<i64, _>(i)?)),
                    "REAL" => Cell::Num(Num::from_f64(r.try_get_unchecked::<f64, _>(i)?)),
                    _ => Cell::from_bytes(r.try_get_unchecked::<Vec<u8>, _>(i)?),
                },
                (CellKind::Num, false) => {
                    let s: String = r.try_get::<Option<String>, _>(i)?.unwrap_or_default();
                    Num::parse(&s).map(Cell::Num).unwrap_or(Cell::Text(s))
                }
                (CellKind::Text, true) => Cell::from_bytes(r.try_get_unchecked::<Vec<u8>, _>(i)?),
                (CellKind::Text, false) => r
                    .try_get::<Option<String>, _>(i)?
                    .map(Cell::Text)
                    .unwrap_or(Cell::Null),
            })
        })
        .collect()
}

/// Every column of a row as text; a column that is not text is an error, never a panic.
/// SQLite values are read as stored: numbers print as numbers, and text or BLOBs that are
/// not UTF-8 print as hex (`x'00ff'`) instead of failing the query.
pub(super) fn text_row<R: Row>(r: &R) -> std::result::Result<Vec<Option<String>>, sqlx::Error>
where
    usize: sqlx::ColumnIndex<R>,
    for<'a> Option<String>: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
    for<'a> i64: sqlx::Decode<'a, R::Database>,
    for<'a> f64: sqlx::Decode<'a, R::Database>,
    for<'a> Vec<u8>: sqlx::Decode<'a, R::Database>,
{
    // Sized once: a whole-table read holds 100,000s of these.
    let mut out = Vec::with_capacity(r.len());
    for i in 0..r.len() {
        out.push(if !is_sqlite::<R>() {
            r.try_get::<Option<String>, _>(i)?
        } else {
            match value_type(r, i)?.as_deref() {
                None => None,
                Some("INTEGER") => Some(r.try_get_unchecked::<i64, _>(i)?.to_string()),
                Some("REAL") => Some(r.try_get_unchecked::<f64, _>(i)?.to_string()),
                Some(_) => Cell::from_bytes(r.try_get_unchecked::<Vec<u8>, _>(i)?).to_text(),
            }
        });
    }
    Ok(out)
}

impl Connection {
    /// Streams `sql`'s rows decoded as `kinds`.
    pub fn stream(
        &mut self,
        sql: String,
        kinds: Vec<CellKind>,
    ) -> BoxStream<'_, Result<Vec<Cell>>> {
        let display = self.display.clone();
        let fragments = self.fragments.clone();
        let err = move |e| super::errors::map(e, &display, &fragments);
        on_engine!(&mut self.inner, c => sqlx::query(sqlx::AssertSqlSafe(sql))
            .fetch(c)
            .map(move |r| r.and_then(|r| decode(&r, &kinds)).map_err(&err))
            .boxed())
    }

    /// `(column, declared type)` of `table`, in table order; empty when it does not exist.
    pub async fn column_types(&mut self, table: &str) -> Result<Vec<(String, String)>> {
        let sql = match self.engine() {
            super::Engine::Postgres => format!(
                "SELECT CAST(attname AS TEXT), format_type(atttypid, atttypmod) FROM pg_attribute
                 WHERE attrelid = to_regclass('{}') AND attnum > 0 AND NOT attisdropped ORDER BY attnum",
                super::quote_ident(table).replace('\'', "''")
            ),
            super::Engine::Sqlite => format!(
                "SELECT name, type FROM pragma_table_info('{}') ORDER BY cid",
                table.replace('\'', "''")
            ),
        };
        Ok(self
            .fetch_text(&sql)
            .await?
            .into_iter()
            .map(|r| {
                (
                    r[0].clone().unwrap_or_default(),
                    r[1].clone().unwrap_or_default(),
                )
            })
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_and_bytes_order_by_bytes_and_print_bytes_as_hex() {
        let (t, b) = (
            Cell::from_bytes(b"a".to_vec()),
            Cell::from_bytes(vec![0xc3]),
        );
        assert_eq!(t, Cell::Text("a".into()));
        assert!(t < b && b < Cell::Null);
        assert_eq!(
            Cell::from_bytes(vec![0, 0xff]).to_text().unwrap(),
            "x'00ff'"
        );
    }
}
