//! The `data` area: every `[[tables]]` table matched by natural key. One `table_drift`
//! finding per table gives the counts; the differing rows follow (as reference data lists
//! them, up to [`super::reference::ROW_CAP`]): they are what a sync will let people pick.

use super::reference::{Counts, table};
use super::{Area, Finding, FindingKind, KeyParts, Severity};
use crate::error::Error;
use crate::snapshot::RefTable;

/// Findings for every table, in order; the first table that cannot be compared (absent on
/// both sides, a duplicate natural key) is the area's error.
pub fn data(
    from_env: &str,
    to_env: &str,
    from: &[RefTable],
    to: &[RefTable],
) -> Result<Vec<Finding>, Error> {
    let mut out = Vec::new();
    for (a, b) in from.iter().zip(to) {
        let mut rows = Vec::new();
        if let Some(c) = table(Area::Data, from_env, to_env, a, b, &mut rows)?
            && c != Counts::default()
        {
            out.push(summary(from_env, to_env, a, c));
        }
        out.extend(rows);
    }
    Ok(out)
}

fn summary(from_env: &str, to_env: &str, t: &RefTable, c: Counts) -> Finding {
    let severity = if c.only_in_from > 0 || c.changed > 0 {
        Severity::Warning
    } else {
        Severity::Info
    };
    Finding::new(
        Area::Data,
        FindingKind::TableDrift,
        t.table.clone(),
        severity,
        format!(
            "only_in_from: {}, only_in_to: {}, changed: {} ({} row(s) in {from_env} only, {} in {to_env} only, {} changed; matched by {})",
            c.only_in_from,
            c.only_in_to,
            c.changed,
            c.only_in_from,
            c.only_in_to,
            c.changed,
            t.key.join(", ")
        ) + &if t.via.is_empty() {
            String::new()
        } else {
            format!("; ids differ per environment, so {}", t.via.join(", "))
        },
    )
    .with_parts(KeyParts::of(Some(&t.table), Vec::new()))
}
