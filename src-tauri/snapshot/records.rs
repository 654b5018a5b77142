//! Full records for comparison: workflows with every compared column, schema, migrations,
//! the server's identity, env files.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::connectors::{Connection, Engine, ReadText, quote_ident};
use crate::error::{Error, ErrorCode, Result};
use crate::secrets::Sensitive;
use crate::workspace::WorkflowsMap;

/// One workflow by its natural key: compared columns as text, the definition as JSON.
#[derive(Debug, Clone, PartialEq)]
pub struct WorkflowRecord {
    /// The key parts joined by `/` (NULL as `∅`), for people.
    pub key: String,
    /// The key's values, NULL kept apart: what rows are matched by.
    pub key_parts: Vec<Option<String>>,
    pub active: Option<bool>,
    /// Every column but the key, the definition, the active flag and the ignored ones.
    pub columns: BTreeMap<String, Option<String>>,
    pub definition: Option<serde_json::Value>,
}

/// Secret columns (see [`crate::secrets::is_secret_column`]) are not read: a workflow's
/// webhook secret or API key stays in its database.
pub async fn workflow_records(
    conn: &mut Connection,
    map: &WorkflowsMap,
    secret_columns: &[String],
) -> Result<Vec<WorkflowRecord>> {
    conn.require_table(&map.table, "[workflows] table").await?;
    super::require_columns(
        conn,
        &map.table,
        "workflows",
        &map.places,
        &super::mapped_workflows(map),
    )
    .await?;
    let all = conn.columns(&map.table).await?;
    let skip = |c: &String| {
        map.key.contains(c)
            || map.ignore.contains(c)
            || map.definition.as_ref() == Some(c)
            || map.active.as_ref() == Some(c)
            || crate::secrets::is_secret_column(c, secret_columns)
    };
    let compared: Vec<String> = all.iter().filter(|c| !skip(c)).cloned().collect();
    let mut select: Vec<String> = map.key.iter().map(|k| text(k)).collect();
    select.push(
        map.active
            .as_deref()
            .map(text)
            .unwrap_or_else(|| "NULL".into()),
    );
    select.push(
        map.definition
            .as_deref()
            .map(text)
            .unwrap_or_else(|| "NULL".into()),
    );
    select.extend(compared.iter().map(|c| text(c)));
    let sql = format!(
        "SELECT {} FROM {}",
        select.join(", "),
        quote_ident(&map.table)
    );
    let nk = map.key.len();
    let mut out: Vec<WorkflowRecord> = conn
        .fetch_text(&sql)
        .await?
        .into_iter()
        .map(|r| {
            let key_parts: Vec<Option<String>> = r[..nk].to_vec();
            let key = key_parts
                .iter()
                .map(|v| v.clone().unwrap_or_else(|| "∅".into()))
                .collect::<Vec<_>>()
                .join("/");
            let active = r[nk].as_deref().map(super::truthy);
            let definition = r[nk + 1].as_deref().map(|s| {
                serde_json::from_str(s).unwrap_or_else(|_| serde_json::Value::String(s.to_string()))
            });
            let columns = compared
                .iter()
                .cloned()
                .zip(r[nk + 2..].iter().cloned())
                .collect();
            WorkflowRecord {
                key,
                key_parts,
                active,
                columns,
                definition,
            }
        })
        .collect();
    out.sort_by(|a, b| a.key.cmp(&b.key));
    Ok(out)
}

fn text(c: &str) -> String {
    format!("CAST({} AS TEXT)", quote_ident(c))
}

/// The applied migrations, from whichever migration table exists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Migrations {
    pub table: String,
    pub applied: Vec<String>,
}

/// Known migration tables, in the order they are looked for, with the query that lists
/// applied migrations by name.
const MIGRATION_TABLES: &[(&str, &str)] = &[
    (
        "_prisma_migrations",
        "SELECT CAST(migration_name AS TEXT) FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL ORDER BY 1",
    ),
    (
        "supabase_migrations.schema_migrations",
        "SELECT CAST(version AS TEXT) FROM supabase_migrations.schema_migrations ORDER BY 1",
    ),
    (
        "_sqlx_migrations",
        "SELECT CAST(version AS TEXT) || '_' || CAST(description AS TEXT) FROM _sqlx_migrations WHERE success ORDER BY version",
    ),
    (
        "schema_migrations",
        "SELECT CAST(version AS TEXT) FROM schema_migrations ORDER BY 1",
    ),
    (
        "knex_migrations",
        "SELECT CAST(name AS TEXT) FROM knex_migrations ORDER BY 1",
    ),
    (
        "django_migrations",
        "SELECT CAST(app AS TEXT) || '.' || CAST(name AS TEXT) FROM django_migrations ORDER BY 1",
    ),
];

