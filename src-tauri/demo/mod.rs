//! The embedded demo workspace: `envdeck demo init <DIR>` and the window's first launch.
//! Its data tells the field stories (see `src-tauri/demo/README.md` for every planted drift).

use std::path::{Path, PathBuf};

use sqlx::Connection;
use sqlx::sqlite::{SqliteConnectOptions, SqliteConnection};

use crate::error::{Error, ErrorCode, Result};

const WORKSPACE: &str = include_str!("envdeck.toml");
const ENV_LOCAL: &str = include_str!("env.local");
const ENV_PRODUCTION: &str = include_str!("env.production");
const SCHEMA: &str = include_str!("schema.sql");
const DEV: &str = include_str!("dev.sql");
const PROD: &str = include_str!("prod.sql");
/// n8n's executions, derived from each database's own workflows rows.
const RUNS: &str = include_str!("runs.sql");

/// The files `init` writes, relative to its folder.
pub const FILES: [&str; 5] = [
    "envdeck.toml",
    ".env.local",
    ".env.production",
    "dev.db",
    "prod.db",
];

/// Writes the demo workspace into `dir` (created if needed) and returns its envdeck.toml.
/// Refuses to overwrite anything; on failure it removes what it wrote.
pub async fn init(dir: &Path) -> Result<PathBuf> {
    std::fs::create_dir_all(dir).map_err(|e| Error::io("create", dir, &e))?;
    for f in FILES {
        let p = dir.join(f);
        if p.exists() {
            return Err(Error::new(
                ErrorCode::InvalidInput,
                format!(
                    "{} already exists: envdeck demo init never overwrites files; choose an empty folder",
                    p.display()
                ),
            ));
        }
    }
    match write_all(dir).await {
        Ok(()) => Ok(dir.join("envdeck.toml")),
        Err(e) => {
            for f in FILES {
                let _ = std::fs::remove_file(dir.join(f));
            }
            Err(e)
        }
    }
}

async fn write_all(dir: &Path) -> Result<()> {
    // Both at once (each SQLite connection works on its own thread): the demo is built on a
    // first launch, before the first dashboard can show.
    let (dev, prod) = (dir.join("dev.db"), dir.join("prod.db"));
    tokio::try_join!(create_db(&dev, DEV), create_db(&prod, PROD))?;
    for (name, text) in [
        (".env.local", ENV_LOCAL),
        (".env.production", ENV_PRODUCTION),
        // Last, so a workspace file only exists once everything it names does.
        ("envdeck.toml", WORKSPACE),
    ] {
        let p = dir.join(name);
        std::fs::write(&p, text).map_err(|e| Error::io("write", &p, &e))?;
    }
    Ok(())
}

async fn create_db(path: &Path, data: &str) -> Result<()> {
    let fail = |e: sqlx::Error| {
        Error::internal(format!(
            "could not build the demo database {}: {e}",
            path.display()
        ))
    };
    let opts = SqliteConnectOptions::new()
        .filename(path)
        .create_if_missing(true);
    let mut conn = SqliteConnection::connect_with(&opts).await.map_err(fail)?;
    let mut tx = conn.begin().await.map_err(fail)?;
    sqlx::raw_sql(sqlx::AssertSqlSafe(SCHEMA))
        .execute(&mut *tx)
        .await
        .map_err(fail)?;
    for sql in [data, RUNS] {
        sqlx::raw_sql(sqlx::AssertSqlSafe(sql))
            .execute(&mut *tx)
            .await
            .map_err(fail)?;
    }
    tx.commit().await.map_err(fail)?;
    conn.close().await.map_err(fail)?;
    Ok(())
}
