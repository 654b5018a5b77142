//! Workflows by their natural key: missing, extra, changed (which nodes / JSON paths), and
//! switched off in `to`.

use std::collections::BTreeMap;

use super::jsondiff::{diff_paths, normalise_workflow_definition};
use super::{Area, Finding, Severity};
use crate::snapshot::WorkflowRecord;

/// How many paths a detail lists before "and N more".
const MAX_PATHS: usize = 6;

pub fn workflows(
    from_env: &str,
    to_env: &str,
    from: &[WorkflowRecord],
    to: &[WorkflowRecord],
) -> Vec<Finding> {
    let a: BTreeMap<&str, &WorkflowRecord> = from.iter().map(|r| (r.key.as_str(), r)).collect();
    let b: BTreeMap<&str, &WorkflowRecord> = to.iter().map(|r| (r.key.as_str(), r)).collect();
    let mut out = Vec::new();
    for (k, fr) in &a {
        let Some(tr) = b.get(k) else {
            out.push(Finding::new(
                Area::Workflows,
                "missing",
                *k,
                Severity::Warning,
                format!("exists in {from_env} but not in {to_env}"),
            ));
            continue;
        };
        if fr.active == Some(true) && tr.active == Some(false) {
            out.push(Finding::new(
                Area::Workflows,
                "inactive",
                *k,
                Severity::Warning,
                format!("active in {from_env} but inactive in {to_env}"),
            ));
        }
        let mut parts = Vec::new();
        let defs = (fr.definition.as_ref(), tr.definition.as_ref());
        let paths = match defs {
            (Some(x), Some(y)) => diff_paths(
                &normalise_workflow_definition(x),
                &normalise_workflow_definition(y),
            ),
            (Some(_), None) => vec![('-', "definition".into())],
            (None, Some(_)) => vec![('+', "definition".into())],
            (None, None) => vec![],
        };
        if !paths.is_empty() {
            parts.push(format!(
                "definition: {}",
                describe_paths(&paths, from_env, to_env)
            ));
        }
        let cols: Vec<&String> = fr
            .columns
            .iter()
            .filter(|(c, v)| tr.columns.get(*c).is_some_and(|w| w != *v))
            .map(|(c, _)| c)
            .collect();
        if !cols.is_empty() {
            parts.push(format!(
                "column(s) {} differ",
                cols.iter()
                    .map(|c| c.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        if fr.active == Some(false) && tr.active == Some(true) {
            parts.push(format!("inactive in {from_env} but active in {to_env}"));
        }
        if !parts.is_empty() {
            out.push(Finding::new(
                Area::Workflows,
                "changed",
                *k,
                Severity::Warning,
                parts.join("; "),
            ));
        }
    }
    for k in b.keys() {
        if !a.contains_key(k) {
            out.push(Finding::new(
                Area::Workflows,
                "extra",
                *k,
                Severity::Info,
                format!("exists in {to_env} only"),
            ));
        }
    }
    out
}

/// "added in prod: nodes.X; removed in prod: …; changed: …" with at most [`MAX_PATHS`].
pub fn describe_paths(paths: &[(char, String)], from_env: &str, to_env: &str) -> String {
    let mut groups: Vec<String> = Vec::new();
    for (op, label) in [
        ('-', format!("missing in {to_env}")),
        ('+', format!("only in {to_env}")),
        ('~', "changed".to_string()),
    ] {
        let items: Vec<&str> = paths
            .iter()
            .filter(|(o, _)| *o == op)
            .map(|(_, p)| p.as_str())
            .collect();
        if !items.is_empty() {
            let shown: Vec<&str> = items.iter().take(MAX_PATHS).copied().collect();
            let more = items.len().saturating_sub(MAX_PATHS);
            groups.push(format!(
                "{label} {}{}",
                shown.join(", "),
                if more > 0 {
                    format!(" and {more} more")
                } else {
                    String::new()
                }
            ));
        }
    }
    let _ = from_env;
    groups.join("; ")
}
