//! Environment databases: PostgreSQL (Supabase URLs with `sslmode` included) and SQLite,
//! through sqlx's concrete drivers. A [`Connection`] is a read-only handle on every
//! environment (Postgres sessions default to read-only transactions, SQLite files open
//! read-only), so the database itself refuses a write. The one way to write is a
//! [`Writer`], which needs a [`crate::sync::WritePermit`] that only the guarded sync can
//! create. Every failure has a code and a sentence; URLs in messages have their password
//! masked.

/// Runs the same code on whichever engine a connection holds (`$c` is the driver's
/// connection): sqlx's concrete drivers share an API but not a type.
macro_rules! on_engine {
    ($inner:expr, $c:ident => $body:expr) => {
        match $inner {
            Inner::Postgres($c) => $body,
            Inner::Sqlite($c) => $body,
        }
    };
}

mod errors;
mod num;
mod open;
mod stream;
mod urls;
mod write;

pub use num::Num;
pub use open::{Limits, OpenOptions};
pub use stream::{Cell, CellKind, is_int_type, is_num_type};
pub use urls::{is_transaction_pooler, mask_url, sqlite_path, url_has_password};
pub use write::{RawRows, WriteTx, Writer};

use std::path::Path;
use std::time::{Duration, Instant};

use sqlx::postgres::PgConnection;
use sqlx::sqlite::SqliteConnection;
use sqlx::{Connection as _, Row};

use crate::error::{Error, ErrorCode, Result};

/// How long envdeck waits for a database to accept a connection, by default.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// How long one statement may run before the server (or envdeck) cancels it, by default.
pub const STATEMENT_TIMEOUT: Duration = Duration::from_secs(15);

/// Which database engine an environment runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Postgres,
    Sqlite,
}

enum Inner {
    Postgres(PgConnection),
    Sqlite(SqliteConnection),
}

/// One open connection to an environment's database.
pub struct Connection {
    inner: Inner,
    protected: bool,
    /// The URL with its password masked, for messages.
    display: String,
    /// Pieces of the URL that must never appear in a message.
    fragments: Vec<String>,
    /// The file, for a SQLite connection.
    sqlite_file: Option<std::path::PathBuf>,
    limits: Limits,
    /// For PostgreSQL: how to reach the server again to cancel this session's statement.
    canceller: Option<open::Canceller>,
}

impl std::fmt::Debug for Connection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Connection")
            .field("url", &self.display)
            .field("protected", &self.protected)
            .finish()
    }
}

/// Anything that answers text queries: a read session, or the guarded sync's write
/// transaction (which re-reads what it is about to write, inside the transaction).
pub trait ReadText: Send {
    fn engine(&self) -> Engine;
    fn display_url(&self) -> &str;
    fn sqlite_file(&self) -> Option<&Path>;
    /// Runs a query whose every column is text (callers `CAST(… AS TEXT)`).
    fn read_text(
        &mut self,
        sql: &str,
    ) -> impl std::future::Future<Output = Result<Vec<Vec<Option<String>>>>> + Send;
}

impl ReadText for Connection {
    fn engine(&self) -> Engine {
        Connection::engine(self)
    }
    fn display_url(&self) -> &str {
        Connection::display_url(self)
    }
    fn sqlite_file(&self) -> Option<&Path> {
        Connection::sqlite_file(self)
    }
    async fn read_text(&mut self, sql: &str) -> Result<Vec<Vec<Option<String>>>> {
        self.fetch_text(sql).await
    }
}

/// Quotes an identifier (`schema.table` quotes each part) for both engines.
pub fn quote_ident(name: &str) -> String {
    name.split('.')
        .map(|p| format!("\"{}\"", p.replace('"', "\"\"")))
        .collect::<Vec<_>>()
        .join(".")
}

impl Connection {
    pub fn limits(&self) -> Limits {
        self.limits
    }

    /// Changes the limits envdeck applies from now on (the scan timeout, client-side waits);
    /// the server-side statement and lock timeouts stay those the session opened with.
    pub fn set_limits(&mut self, limits: Limits) {
        self.limits = limits;
    }

    /// The database file, for a SQLite environment.
    pub fn sqlite_file(&self) -> Option<&Path> {
        self.sqlite_file.as_deref()
    }

    pub fn engine(&self) -> Engine {
        match self.inner {
            Inner::Postgres(_) => Engine::Postgres,
            Inner::Sqlite(_) => Engine::Sqlite,
        }
    }

    pub fn is_protected(&self) -> bool {
        self.protected
    }

    /// The URL with its password masked.
    pub fn display_url(&self) -> &str {
        &self.display
    }

    fn err(&self, e: sqlx::Error) -> Error {
        errors::map_for(e, &self.display, &self.fragments, self.protected)
    }

    /// A round trip to the server.
    pub async fn ping(&mut self) -> Result<Duration> {
        let t = Instant::now();
        self.fetch_text("SELECT CAST(1 AS TEXT)").await?;
        Ok(t.elapsed())
    }

