//! `[workflows] runs_table` and its columns: the table of workflow runs the workflow drawer
//! reads its last runs and run stats from. Checked here so a bad mapping fails on load, with
//! the line to fix, instead of when a drawer opens.

use std::collections::BTreeMap;

use super::locate::Locator;
use super::model::{IntegrationsMap, WorkflowsMap};
use crate::error::Result;

/// The keys of the runs mapping besides `runs_table` (in the order the README lists them).
pub(super) const COLUMN_KEYS: [&str; 6] = [
    "runs_workflow",
    "runs_refers_to",
    "runs_status",
    "runs_started_at",
    "runs_finished_at",
    "runs_error",
];

pub(super) fn validate(
    at: &Locator,
    lines: &BTreeMap<String, usize>,
    workflows: &WorkflowsMap,
    integrations: &IntegrationsMap,
) -> Result<()> {
    let err = |k: &str, what: String| {
        let key = format!("workflows.{k}");
        at.error(at.offset_of(&key), &key, &what)
    };
    if workflows.failed_status.iter().all(|s| s.trim().is_empty()) {
        return Err(err(
            "failed_status",
            "no status counts as a failure: name at least one, e.g. failed_status = [\"error\", \"crashed\"]".into(),
        ));
    }
    let Some(table) = &workflows.runs_table else {
        if let Some(k) = COLUMN_KEYS
            .iter()
            .find(|k| lines.contains_key(&format!("workflows.{k}")))
        {
            return Err(err(
                k,
                format!(
                    "{k} is set but runs_table is not: name the table with one row per workflow run (n8n: runs_table = \"execution_entity\"), or remove {k}"
                ),
            ));
        }
        return Ok(());
    };
    if table.trim().is_empty() {
        return Err(err(
            "runs_table",
            "runs_table is empty: name the table with one row per workflow run (n8n: \"execution_entity\"), or remove the key".into(),
        ));
    }
    if table.eq_ignore_ascii_case(&integrations.table) {
        return Err(err(
            "runs_table",
            format!(
                "{table:?} is the integrations table, which holds tokens: name the table with one row per workflow run (n8n: \"execution_entity\")"
            ),
        ));
    }
    if table.eq_ignore_ascii_case(&workflows.table) {
        return Err(err(
            "runs_table",
            format!(
                "{table:?} is the workflows table itself: name the table with one row per workflow run (n8n: \"execution_entity\"), or remove runs_table to show the last run the workflows table records"
            ),
        ));
    }
    let columns = [
        ("runs_workflow", Some(&workflows.runs_workflow)),
        ("runs_refers_to", Some(&workflows.runs_refers_to)),
        ("runs_status", Some(&workflows.runs_status)),
        ("runs_started_at", Some(&workflows.runs_started_at)),
        ("runs_finished_at", workflows.runs_finished_at.as_ref()),
        ("runs_error", workflows.runs_error.as_ref()),
    ];
    for (k, c) in columns {
        let Some(c) = c else { continue };
        if c.trim().is_empty() {
            let of = if k == "runs_refers_to" {
                &workflows.table
            } else {
                table
            };
            return Err(err(
                k,
                format!(
                    "{k} is empty: name a column of {of:?}, or remove the key to use its default"
                ),
            ));
        }
        if crate::secrets::is_secret_column(c, &integrations.secret_columns) {
            return Err(err(
                k,
                format!(
                    "{c:?} is a secret column: envdeck never reads secret values for display; map {k} to another column"
                ),
            ));
        }
    }
    Ok(())
}
