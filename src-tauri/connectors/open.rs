//! Opening an environment's database: URLs of both engines (several hosts tried in order,
//! as libpq does), bounded waits, read-only sessions (every environment: writes go through
//! the permit-gated [`super::Writer`] only), and how to
//! cancel a session's running statement from outside.

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use sqlx::ConnectOptions as _;
use sqlx::Connection as _;
use sqlx::postgres::{PgConnectOptions, PgConnection};
use sqlx::sqlite::{SqliteConnectOptions, SqliteConnection};

use super::{
    CONNECT_TIMEOUT, Connection, Inner, STATEMENT_TIMEOUT, errors, mask_url, sqlite_path, urls,
};
use crate::error::{Error, ErrorCode, Result};
use crate::secrets::Sensitive;

/// Every wait on a database is bounded: nothing here waits forever.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// For the server to accept a connection (each host in turn, for a multi-host URL).
    pub connect: Duration,
    /// For one ordinary statement.
    pub statement: Duration,
    /// For one streaming scan of a whole table.
    pub scan: Duration,
    /// For a lock another session holds (PostgreSQL `lock_timeout`, SQLite busy timeout).
    pub lock: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            connect: CONNECT_TIMEOUT,
            statement: STATEMENT_TIMEOUT,
            scan: Duration::from_secs(600),
            lock: Duration::from_secs(5),
        }
    }
}

/// How to open an environment's database.
#[derive(Debug, Clone)]
pub struct OpenOptions<'a> {
    /// Relative SQLite paths are resolved against it.
    pub base: &'a Path,
    /// Opened read-only.
    pub protected: bool,
    /// Where the URL came from, for messages: "the database URL of prod", "URL A".
    pub label: &'a str,
    pub limits: Limits,
}

/// What it takes to cancel a PostgreSQL session's running statement from outside:
/// a second connection that calls `pg_cancel_backend(pid)`.
pub(super) struct Canceller {
    opts: PgConnectOptions,
    pid: i32,
    /// Dropped with the connection: a handle on a closed session must not cancel whatever
    /// session reuses its process id.
    alive: std::sync::Arc<()>,
}

impl Connection {
    /// Opens `url` (relative SQLite paths resolved against `base`), read-only when `protected`,
    /// with the default [`Limits`].
    pub async fn open(url: &Sensitive<String>, base: &Path, protected: bool) -> Result<Self> {
        Self::open_with(
            url,
            &OpenOptions {
                base,
                protected,
                label: "the database URL",
                limits: Limits::default(),
            },
        )
        .await
    }

    /// Opens `url` as `opts` says: a read-only session, whatever the environment (the
    /// database refuses any write; only [`super::Writer`] writes). Gives up after
    /// `opts.limits.connect` (per host).
    pub async fn open_with(url: &Sensitive<String>, opts: &OpenOptions<'_>) -> Result<Self> {
        Self::open_session(url, opts, false).await
    }

    /// `writable` only for [`super::Writer`], which needs a write permit to get here.
    pub(super) async fn open_session(
        url: &Sensitive<String>,
        opts: &OpenOptions<'_>,
        writable: bool,
    ) -> Result<Self> {
        let raw = url.expose();
        let display = mask_url(raw);
        let fragments = urls::secret_fragments(raw);
        let limits = opts.limits;
        let mut sqlite_file = None;
        let mut canceller = None;
        let inner = if raw.starts_with("sqlite:") {
            let path = sqlite_path(raw, opts.base).ok_or_else(|| {
                Error::invalid_input(format!(
                    "{} ({display}) does not name a SQLite file: write sqlite://path/to/file.db",
                    opts.label
                ))
            })?;
            match std::fs::metadata(&path) {
                Ok(m) if m.is_file() => {}
                Ok(_) => {
                    return Err(Error::new(
                        ErrorCode::DbNotFound,
                        format!(
                            "the SQLite file {} named by {} is not a regular file: point it at the database file",
                            path.display(),
                            opts.label
                        ),
                    ));
                }
                Err(_) => {
                    return Err(Error::new(
                        ErrorCode::DbNotFound,
                        format!(
                            "the SQLite file {} named by {} does not exist: fix the database URL or create the file",
                            path.display(),
                            opts.label
                        ),
                    ));
                }
            }
            let o = SqliteConnectOptions::new()
                .filename(&path)
                .read_only(!writable)
                .create_if_missing(false)
                .busy_timeout(limits.lock)
                .disable_statement_logging();
            let fut = SqliteConnection::connect_with(&o);
            let conn = with_timeout(&display, limits.connect, fut).await?;
            let conn =
                conn.map_err(|e| errors::map_for(e, &display, &fragments, opts.protected))?;
            sqlite_file = Some(path);
            Inner::Sqlite(conn)
        } else if raw.starts_with("postgres://") || raw.starts_with("postgresql://") {
            let hosts = urls::split_hosts(raw);
            let mut last_err = None;
            let mut opened = None;
            for host_url in &hosts {
                let o = pg_options(host_url, opts, &display, writable)?;
                let fut = PgConnection::connect_with(&o);
                let r = match with_timeout(&display, limits.connect, fut).await {
                    Ok(r) => {
                        r.map_err(|e| errors::map_for(e, &display, &fragments, opts.protected))
                    }
                    Err(e) => Err(e),
                };
                match r {
                    Ok(c) => {
                        opened = Some((c, o));
                        break;
                    }
                    // Like libpq: try the next host; credentials and the database name are
                    // the same on every host, so a wrong one is wrong everywhere.
                    Err(e) if matches!(e.code, ErrorCode::DbAuthFailed | ErrorCode::DbNotFound) => {
                        return Err(e);
                    }
                    Err(e) => last_err = Some(e),
                }
            }
            let Some((mut c, o)) = opened else {
                return Err(last_err.unwrap_or_else(|| Error::internal("no host to connect to")));
            };
            let pid: i32 = sqlx::query_scalar("SELECT pg_backend_pid()")
                .fetch_one(&mut c)
                .await
                .map_err(|e| errors::map_for(e, &display, &fragments, opts.protected))?;
            canceller = Some(Canceller {
                opts: o,
                pid,
                alive: std::sync::Arc::new(()),
            });
            Inner::Postgres(c)
        } else {
            return Err(Error::invalid_input(format!(
                "{} ({display}) is not a database URL envdeck reads: write postgres://, postgresql:// or sqlite: URLs",
                opts.label
            )));
        };
        Ok(Connection {
            inner,
            protected: opts.protected,
            display,
            fragments,
            sqlite_file,
            limits,
            canceller,
        })
    }

