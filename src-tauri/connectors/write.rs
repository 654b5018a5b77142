//! The only way to change an environment's database: a [`Writer`], opened with a
//! [`WritePermit`] that only the guarded sync can create, writing in one transaction at a
//! time ([`WriteTx`]). Every other connection is a read-only session.

use std::path::Path;

use super::{Cell, Connection, Engine, Inner, OpenOptions, ReadText};
use crate::error::Result;
use crate::secrets::Sensitive;
use crate::sync::WritePermit;

/// A writable session on one environment's database.
pub struct Writer {
    conn: Connection,
}

impl std::fmt::Debug for Writer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Writer")
            .field("url", &self.conn.display)
            .finish()
    }
}

enum Tx<'a> {
    Postgres(sqlx::Transaction<'a, sqlx::Postgres>),
    Sqlite(sqlx::Transaction<'a, sqlx::Sqlite>),
}

/// One open write transaction: nothing it wrote is visible to anyone until [`commit`]; a
/// drop without commit rolls it back.
///
/// [`commit`]: WriteTx::commit
pub struct WriteTx<'a> {
    tx: Tx<'a>,
    display: &'a str,
    fragments: &'a [String],
    protected: bool,
    sqlite_file: Option<&'a Path>,
}

impl Writer {
    /// Opens a writable session. The permit is the proof that the guarded sync asks.
    pub async fn open(
        url: &Sensitive<String>,
        opts: &OpenOptions<'_>,
        _permit: &WritePermit,
    ) -> Result<Writer> {
        let conn = Connection::open_session(url, opts, true).await?;
        tracing::info!(url = %conn.display, protected = opts.protected, "opened a writable session for the guarded sync");
        Ok(Writer { conn })
    }

    pub fn engine(&self) -> Engine {
        self.conn.engine()
    }

    /// Stops the statement this session runs when the cancel is raised (PostgreSQL).
    pub fn cancel_hook(&self) -> Option<crate::progress::CancelHook> {
        self.conn.cancel_hook()
    }

    /// Starts a transaction.
    pub async fn begin(&mut self) -> Result<WriteTx<'_>> {
        self.begin_with(None).await
    }

    /// Starts a transaction with `statement`, e.g. `BEGIN ISOLATION LEVEL REPEATABLE READ`
    /// (PostgreSQL) or `BEGIN IMMEDIATE` (SQLite: takes the write lock up front, so what
    /// the transaction reads cannot change before it writes).
    pub async fn begin_with(&mut self, statement: Option<&'static str>) -> Result<WriteTx<'_>> {
        use sqlx::Connection as _;
        let c = &mut self.conn;
        let tx = match (&mut c.inner, statement) {
            (Inner::Postgres(p), None) => p.begin().await.map(Tx::Postgres),
            (Inner::Postgres(p), Some(s)) => p.begin_with(s).await.map(Tx::Postgres),
            (Inner::Sqlite(s), None) => s.begin().await.map(Tx::Sqlite),
            (Inner::Sqlite(s), Some(b)) => s.begin_with(b).await.map(Tx::Sqlite),
        };
        let tx =
            tx.map_err(|e| super::errors::map_for(e, &c.display, &c.fragments, c.protected))?;
        Ok(WriteTx {
            tx,
            display: &c.display,
            fragments: &c.fragments,
            protected: c.protected,
            sqlite_file: c.sqlite_file.as_deref(),
        })
    }

    pub async fn close(self) {
        self.conn.close().await;
    }
}

impl WriteTx<'_> {
    fn err(&self, e: sqlx::Error) -> crate::error::Error {
        super::errors::map_for(e, self.display, self.fragments, self.protected)
    }

    /// Runs one statement with `params` bound in order (`$1…` / `?1…`); the rows it changed.
    pub async fn execute(&mut self, sql: &str, params: &[Cell]) -> Result<u64> {
        macro_rules! run {
            ($tx:expr) => {{
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
                q.execute(&mut **$tx).await.map(|r| r.rows_affected())
            }};
        }
        let r = match &mut self.tx {
            Tx::Postgres(t) => run!(t),
            Tx::Sqlite(t) => run!(t),
        };
        r.map_err(|e| self.err(e))
    }

    /// Runs a query inside the transaction, every column as text (`… RETURNING` included).
    pub async fn fetch_text(&mut self, sql: &str) -> Result<Vec<Vec<Option<String>>>> {
        self.fetch_raw(sql).await?.into_text()
    }

    /// Runs a statement inside the transaction and hands back its rows undecoded (not kept
    /// prepared: a sync's statements run once, and can be large): the caller counts them
    /// at once and turns them into text ([`RawRows::into_text`]) on another thread while
    /// the next statement runs.
    pub async fn fetch_raw(&mut self, sql: &str) -> Result<RawRows> {
        let r = match &mut self.tx {
            Tx::Postgres(t) => sqlx::query(sqlx::AssertSqlSafe(sql.to_string()))
                .persistent(false)
                .fetch_all(&mut **t)
                .await
                .map(RawRows::Postgres),
            Tx::Sqlite(t) => sqlx::query(sqlx::AssertSqlSafe(sql.to_string()))
                .persistent(false)
                .fetch_all(&mut **t)
                .await
                .map(RawRows::Sqlite),
        };
        r.map_err(|e| self.err(e))
    }

    pub async fn commit(self) -> Result<()> {
        let (display, fragments, protected) = (self.display, self.fragments, self.protected);
        let r = match self.tx {
            Tx::Postgres(t) => t.commit().await,
            Tx::Sqlite(t) => t.commit().await,
        };
        r.map_err(|e| super::errors::map_for(e, display, fragments, protected))
    }

    pub async fn rollback(self) -> Result<()> {
        let (display, fragments, protected) = (self.display, self.fragments, self.protected);
        let r = match self.tx {
            Tx::Postgres(t) => t.rollback().await,
            Tx::Sqlite(t) => t.rollback().await,
        };
        r.map_err(|e| super::errors::map_for(e, display, fragments, protected))
    }
}

impl ReadText for WriteTx<'_> {
    fn engine(&self) -> Engine {
        match self.tx {
            Tx::Postgres(_) => Engine::Postgres,
            Tx::Sqlite(_) => Engine::Sqlite,
        }
    }
    fn display_url(&self) -> &str {
        self.display
    }
    fn sqlite_file(&self) -> Option<&Path> {
        self.sqlite_file
    }
    async fn read_text(&mut self, sql: &str) -> Result<Vec<Vec<Option<String>>>> {
        self.fetch_text(sql).await
    }
}

/// The rows a statement returned, not yet decoded ([`WriteTx::fetch_raw`]).
pub enum RawRows {
    Postgres(Vec<sqlx::postgres::PgRow>),
    Sqlite(Vec<sqlx::sqlite::SqliteRow>),
}

impl RawRows {
    pub fn len(&self) -> usize {
        match self {
            RawRows::Postgres(r) => r.len(),
            RawRows::Sqlite(r) => r.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Every column of every row as text (the statement casts each to text).
    pub fn into_text(self) -> Result<Vec<Vec<Option<String>>>> {
        let r: std::result::Result<Vec<_>, sqlx::Error> = match self {
            RawRows::Postgres(rows) => rows.iter().map(super::stream::text_row).collect(),
            RawRows::Sqlite(rows) => rows.iter().map(super::stream::text_row).collect(),
        };
        r.map_err(|e: sqlx::Error| {
            crate::error::Error::internal(format!(
                "a row the database returned could not be read as text ({e}): the transaction was rolled back, nothing was written"
            ))
        })
    }
}