    /// `PostgreSQL 15.18` / `SQLite 3.46.0`.
    pub async fn server_version(&mut self) -> Result<String> {
        let (label, sql) = match self.engine() {
            Engine::Postgres => ("PostgreSQL", "SHOW server_version"),
            Engine::Sqlite => ("SQLite", "SELECT sqlite_version()"),
        };
        let rows = self.fetch_text(sql).await?;
        let v = rows
            .first()
            .and_then(|r| r.first().cloned().flatten())
            .unwrap_or_default();
        let v = v.split_whitespace().next().unwrap_or("").to_string();
        Ok(format!("{label} {v}"))
    }

    /// Whether `table` (optionally `schema.table`) exists.
    pub async fn table_exists(&mut self, table: &str) -> Result<bool> {
        let rows = match &mut self.inner {
            Inner::Postgres(c) => sqlx::query("SELECT to_regclass($1) IS NOT NULL")
                .bind(quote_ident(table))
                .fetch_all(c)
                .await
                .map(|r| r.first().map(|r| r.get::<bool, _>(0)).unwrap_or(false)),
            Inner::Sqlite(c) => sqlx::query(
                "SELECT count(*) FROM sqlite_master WHERE type IN ('table','view') AND name = ?1",
            )
            .bind(table)
            .fetch_all(c)
            .await
            .map(|r| r.first().map(|r| r.get::<i64, _>(0) > 0).unwrap_or(false)),
        };
        rows.map_err(|e| self.err(e))
    }

    /// Fails with `table_missing` naming the table and the workspace key that mapped it.
    pub async fn require_table(&mut self, table: &str, mapped_by: &str) -> Result<()> {
        if self.table_exists(table).await? {
            Ok(())
        } else {
            Err(Error::new(
                ErrorCode::TableMissing,
                format!(
                    "table {table:?} does not exist in {}: create it, or point {mapped_by} in envdeck.toml at the right table",
                    self.display
                ),
            ))
        }
    }

    /// The column names of `table`, in table order.
    pub async fn columns(&mut self, table: &str) -> Result<Vec<String>> {
        let sql = match self.engine() {
            Engine::Postgres => format!(
                "SELECT attname FROM pg_attribute WHERE attrelid = '{}'::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum",
                quote_ident(table).replace('\'', "''")
            ),
            Engine::Sqlite => format!(
                "SELECT name FROM pragma_table_info('{}') ORDER BY cid",
                table.replace('\'', "''")
            ),
        };
        Ok(self
            .fetch_text(&sql)
            .await?
            .into_iter()
            .filter_map(|r| r.into_iter().next().flatten())
            .collect())
    }

    /// `SELECT count(*) FROM table`.
    pub async fn count(&mut self, table: &str) -> Result<u64> {
        let sql = format!("SELECT CAST(count(*) AS TEXT) FROM {}", quote_ident(table));
        let rows = self.fetch_text(&sql).await?;
        Ok(rows
            .first()
            .and_then(|r| r.first().cloned().flatten())
            .and_then(|s| s.parse().ok())
            .unwrap_or(0))
    }

    /// Runs a query whose every column is text (callers `CAST(… AS TEXT)`).
    pub async fn fetch_text(&mut self, sql: &str) -> Result<Vec<Vec<Option<String>>>> {
        self.fetch_text_bound(sql, &[]).await
    }

    /// Runs `sql` with `params` bound in order (`$1…` / `?1…`), every column as text.
    pub async fn fetch_text_bound(
        &mut self,
        sql: &str,
        params: &[Cell],
    ) -> Result<Vec<Vec<Option<String>>>> {
        let fut = async {
            on_engine!(&mut self.inner, c => {
                let mut q = sqlx::query(sqlx::AssertSqlSafe(sql.to_string()));
                for p in params {
                    q = match p {
                        Cell::Int(i) => q.bind(*i),
                        Cell::Num(n) => q.bind(n.to_string()),
                        Cell::Text(s) => q.bind(s.clone()),
                        Cell::Bytes(b) => q.bind(b.clone()),
                        Cell::Null => q.bind(None::<String>),
                    };
                }
                // Converted as they arrive: a plan reads whole tables, and holding every raw
                // row until the last one came would double what it needs.
                let mut rows = q.fetch(c);
                let mut out = Vec::new();
                while let Some(row) = futures::TryStreamExt::try_next(&mut rows).await? {
                    out.push(stream::text_row(&row)?);
                }
                Ok::<_, sqlx::Error>(out)
            })
        };
        let limit = self.limits.statement.max(self.limits.lock) + Duration::from_secs(1);
        match tokio::time::timeout(limit, fut).await {
            Ok(r) => r.map_err(|e| self.err(e)),
            Err(_) => Err(Error::new(
                ErrorCode::DbTimeout,
                format!(
                    "{} did not answer within {} s: the database is overloaded or the network dropped; try again, or raise [timeouts] statement in envdeck.toml",
                    self.display,
                    limit.as_secs()
                ),
            )),
        }
    }

    pub async fn close(self) {
        let _ = on_engine!(self.inner, c => c.close().await);
    }
}
