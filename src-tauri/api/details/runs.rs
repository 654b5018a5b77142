//! A workflow's runs for its drawer: the last ten and the stats (runs, failures, last
//! failure), read from `[workflows] runs_table` when it is mapped, else the counters and the
//! one run the workflows table records. SELECTs only, the workflow picked by bound values.

use super::{WorkflowRun, param, text};
use crate::connectors::{Cell, Connection, Engine, quote_ident};
use crate::error::Result;
use crate::secrets::redact;
use crate::snapshot::{normalise, parse_timestamp, require_columns};
use crate::workspace::{WorkflowsMap, Workspace};

/// How many runs the drawer lists, newest first.
pub const LAST_RUNS: usize = 10;
/// How much of a run's error message is sent to the window (a stack trace can be long).
const ERROR_LIMIT: usize = 2000;

pub(super) struct Runs {
    pub runs: Option<u64>,
    pub failures: Option<u64>,
    pub last_failure_at: Option<String>,
    pub last_runs: Vec<WorkflowRun>,
}

/// What the workflows table's own columns say, when no runs table is mapped.
pub(super) struct Recorded {
    pub runs: Option<u64>,
    pub failures: Option<u64>,
    pub last_run_at: Option<String>,
    pub last_run_status: Option<String>,
}

pub(super) fn is_failure(map: &WorkflowsMap, status: &str) -> bool {
    map.failed_status
        .iter()
        .any(|f| f.trim().eq_ignore_ascii_case(status.trim()))
}

/// The sentence the drawer shows when no runs table is mapped: why it shows one run only,
/// and what to write in envdeck.toml to see more.
pub(super) fn unmapped_note(ws: &Workspace) -> String {
    format!(
        "No runs table is mapped, so this is the last run {:?} records. To list the last {LAST_RUNS} runs, name the table with one row per run in [workflows] at {}: runs_table = \"execution_entity\" (n8n), with runs_workflow, runs_status and runs_started_at when its columns are not n8n's (workflowId, status, startedAt).",
        ws.workflows.table,
        ws.place("workflows"),
    )
}

pub(super) fn from_workflow_row(map: &WorkflowsMap, r: Recorded) -> Runs {
    let failed = r
        .last_run_status
        .as_deref()
        .is_some_and(|s| is_failure(map, s));
    let last_runs = match (&r.last_run_at, &r.last_run_status) {
        (None, None) => Vec::new(),
        _ => vec![WorkflowRun {
            status: r.last_run_status.clone(),
            started_at: r.last_run_at.clone(),
            finished_at: None,
            elapsed_ms: None,
            error: None,
        }],
    };
    Runs {
        runs: r.runs,
        failures: r.failures,
        last_failure_at: if failed { r.last_run_at } else { None },
        last_runs,
    }
}

/// The runs of the workflow whose row in the workflows table `filter` (with `params`)
/// selects, from the mapped runs table `table`.
pub(super) async fn from_runs_table(
    conn: &mut Connection,
    ws: &Workspace,
    table: &str,
    filter: &str,
    params: &[Cell],
) -> Result<Runs> {
    let map = &ws.workflows;
    conn.require_table(table, "[workflows] runs_table").await?;
    require_columns(
        conn,
        &map.table,
        "workflows",
        &map.places,
        &[("runs_refers_to", map.runs_refers_to.as_str())],
    )
    .await?;
    let have = conn.columns(table).await?;
    let sqlite = conn.engine() == Engine::Sqlite;
    // n8n's `stoppedAt` is the default: read it where the table has it, and require it only
    // when envdeck.toml names it.
    let finished = map.runs_finished_at.as_deref().filter(|c| {
        ws.lines.contains_key("workflows.runs_finished_at")
            || have
                .iter()
                .any(|h| h == c || (sqlite && h.eq_ignore_ascii_case(c)))
    });
    let mut mapped = vec![
        ("runs_workflow", map.runs_workflow.as_str()),
        ("runs_status", map.runs_status.as_str()),
        ("runs_started_at", map.runs_started_at.as_str()),
    ];
    mapped.extend(finished.map(|c| ("runs_finished_at", c)));
    mapped.extend(map.runs_error.as_deref().map(|c| ("runs_error", c)));
    require_columns(conn, table, "workflows", &map.places, &mapped).await?;

    let of_workflow = format!(
        "{} IN (SELECT {} FROM {} WHERE {filter})",
        quote_ident(&map.runs_workflow),
        quote_ident(&map.runs_refers_to),
        quote_ident(&map.table),
    );
    let started = quote_ident(&map.runs_started_at);
    let sql = format!(
        "SELECT {}, {}, {}, {} FROM {} WHERE {of_workflow} ORDER BY ({started} IS NULL), {started} DESC LIMIT {LAST_RUNS}",
        text(&map.runs_status),
        text(&map.runs_started_at),
        finished.map(text).unwrap_or_else(|| "NULL".into()),
        map.runs_error
            .as_deref()
            .map(text)
            .unwrap_or_else(|| "NULL".into()),
        quote_ident(table),
    );
    let last_runs = conn
        .fetch_text_bound(&sql, params)
        .await
        .map_err(|e| e.while_reading(table))?
        .into_iter()
        .map(run)
        .collect();

    let mut bound = params.to_vec();
    let mut failed = Vec::new();
    for s in &map.failed_status {
        bound.push(Cell::Text(s.trim().to_lowercase()));
        failed.push(param(conn, bound.len()));
    }
    let is_failed = format!(
        "LOWER({}) IN ({})",
        text(&map.runs_status),
        failed.join(", ")
    );
    let sql = format!(
        "SELECT CAST(COUNT(*) AS TEXT), CAST(COALESCE(SUM(CASE WHEN {is_failed} THEN 1 ELSE 0 END), 0) AS TEXT), CAST(MAX(CASE WHEN {is_failed} THEN {started} END) AS TEXT) FROM {} WHERE {of_workflow}",
        quote_ident(table),
    );
    let stats = conn
        .fetch_text_bound(&sql, &bound)
        .await
        .map_err(|e| e.while_reading(table))?
        .into_iter()
        .next()
        .unwrap_or_default();
    let count = |i: usize| {
        stats
            .get(i)
            .cloned()
            .flatten()
            .and_then(|v| v.trim().parse::<u64>().ok())
    };
    Ok(Runs {
        runs: count(0),
        failures: count(1),
        last_failure_at: normalise(stats.get(2).cloned().flatten()),
        last_runs,
    })
}

fn run(row: Vec<Option<String>>) -> WorkflowRun {
    let mut it = row.into_iter();
    let mut next = || it.next().flatten();
    let (status, started, finished, error) = (next(), next(), next(), next());
    let elapsed_ms = match (
        started.as_deref().and_then(parse_timestamp),
        finished.as_deref().and_then(parse_timestamp),
    ) {
        (Some(s), Some(f)) if f >= s => Some((f - s).num_milliseconds()),
        _ => None,
    };
    WorkflowRun {
        status,
        started_at: normalise(started),
        finished_at: normalise(finished),
        elapsed_ms,
        // A message may quote a URL with its password, or a whole stack trace.
        error: error
            .map(|e| e.trim().to_string())
            .filter(|e| !e.is_empty())
            .map(|e| redact::clip(&redact::mask_urls_in_text(&e), ERROR_LIMIT)),
    }
}
