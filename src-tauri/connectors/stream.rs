//! Typed row streams and key lookups for the table diff: rows arrive one at a time so
//! memory stays flat however large the table.

use futures::StreamExt;
use futures::stream::BoxStream;
use sqlx::Row;

use super::{Connection, Inner};
use crate::error::Result;

/// How to decode one selected column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CellKind {
    Int,
    Text,
}

/// One decoded value. NULL sorts after everything (queries say `NULLS LAST`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Cell {
    Int(i64),
    Text(String),
    Null,
}

impl Cell {
    pub fn to_text(&self) -> Option<String> {
        match self {
            Cell::Int(i) => Some(i.to_string()),
            Cell::Text(s) => Some(s.clone()),
            Cell::Null => None,
        }
    }
}

impl PartialOrd for Cell {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Cell {
    /// Integers numerically, text by bytes (Postgres `COLLATE "C"`, SQLite `BINARY`), NULL last.
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        use std::cmp::Ordering::*;
        match (self, other) {
            (Cell::Null, Cell::Null) => Equal,
            (Cell::Null, _) => Greater,
            (_, Cell::Null) => Less,
            (Cell::Int(a), Cell::Int(b)) => a.cmp(b),
            (Cell::Text(a), Cell::Text(b)) => a.as_bytes().cmp(b.as_bytes()),
            (Cell::Int(_), Cell::Text(_)) => Less,
            (Cell::Text(_), Cell::Int(_)) => Greater,
        }
    }
}

fn decode<R: Row>(r: &R, kinds: &[CellKind]) -> std::result::Result<Vec<Cell>, sqlx::Error>
where
    usize: sqlx::ColumnIndex<R>,
    for<'a> Option<String>: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
    for<'a> Option<i64>: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
{
    kinds
        .iter()
        .enumerate()
        .map(|(i, k)| {
            Ok(match k {
                CellKind::Int => r
                    .try_get::<Option<i64>, _>(i)?
                    .map(Cell::Int)
                    .unwrap_or(Cell::Null),
                CellKind::Text => r
                    .try_get::<Option<String>, _>(i)?
                    .map(Cell::Text)
                    .unwrap_or(Cell::Null),
            })
        })
        .collect()
}

/// Every column of a row as text; a column that is not text is an error, never a panic.
pub(super) fn text_row<R: Row>(r: &R) -> std::result::Result<Vec<Option<String>>, sqlx::Error>
where
    usize: sqlx::ColumnIndex<R>,
    for<'a> Option<String>: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
{
    (0..r.len())
        .map(|i| r.try_get::<Option<String>, _>(i))
        .collect()
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