    /// Cancels this session's running statement on the server from a second connection,
    /// once the returned future runs. `None` for SQLite (the statement stops with the
    /// process) . The future does nothing once this connection is gone.
    pub fn cancel_hook(&self) -> Option<crate::progress::CancelHook> {
        let c = self.canceller.as_ref()?;
        let opts = c.opts.clone();
        let fragments = self.fragments.clone();
        let pid = c.pid;
        let alive = std::sync::Arc::downgrade(&c.alive);
        let limit = self.limits.connect.min(Duration::from_secs(1));
        Some(Box::new(move || {
            Box::pin(async move {
                if alive.upgrade().is_none() {
                    return;
                }
                let work = async {
                    let mut c = PgConnection::connect_with(&opts).await?;
                    sqlx::query("SELECT pg_cancel_backend($1)")
                        .bind(pid)
                        .execute(&mut c)
                        .await?;
                    c.close().await
                };
                match tokio::time::timeout(limit, work).await {
                    Ok(Ok(())) => tracing::debug!(pid, "cancelled the server-side statement"),
                    Ok(Err(e)) => tracing::warn!(
                        pid,
                        "could not cancel the server-side statement: {}",
                        // Made safe like every message: no piece of the URL's password.
                        crate::secrets::redact::message(&urls::scrub(
                            e.to_string().lines().next().unwrap_or(""),
                            &fragments
                        ))
                    ),
                    Err(_) => tracing::warn!(pid, "cancelling the server-side statement timed out"),
                }
            })
        }))
    }
}

/// sqlx options for one host of a PostgreSQL URL: envdeck's name, the statement and lock
/// timeouts, standard-conforming string literals, a read-only session unless `writable`,
/// and no statement logging: sqlx logs a statement that runs over a second whole, at WARN,
/// and a sync's statements carry its rows (megabytes of an environment's data, into
/// envdeck's log file). envdeck logs its own line per sync statement, without values.
fn pg_options(
    raw: &str,
    opts: &OpenOptions<'_>,
    display: &str,
    writable: bool,
) -> Result<PgConnectOptions> {
    let o = PgConnectOptions::from_str(raw).map_err(|e| {
        // sqlx's reason names the part that is wrong (a port, a parameter), never the
        // password; Error::new masks URLs all the same.
        let why = e.to_string();
        let why = why.lines().next().unwrap_or("").trim();
        Error::invalid_input(format!(
            "{} ({display}) is not a valid PostgreSQL URL ({why}): write postgres://user@host:5432/dbname",
            opts.label
        ))
    })?;
    let mut options = vec![
        (
            "statement_timeout",
            opts.limits.statement.as_millis().to_string(),
        ),
        ("lock_timeout", opts.limits.lock.as_millis().to_string()),
        // envdeck's literals ('…' with '' for a quote, a backslash as itself) assume it; a
        // database set to the pre-9.1 default would read a backslash in a synced value as
        // an escape.
        ("standard_conforming_strings", "on".to_string()),
    ];
    if !writable {
        options.push(("default_transaction_read_only", "on".to_string()));
    }
    Ok(o.application_name("envdeck")
        .options(options.iter().map(|(k, v)| (*k, v.as_str())))
        .disable_statement_logging())
}

async fn with_timeout<T>(
    display: &str,
    limit: Duration,
    fut: impl std::future::Future<Output = T>,
) -> Result<T> {
    tokio::time::timeout(limit, fut).await.map_err(|_| {
        Error::new(
            ErrorCode::DbTimeout,
            format!(
                "no answer from {display} within {} s: check the host, the port and any firewall or VPN between you and the database",
                limit.as_secs()
            ),
        )
    })
}
