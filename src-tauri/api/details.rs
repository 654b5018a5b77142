//! The dashboard's drawers: one integration or one workflow of an environment, read live.
//! Only SELECTs of mapped columns, on the connection `Context::connect` opens (read-only for
//! protected environments, the workspace's timeouts): a secret column is never selected, so
//! no token can reach the window.

mod runs;

use std::path::Path;

use serde::Serialize;
use ts_rs::TS;

use super::Context;
use crate::connectors::{Cell, Connection, Engine, quote_ident};
use crate::error::{Error, Result};
use crate::secrets::is_secret_column;
use crate::snapshot::{IntegrationHealth, normalise, parse_timestamp, require_columns};

use crate::workspace::Workspace;
pub use runs::LAST_RUNS;

/// One mapped column of a row, as text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export_to = "DetailField.ts")]
pub struct DetailField {
    /// What the mapping calls it (`account`, `expires_at`).
    pub key: String,
    /// The column of the environment's table it is read from.
    pub column: String,
    pub value: Option<String>,
}

/// One integration's mapped columns; secret columns are named, never read.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export_to = "IntegrationDetail.ts")]
pub struct IntegrationDetail {
    pub env: String,
    pub table: String,
    pub provider: String,
    pub account: Option<String>,
    pub health: IntegrationHealth,
    /// Mapped, non-secret columns, in the mapping's order.
    pub fields: Vec<DetailField>,
    /// How many rows have this provider and account (more than one user may connect it).
    pub matching: u32,
    /// The table's columns that hold secrets: listed by name so people know they exist.
    pub withheld: Vec<String>,
}

/// One run of a workflow.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export_to = "WorkflowRun.ts")]
pub struct WorkflowRun {
    pub status: Option<String>,
    pub started_at: Option<String>,
    pub finished_at: Option<String>,
    /// How long it took (finished − started), to the millisecond; `null` while it runs or
    /// when the runs table records no end.
    #[ts(type = "number | null")]
    pub elapsed_ms: Option<i64>,
    /// A failed run's message (URL passwords masked, cut when very long).
    pub error: Option<String>,
}

/// One workflow: its run stats, its last runs and its definition.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export_to = "WorkflowDetail.ts")]
pub struct WorkflowDetail {
    pub env: String,
    pub table: String,
    pub key: String,
    pub name: String,
    pub active: Option<bool>,
    #[ts(type = "number | null")]
    pub runs: Option<u64>,
    #[ts(type = "number | null")]
    pub failures: Option<u64>,
    /// When the newest failed run started.
    pub last_failure_at: Option<String>,
    pub updated_at: Option<String>,
    /// Newest first, at most [`LAST_RUNS`]. Without a runs table, the one run the workflow
    /// row records.
    pub last_runs: Vec<WorkflowRun>,
    /// `[workflows] runs_table`, which the runs and their stats were read from; `null` when
    /// none is mapped (they come from the workflows table's own columns).
    pub runs_table: Option<String>,
    /// Without a runs table: a sentence saying so and how to map one.
    pub runs_note: Option<String>,
    /// The definition as JSON text (the window indents it), secret-looking fields redacted;
    /// `null` when `[workflows] definition` is not mapped or the row has none.
    pub definition: Option<String>,
}

/// The integration of `provider` (and `account`, when the mapping has an account column)
/// in `env` of the workspace file `ws`.
pub async fn integration(
    ctx: &Context,
    ws: &Path,
    env: &str,
    provider: &str,
    account: Option<&str>,
) -> Result<IntegrationDetail> {
    let ws = crate::workspace::load(ws)?;
    let env = ws.environment(env)?;
    let mut conn = ctx.connect(&ws, env).await?;
    let answer = read_integration(ctx, &mut conn, &ws, &env.name, provider, account).await;
    conn.close().await;
    answer
}