pub async fn migrations(conn: &mut Connection) -> Result<Option<Migrations>> {
    for (table, sql) in MIGRATION_TABLES {
        if table.contains('.') && conn.engine() == Engine::Sqlite {
            continue;
        }
        if conn.table_exists(table).await? {
            let applied = conn
                .fetch_text(sql)
                .await?
                .into_iter()
                .filter_map(|r| r.into_iter().next().flatten())
                .collect();
            return Ok(Some(Migrations {
                table: table.to_string(),
                applied,
            }));
        }
    }
    Ok(None)
}

/// What identifies the database a connection reached, however its URL was written:
/// Postgres' system identifier (or server address) plus database name; SQLite's canonical
/// path.
pub async fn identity(conn: &mut impl ReadText) -> Result<String> {
    match conn.engine() {
        Engine::Sqlite => {
            let p = conn
                .sqlite_file()
                .ok_or_else(|| Error::internal("SQLite identity without a file"))?;
            let canon: PathBuf =
                std::fs::canonicalize(p).map_err(|e| Error::io("resolve", p, &e))?;
            Ok(format!("sqlite:{}", canon.display()))
        }
        Engine::Postgres => {
            let first = |rows: Vec<Vec<Option<String>>>| {
                rows.first().and_then(|r| r[0].clone()).unwrap_or_default()
            };
            // Asked first rather than tried: a failed call would abort the guarded sync's
            // transaction, which reads the identity too.
            let allowed = first(
                conn.read_text(
                    "SELECT CAST(has_function_privilege('pg_control_system()', 'EXECUTE') AS TEXT)",
                )
                .await?,
            );
            let db = first(
                conn.read_text("SELECT CAST(current_database() AS TEXT)")
                    .await?,
            );
            let server = if allowed == "true" {
                first(
                    conn.read_text(
                        "SELECT CAST(system_identifier AS TEXT) FROM pg_control_system()",
                    )
                    .await?,
                )
            } else {
                // Without pg_control_system() (restricted on some hosts), the server's own
                // address and port still tell two URLs for one server apart from two servers.
                first(conn.read_text("SELECT coalesce(host(inet_server_addr()), 'local') || ':' || CAST(inet_server_port() AS TEXT)")
                    .await?)
            };
            Ok(format!("postgres:{server}/{db}"))
        }
    }
}

/// An env file's variables. Values are secrets until proven otherwise.
#[derive(Debug, Default)]
pub struct EnvFile {
    pub path: PathBuf,
    pub vars: BTreeMap<String, Sensitive<String>>,
}

pub fn env_file(path: &Path) -> Result<EnvFile> {
    let iter = dotenvy::from_path_iter(path).map_err(|e| {
        Error::new(
            ErrorCode::Io,
            format!(
                "could not read env file {}: {}",
                path.display(),
                env_error(&e)
            ),
        )
    })?;
    let mut vars = BTreeMap::new();
    for item in iter {
        let (k, v) = item.map_err(|e| {
            Error::new(
                ErrorCode::InvalidInput,
                format!(
                    "env file {} has a line envdeck cannot read ({}): fix that line",
                    path.display(),
                    env_error(&e)
                ),
            )
        })?;
        vars.insert(k, Sensitive::new(v));
    }
    Ok(EnvFile {
        path: path.to_path_buf(),
        vars,
    })
}

/// dotenvy's errors can quote the offending line, which may hold a value: keep only where.
fn env_error(e: &dotenvy::Error) -> String {
    match e {
        dotenvy::Error::LineParse(_, idx) => format!("parse error at character {idx}"),
        dotenvy::Error::Io(io) => io.to_string(),
        _ => "unreadable".to_string(),
    }
}
