//! Reading what an environment holds for the dashboard: integrations and workflows, through
//! the workspace mapping. Secret columns are never selected.

mod copy;
mod data;
mod objects;
mod read;
mod records;
mod reference;
mod rows;
mod schema;
mod time;

pub use copy::{
    CopyColumn, CopyFk, CopyScope, CopyTable, CopyUnique, Extras, copy_closure, copy_table,
    key_closure,
};
pub use data::{MAX_DATA_ROWS, data_table, has_links};
pub use objects::{Constraint, Function, Objects, Policy, Trigger, View, normalized};
pub use read::{Part, Snapshot, Wanted, read};
pub use records::{
    EnvFile, Migrations, WorkflowRecord, env_file, identity, migrations, workflow_records,
};
pub use reference::{Link, MAX_REFERENCE_ROWS, RefRow, RefTable, reference_table};
pub use rows::{EXPIRING_SOON_SECS, IntegrationHealth, IntegrationRow, WorkflowRow};
pub use schema::{Column, Schema, Table, is_own_table, schema};
pub use time::{normalise, parse_timestamp};

use chrono::{DateTime, Utc};

use crate::connectors::{Connection, Engine, quote_ident};
use crate::error::{Error, ErrorCode, Result};
use crate::workspace::{IntegrationsMap, Places, WorkflowsMap};

fn col(c: &Option<String>) -> String {
    match c {
        Some(c) => format!("CAST({} AS TEXT)", quote_ident(c)),
        None => "NULL".to_string(),
    }
}

/// Refuses a mapping that would put a secret column on screen.
fn guard_secret_columns(map: &IntegrationsMap) -> Result<()> {
    for (key, c) in [
        ("provider", Some(&map.provider)),
        ("account", map.account.as_ref()),
        ("status", map.status.as_ref()),
        ("expires_at", map.expires_at.as_ref()),
        ("updated_at", map.updated_at.as_ref()),
    ] {
        if let Some(c) = c
            && crate::secrets::is_secret_column(c, &map.secret_columns)
        {
            return Err(Error::invalid_input(format!(
                "[integrations] {key} = {c:?} names a secret column: envdeck never reads secret columns for display; map {key} to another column"
            )));
        }
    }
    Ok(())
}

/// Fails when a column the mapping names does not exist, naming the table, the column and
/// the envdeck.toml line. (SQLite would read an unknown double-quoted name as a string
/// literal, and the comparison would then report nothing, silently.)
pub(crate) async fn require_columns(
    conn: &mut Connection,
    table: &str,
    section: &str,
    places: &Places,
    mapped: &[(&str, &str)],
) -> Result<()> {
    let have = conn.columns(table).await?;
    let sqlite = conn.engine() == Engine::Sqlite;
    for (key, col) in mapped {
        let found = have
            .iter()
            .any(|c| c == col || (sqlite && c.eq_ignore_ascii_case(col)));
        if !found {
            return Err(Error::new(
                ErrorCode::TableMissing,
                format!(
                    "column {col:?} does not exist in table {table:?} of {}: fix [{section}] {key} at {} (the table has {})",
                    conn.display_url(),
                    places.of(key),
                    if have.is_empty() {
                        "no columns".to_string()
                    } else {
                        have.join(", ")
                    }
                ),
            ));
        }
    }
    Ok(())
}

fn mapped_integrations(map: &IntegrationsMap) -> Vec<(&'static str, &str)> {
    let mut v = vec![("provider", map.provider.as_str())];
    for (k, c) in [
        ("account", &map.account),
        ("status", &map.status),
        ("expires_at", &map.expires_at),
        ("updated_at", &map.updated_at),
    ] {
        if let Some(c) = c {
            v.push((k, c.as_str()));
        }
    }
    v
}

