//! Config: env-file keys present on one side only. Values are never shown.

use super::{Area, Finding, FindingKind, Severity};
use crate::snapshot::EnvFile;

pub fn config(from_env: &str, to_env: &str, from: &EnvFile, to: &EnvFile) -> Vec<Finding> {
    let mut out = Vec::new();
    for k in from.vars.keys() {
        if !to.vars.contains_key(k) {
            out.push(Finding::new(
                Area::Config,
                FindingKind::MissingKey,
                k,
                Severity::Warning,
                format!(
                    "set in {from_env} ({}) but not in {to_env} ({})",
                    name(from),
                    name(to)
                ),
            ));
        }
    }
    for k in to.vars.keys() {
        if !from.vars.contains_key(k) {
            out.push(Finding::new(
                Area::Config,
                FindingKind::ExtraKey,
                k,
                Severity::Info,
                format!("set in {to_env} ({}) only", name(to)),
            ));
        }
    }
    out
}

fn name(f: &EnvFile) -> String {
    f.path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}