async fn read_integration(
    ctx: &Context,
    conn: &mut Connection,
    ws: &Workspace,
    env: &str,
    provider: &str,
    account: Option<&str>,
) -> Result<IntegrationDetail> {
    let map = &ws.integrations;
    let secret = |c: &str| is_secret_column(c, &map.secret_columns);
    conn.require_table(&map.table, "[integrations] table")
        .await?;
    let mapped: Vec<(&str, &str)> = [
        ("provider", Some(&map.provider)),
        ("account", map.account.as_ref()),
        ("status", map.status.as_ref()),
        ("expires_at", map.expires_at.as_ref()),
        ("updated_at", map.updated_at.as_ref()),
        ("scopes", map.scopes.as_ref()),
    ]
    .into_iter()
    .filter_map(|(k, c)| c.map(|c| (k, c.as_str())))
    .filter(|(_, c)| !secret(c))
    .collect();
    require_columns(conn, &map.table, "integrations", &map.places, &mapped).await?;
    let mut params = vec![Cell::Text(provider.to_string())];
    let mut filter = format!("{} = {}", text(&map.provider), param(conn, 1));
    if let Some(col) = &map.account {
        match account {
            Some(a) => {
                params.push(Cell::Text(a.to_string()));
                filter += &format!(" AND {} = {}", text(col), param(conn, 2));
            }
            None => filter += &format!(" AND {} IS NULL", quote_ident(col)),
        }
    }
    let select: Vec<String> = mapped.iter().map(|(_, c)| text(c)).collect();
    let sql = format!(
        "SELECT {} FROM {} WHERE {filter}",
        select.join(", "),
        quote_ident(&map.table)
    );
    let rows = conn
        .fetch_text_bound(&sql, &params)
        .await
        .map_err(|e| e.while_reading(&map.table))?;
    let Some(first) = rows.first() else {
        return Err(not_found(
            "integration",
            &match account {
                Some(a) => format!("{provider} ({a})"),
                None => provider.to_string(),
            },
            env,
        ));
    };
    let fields: Vec<DetailField> = mapped
        .iter()
        .zip(first)
        .map(|((k, c), v)| DetailField {
            key: k.to_string(),
            column: c.to_string(),
            value: if k.ends_with("_at") {
                normalise(v.clone())
            } else {
                v.clone()
            },
        })
        .collect();
    let get = |k: &str| {
        fields
            .iter()
            .find(|f| f.key == k)
            .and_then(|f| f.value.clone())
    };
    let status = get("status");
    let healthy = status.as_deref().is_none_or(|s| {
        map.healthy_status
            .iter()
            .any(|h| h.eq_ignore_ascii_case(s.trim()))
    });
    let expires_in = get("expires_at")
        .as_deref()
        .and_then(parse_timestamp)
        .map(|e| (e - ctx.now()).num_seconds());
    let withheld = conn
        .columns(&map.table)
        .await?
        .into_iter()
        .filter(|c| secret(c))
        .collect();
    Ok(IntegrationDetail {
        env: env.to_string(),
        table: map.table.clone(),
        provider: provider.to_string(),
        account: account.map(str::to_string),
        health: IntegrationHealth::of(healthy, status.as_deref(), expires_in),
        matching: rows.len().min(u32::MAX as usize) as u32,
        fields,
        withheld,
    })
}

/// The workflow of `env` whose key (its key columns joined by `/`, as the dashboard lists
/// it) is `key`.
pub async fn workflow(ctx: &Context, ws: &Path, env: &str, key: &str) -> Result<WorkflowDetail> {
    let ws = crate::workspace::load(ws)?;
    let env = ws.environment(env)?;
    let mut conn = ctx.connect(&ws, env).await?;
    let answer = read_workflow(&mut conn, &ws, &env.name, key).await;
    conn.close().await;
    answer
}