pub(crate) fn mapped_workflows(map: &WorkflowsMap) -> Vec<(&'static str, &str)> {
    let mut v: Vec<(&'static str, &str)> = map.key.iter().map(|k| ("key", k.as_str())).collect();
    for (k, c) in [
        ("definition", &map.definition),
        ("active", &map.active),
        ("updated_at", &map.updated_at),
        ("runs", &map.runs),
        ("failures", &map.failures),
        ("last_run_at", &map.last_run_at),
        ("last_run_status", &map.last_run_status),
    ] {
        if let Some(c) = c {
            v.push((k, c.as_str()));
        }
    }
    v
}

/// Every integration row, sorted by provider then account.
pub async fn integrations(
    conn: &mut Connection,
    map: &IntegrationsMap,
    now: DateTime<Utc>,
) -> Result<Vec<IntegrationRow>> {
    guard_secret_columns(map)?;
    conn.require_table(&map.table, "[integrations] table")
        .await?;
    require_columns(
        conn,
        &map.table,
        "integrations",
        &map.places,
        &mapped_integrations(map),
    )
    .await?;
    let sql = format!(
        "SELECT CAST({} AS TEXT), {}, {}, {}, {} FROM {}",
        quote_ident(&map.provider),
        col(&map.account),
        col(&map.status),
        col(&map.expires_at),
        col(&map.updated_at),
        quote_ident(&map.table)
    );
    let mut rows: Vec<IntegrationRow> = conn
        .fetch_text(&sql)
        .await
        .map_err(|e| e.while_reading(&map.table))?
        .into_iter()
        .map(|mut r| {
            let updated_at = normalise(r.pop().flatten());
            let expires_raw = r.pop().flatten();
            let status = r.pop().flatten();
            let account = r.pop().flatten();
            let provider = r.pop().flatten().unwrap_or_default();
            let expires = expires_raw.as_deref().and_then(parse_timestamp);
            let healthy = match &status {
                Some(s) => map
                    .healthy_status
                    .iter()
                    .any(|h| h.eq_ignore_ascii_case(s.trim())),
                None => true,
            };
            let expires_in_seconds = expires.map(|e| (e - now).num_seconds());
            IntegrationRow {
                provider,
                account,
                health: IntegrationHealth::of(healthy, status.as_deref(), expires_in_seconds),
                status,
                healthy,
                expires_at: normalise(expires_raw),
                expires_in_seconds,
                updated_at,
            }
        })
        .collect();
    rows.sort_by(|a, b| (&a.provider, &a.account).cmp(&(&b.provider, &b.account)));
    Ok(rows)
}

/// Every workflow row, sorted by key.
pub async fn workflows(conn: &mut Connection, map: &WorkflowsMap) -> Result<Vec<WorkflowRow>> {
    conn.require_table(&map.table, "[workflows] table").await?;
    require_columns(
        conn,
        &map.table,
        "workflows",
        &map.places,
        &mapped_workflows(map),
    )
    .await?;
    let keys: Vec<String> = map
        .key
        .iter()
        .map(|k| format!("CAST({} AS TEXT)", quote_ident(k)))
        .collect();
    let sql = format!(
        "SELECT {}, {}, {}, {}, {}, {}, {} FROM {}",
        col(&map.active),
        col(&map.updated_at),
        col(&map.runs),
        col(&map.failures),
        col(&map.last_run_at),
        col(&map.last_run_status),
        keys.join(", "),
        quote_ident(&map.table)
    );
    let mut rows: Vec<WorkflowRow> = conn
        .fetch_text(&sql)
        .await
        .map_err(|e| e.while_reading(&map.table))?
        .into_iter()
        .map(|r| {
            let mut it = r.into_iter();
            let mut next = || it.next().flatten();
            let active = next().map(|v| truthy(&v));
            let updated_at = normalise(next());
            let runs = next()
                .and_then(|v| v.trim().parse::<f64>().ok())
                .map(|v| v as u64);
            let failures = next()
                .and_then(|v| v.trim().parse::<f64>().ok())
                .map(|v| v as u64);
            let last_run_at = normalise(next());
            let last_run_status = next();
            let key_parts: Vec<String> = (0..map.key.len())
                .map(|_| next().unwrap_or_else(|| "∅".into()))
                .collect();
            let key = key_parts.join("/");
            WorkflowRow {
                name: key_parts.first().cloned().unwrap_or_default(),
                key,
                active,
                updated_at,
                runs,
                failures,
                last_run_at,
                last_run_status,
            }
        })
        .collect();
    rows.sort_by(|a, b| a.key.cmp(&b.key));
    Ok(rows)
}

/// Postgres prints booleans as `true`/`false`, SQLite stores `1`/`0`.
pub(crate) fn truthy(v: &str) -> bool {
    matches!(
        v.trim().to_ascii_lowercase().as_str(),
        "true" | "t" | "1" | "yes" | "y" | "on" | "active"
    )
}
