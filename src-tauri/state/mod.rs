//! envdeck's own SQLite store in the app-data directory: settings (last workspace), secret
//! names, and the tables later features fill (audit log, sync journal, wizard progress,
//! saved comparisons). Schema changes are embedded sqlx migrations. The files are private
//! to their owner (0600 on Unix), and one process at a time creates and migrates them.

mod journal;
mod notified;
mod recent;
mod undos;
mod wizard;

pub use journal::{APPLIED, APPLYING, JournalRow, JournalTable, JournalWriter, SyncRecord};
pub use recent::{RECENT_LIMIT, RecentEntry};
pub use undos::{KeptRow, UndoRecord, UndoneRow};
pub use wizard::WizardStepRecord;

use std::path::{Path, PathBuf};

use sqlx::Row;
use sqlx::sqlite::{SqliteConnectOptions, SqlitePool, SqlitePoolOptions};

use crate::error::{Error, ErrorCode, Result};

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("src-tauri/state/migrations");

/// The file name of the store inside the data directory.
pub const FILE: &str = "state.db";

/// Held (an OS file lock) while a process opens and migrates the store.
pub const LOCK_FILE: &str = "state.lock";

#[derive(Debug, Clone)]
pub struct Store {
    pool: SqlitePool,
    path: PathBuf,
}

fn db_err(e: sqlx::Error, path: &Path) -> Error {
    Error::new(
        ErrorCode::Io,
        format!(
            "envdeck's local store {} failed: {e}. Check the disk and the folder's permissions",
            path.display()
        ),
    )
}

/// Waits for and takes the store's lock file; released when the file is dropped.
async fn lock(path: PathBuf) -> Result<std::fs::File> {
    tokio::task::spawn_blocking(move || {
        let f =
            crate::paths::open_private_file(&path).map_err(|e| Error::io("create", &path, &e))?;
        f.lock().map_err(|e| Error::io("lock", &path, &e))?;
        Ok(f)
    })
    .await
    .map_err(|e| Error::internal(format!("store lock task failed: {e}")))?
}

impl Store {
    /// Opens (creating if needed) `<data_dir>/state.db` and brings its schema up to date.
    pub async fn open(data_dir: &Path) -> Result<Store> {
        crate::paths::create_private_dir(data_dir)?;
        let path = data_dir.join(FILE);
        // sqlx's SQLite migrations take no lock: two first runs would both create the
        // tables and one would fail. The others wait here until the first is done.
        let lock = lock(data_dir.join(LOCK_FILE)).await?;
        // SQLite gives the -wal and -shm files the database file's mode, so the database
        // file is created private before SQLite opens it.
        for suffix in ["", "-wal", "-shm"] {
            let p = data_dir.join(format!("{FILE}{suffix}"));
            let made = if suffix.is_empty() {
                crate::paths::open_private_file(&p).map(drop)
            } else {
                crate::paths::tighten_file(&p)
            };
            made.map_err(|e| Error::io("create", &p, &e))?;
        }
        let opts = SqliteConnectOptions::new()
            .filename(&path)
            .create_if_missing(true)
            .journal_mode(sqlx::sqlite::SqliteJournalMode::Wal)
            .busy_timeout(std::time::Duration::from_secs(5));
        let pool = SqlitePoolOptions::new()
            .max_connections(2)
            .connect_with(opts)
            .await
            .map_err(|e| db_err(e, &path))?;
        MIGRATOR.run(&pool).await.map_err(|e| {
            Error::new(
                ErrorCode::Io,
                format!(
                    "could not update envdeck's local store {}: {e}. If a newer envdeck wrote it, update envdeck",
                    path.display()
                ),
            )
        })?;
        drop(lock);
        Ok(Store { pool, path })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub async fn setting(&self, key: &str) -> Result<Option<String>> {
        let row = sqlx::query("SELECT value FROM settings WHERE key = ?1")
            .bind(key)
            .fetch_optional(&self.pool)
            .await
            .map_err(|e| db_err(e, &self.path))?;
        Ok(row.map(|r| r.get::<String, _>(0)))
    }

    pub async fn set_setting(&self, key: &str, value: &str) -> Result<()> {
        sqlx::query(
            "INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        )
        .bind(key)
        .bind(value)
        .execute(&self.pool)
        .await
        .map_err(|e| db_err(e, &self.path))?;
        Ok(())
    }

    pub async fn remember_secret_name(
        &self,
        workspace: &str,
        env: &str,
        name: &str,
        now: &str,
    ) -> Result<()> {
        sqlx::query(
            "INSERT OR IGNORE INTO secret_names (workspace, env, name, created_at) VALUES (?1, ?2, ?3, ?4)",
        )
        .bind(workspace)
        .bind(env)
        .bind(name)
        .bind(now)
        .execute(&self.pool)
        .await
        .map_err(|e| db_err(e, &self.path))?;
        Ok(())
    }

    pub async fn forget_secret_name(&self, workspace: &str, env: &str, name: &str) -> Result<()> {
        sqlx::query("DELETE FROM secret_names WHERE workspace = ?1 AND env = ?2 AND name = ?3")
            .bind(workspace)
            .bind(env)
            .bind(name)
            .execute(&self.pool)
            .await
            .map_err(|e| db_err(e, &self.path))?;
        Ok(())
    }

    /// `(env, name)` pairs recorded for a workspace.
    pub async fn secret_names(&self, workspace: &str) -> Result<Vec<(String, String)>> {
        let rows = sqlx::query(
            "SELECT env, name FROM secret_names WHERE workspace = ?1 ORDER BY env, name",
        )
        .bind(workspace)
        .fetch_all(&self.pool)
        .await
        .map_err(|e| db_err(e, &self.path))?;
        Ok(rows
            .iter()
            .map(|r| (r.get::<String, _>(0), r.get::<String, _>(1)))
            .collect())
    }

    /// Appends to the audit log. `detail` must never hold a secret value.
    pub async fn audit(
        &self,
        now: &str,
        workspace: &str,
        env: Option<&str>,
        action: &str,
        detail: &str,
    ) -> Result<()> {
        insert_audit(&self.pool, now, workspace, env, action, detail)
            .await
            .map_err(|e| db_err(e, &self.path))
    }

    /// `(action, env, detail)` of the audit log, oldest first.
    pub async fn audit_entries(
        &self,
        workspace: &str,
    ) -> Result<Vec<(String, Option<String>, String)>> {
        let rows = sqlx::query(
            "SELECT action, env, detail FROM audit_log WHERE workspace = ?1 ORDER BY id",
        )
        .bind(workspace)
        .fetch_all(&self.pool)
        .await
        .map_err(|e| db_err(e, &self.path))?;
        Ok(rows
            .iter()
            .map(|r| (r.get(0), r.get(1), r.get(2)))
            .collect())
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// One audit line, on the pool or inside a caller's transaction.
pub(crate) async fn insert_audit<'e, E>(
    e: E,
    now: &str,
    workspace: &str,
    env: Option<&str>,
    action: &str,
    detail: &str,
) -> std::result::Result<(), sqlx::Error>
where
    E: sqlx::Executor<'e, Database = sqlx::Sqlite>,
{
    sqlx::query(
        "INSERT INTO audit_log (at, workspace, env, action, detail) VALUES (?1, ?2, ?3, ?4, ?5)",
    )
    .bind(now)
    .bind(workspace)
    .bind(env)
    .bind(action)
    .bind(detail)
    .execute(e)
    .await
    .map(drop)
}