async fn read_workflow(
    conn: &mut Connection,
    ws: &Workspace,
    env: &str,
    key: &str,
) -> Result<WorkflowDetail> {
    let map = &ws.workflows;
    let secret = |c: &str| is_secret_column(c, &ws.integrations.secret_columns);
    conn.require_table(&map.table, "[workflows] table").await?;
    require_columns(
        conn,
        &map.table,
        "workflows",
        &map.places,
        &crate::snapshot::mapped_workflows(map),
    )
    .await?;
    // Found by its key as shown (a value may itself hold `/`), then read by its parts.
    let keys: Vec<String> = map.key.iter().map(|k| text(k)).collect();
    let sql = format!(
        "SELECT {} FROM {}",
        keys.join(", "),
        quote_ident(&map.table)
    );
    let parts = conn
        .fetch_text(&sql)
        .await
        .map_err(|e| e.while_reading(&map.table))?
        .into_iter()
        .find(|r| {
            let shown: Vec<&str> = r.iter().map(|v| v.as_deref().unwrap_or("∅")).collect();
            shown.join("/") == key
        })
        .ok_or_else(|| not_found("workflow", key, env))?;
    let mut params = Vec::new();
    let mut filter = Vec::new();
    for (col, v) in map.key.iter().zip(&parts) {
        match v {
            Some(v) => {
                params.push(Cell::Text(v.clone()));
                filter.push(format!("{} = {}", text(col), param(conn, params.len())));
            }
            None => filter.push(format!("{} IS NULL", quote_ident(col))),
        }
    }
    let col = |c: &Option<String>| match c {
        Some(c) if !secret(c) => text(c),
        _ => "NULL".to_string(),
    };
    let select = [
        col(&map.active),
        col(&map.runs),
        col(&map.failures),
        col(&map.updated_at),
        col(&map.last_run_at),
        col(&map.last_run_status),
        col(&map.definition),
    ];
    let sql = format!(
        "SELECT {} FROM {} WHERE {}",
        select.join(", "),
        quote_ident(&map.table),
        filter.join(" AND ")
    );
    let row = conn
        .fetch_text_bound(&sql, &params)
        .await
        .map_err(|e| e.while_reading(&map.table))?
        .into_iter()
        .next()
        .ok_or_else(|| not_found("workflow", key, env))?;
    let mut it = row.into_iter();
    let mut next = || it.next().flatten();
    let count = |v: Option<String>| {
        v.and_then(|v| v.trim().parse::<f64>().ok())
            .map(|v| v as u64)
    };
    let active = next().map(|v| crate::snapshot::truthy(&v));
    let (run_count, failures) = (count(next()), count(next()));
    let updated_at = normalise(next());
    let recorded = runs::Recorded {
        runs: run_count,
        failures,
        last_run_at: normalise(next()),
        last_run_status: next(),
    };
    let definition = next().map(|d| redacted(&d));
    let (read, runs_note) = match &map.runs_table {
        Some(t) => (
            runs::from_runs_table(conn, ws, t, &filter.join(" AND "), &params).await?,
            None,
        ),
        None => (
            runs::from_workflow_row(map, recorded),
            Some(runs::unmapped_note(ws)),
        ),
    };
    Ok(WorkflowDetail {
        env: env.to_string(),
        table: map.table.clone(),
        key: key.to_string(),
        name: parts.first().cloned().flatten().unwrap_or_default(),
        active,
        runs: read.runs,
        failures: read.failures,
        last_failure_at: read.last_failure_at,
        updated_at,
        last_runs: read.last_runs,
        runs_table: map.runs_table.clone(),
        runs_note,
        definition,
    })
}

/// JSON with secret-looking fields redacted; text that is not JSON with the passwords of its
/// URLs (and `password=` values) masked.
fn redacted(raw: &str) -> String {
    match serde_json::from_str::<serde_json::Value>(raw) {
        Ok(mut v) => {
            crate::secrets::redact::json(&mut v);
            serde_json::to_string(&v).unwrap_or_default()
        }
        Err(_) => crate::secrets::redact::mask_urls_in_text(raw),
    }
}

fn text(c: &str) -> String {
    format!("CAST({} AS TEXT)", quote_ident(c))
}

fn param(conn: &Connection, n: usize) -> String {
    match conn.engine() {
        Engine::Postgres => format!("${n}"),
        Engine::Sqlite => format!("?{n}"),
    }
}

fn not_found(what: &str, name: &str, env: &str) -> Error {
    Error::invalid_input(format!(
        "no {what} {name:?} in {env} any more: it was removed or renamed since the dashboard was read; Refresh the dashboard"
    ))
}

#[cfg(test)]
mod tests {
    use super::redacted;

    #[test]
    fn a_definition_that_is_not_json_still_has_its_passwords_masked() {
        let out = redacted("{ broken: \"postgres://app:s3cret@db.internal:5432/app\"");
        assert!(!out.contains("s3cret"), "{out}");
        assert!(out.contains("db.internal:5432"), "{out}");
        let json =
            redacted(r#"{"nodes":[{"parameters":{"apiKey":"k-123","url":"https://x.test"}}]}"#);
        assert!(!json.contains("k-123"), "{json}");
    }
}
