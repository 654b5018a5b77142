//! Workflows by their natural key: missing, extra, changed (which nodes / JSON paths), and
//! switched off in `to`.

use std::collections::BTreeMap;

use super::jsondiff::{diff_paths, normalise_workflow_definition};
use super::{Area, Finding, FindingKind, KeyPart, KeyParts, Severity};
use crate::snapshot::WorkflowRecord;

/// How many paths a detail lists before "and N more".
const MAX_PATHS: usize = 6;

/// A workflow's key values as finding key parts (NULL kept apart).
fn parts(r: &WorkflowRecord) -> KeyParts {
    KeyParts::of(
        None,
        r.key_parts
            .iter()
            .map(|p| match p {
                Some(v) => KeyPart::text(v),
                None => KeyPart::Null,
            })
            .collect(),
    )
}

pub fn workflows(
    from_env: &str,
    to_env: &str,
    from: &[WorkflowRecord],
    to: &[WorkflowRecord],
) -> Vec<Finding> {
    // Matched by the key's values, never by the joined text: parts may contain `/`.
    type Key<'a> = &'a Vec<Option<String>>;
    let a: BTreeMap<Key, &WorkflowRecord> = from.iter().map(|r| (&r.key_parts, r)).collect();
    let b: BTreeMap<Key, &WorkflowRecord> = to.iter().map(|r| (&r.key_parts, r)).collect();
    let mut out = Vec::new();
    for (k, fr) in &a {
        let Some(tr) = b.get(k) else {
            out.push(
                Finding::new(
                    Area::Workflows,
                    FindingKind::Missing,
                    &fr.key,
                    Severity::Warning,
                    format!("exists in {from_env} but not in {to_env}"),
                )
                .with_parts(parts(fr)),
            );
            continue;
        };
        if fr.active == Some(true) && tr.active == Some(false) {
            out.push(
                Finding::new(
                    Area::Workflows,
                    FindingKind::Inactive,
                    &fr.key,
                    Severity::Warning,
                    format!("active in {from_env} but inactive in {to_env}"),
                )
                .with_parts(parts(fr)),
            );
        }
        let mut details = Vec::new();
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
            details.push(format!(
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
            details.push(format!(
                "column(s) {} differ",
                cols.iter()
                    .map(|c| c.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        if fr.active == Some(false) && tr.active == Some(true) {
            details.push(format!("inactive in {from_env} but active in {to_env}"));
        }
        if !details.is_empty() {
            out.push(
                Finding::new(
                    Area::Workflows,
                    FindingKind::Changed,
                    &fr.key,
                    Severity::Warning,
                    details.join("; "),
                )
                .with_parts(parts(fr)),
            );
        }
    }
    for (k, tr) in &b {
        if !a.contains_key(k) {
            out.push(
                Finding::new(
                    Area::Workflows,
                    FindingKind::Extra,
                    &tr.key,
                    Severity::Info,
                    format!("exists in {to_env} only"),
                )
                .with_parts(parts(tr)),
            );
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
