//! Migrations: applied in `from` but not `to` (pending), or only in `to` (unknown).

use super::{Area, Finding, FindingKind, Severity};
use crate::snapshot::Migrations;

pub fn migrations(
    from_env: &str,
    to_env: &str,
    from: Option<&Migrations>,
    to: Option<&Migrations>,
) -> Vec<Finding> {
    let empty = Vec::new();
    let a = from.map(|m| &m.applied).unwrap_or(&empty);
    let b = to.map(|m| &m.applied).unwrap_or(&empty);
    let mut out = Vec::new();
    for m in a {
        if !b.contains(m) {
            out.push(Finding::new(
                Area::Migrations,
                FindingKind::Pending,
                m,
                Severity::Warning,
                format!(
                    "applied in {from_env} ({}) but not in {to_env}: run your migrations against {to_env}",
                    from.map(|m| m.table.as_str()).unwrap_or("")
                ),
            ));
        }
    }
    for m in b {
        if !a.contains(m) {
            out.push(Finding::new(
                Area::Migrations,
                FindingKind::Unknown,
                m,
                Severity::Warning,
                format!("applied in {to_env} but not in {from_env}: {from_env} is behind, or {to_env} ran a migration that is not in the code"),
            ));
        }
    }
    out
}
