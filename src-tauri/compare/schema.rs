//! Schema: tables, columns (type, nullability, default) and indexes.

use super::{Area, Finding, FindingKind, Severity};
use crate::snapshot::Schema;

pub fn schema(from_env: &str, to_env: &str, from: &Schema, to: &Schema) -> Vec<Finding> {
    // Types and index definitions are engine-specific text: compare them only like for like.
    let same_engine = from.engine == to.engine;
    let mut out = Vec::new();
    for (t, ft) in &from.tables {
        let Some(tt) = to.tables.get(t) else {
            out.push(Finding::in_table(
                Area::Schema,
                FindingKind::MissingTable,
                t,
                None,
                Severity::Warning,
                format!(
                    "table exists in {from_env} but not in {to_env}: a migration has not run there"
                ),
            ));
            continue;
        };
        for (c, fc) in &ft.columns {
            let Some(tc) = tt.columns.get(c) else {
                out.push(Finding::in_table(
                    Area::Schema,
                    FindingKind::MissingColumn,
                    t,
                    Some(c),
                    Severity::Warning,
                    format!(
                        "column {} exists in {from_env} but not in {to_env}",
                        fc.data_type
                    ),
                ));
                continue;
            };
            let mut diffs = Vec::new();
            if same_engine && fc.data_type != tc.data_type {
                diffs.push(format!(
                    "type {} in {from_env}, {} in {to_env}",
                    fc.data_type, tc.data_type
                ));
            }
            if fc.nullable != tc.nullable {
                let n = |b: bool| if b { "nullable" } else { "NOT NULL" };
                diffs.push(format!(
                    "{} in {from_env}, {} in {to_env}",
                    n(fc.nullable),
                    n(tc.nullable)
                ));
            }
            if same_engine && fc.default != tc.default {
                let d = |x: &Option<String>| x.clone().unwrap_or_else(|| "no default".into());
                diffs.push(format!(
                    "default {} in {from_env}, {} in {to_env}",
                    d(&fc.default),
                    d(&tc.default)
                ));
            }
            if !diffs.is_empty() {
                out.push(Finding::in_table(
                    Area::Schema,
                    FindingKind::ColumnType,
                    t,
                    Some(c),
                    Severity::Warning,
                    diffs.join("; "),
                ));
            }
        }
        for (c, tc) in &tt.columns {
            if !ft.columns.contains_key(c) {
                out.push(Finding::in_table(
                    Area::Schema,
                    FindingKind::ExtraColumn,
                    t,
                    Some(c),
                    Severity::Info,
                    format!("column {} exists in {to_env} only", tc.data_type),
                ));
            }
        }
        for (i, fdef) in &ft.indexes {
            match tt.indexes.get(i) {
                None => out.push(Finding::in_table(
                    Area::Schema,
                    FindingKind::MissingIndex,
                    t,
                    Some(i),
                    Severity::Warning,
                    format!("index exists in {from_env} but not in {to_env}"),
                )),
                Some(tdef) if same_engine && tdef != fdef => out.push(Finding::in_table(
                    Area::Schema,
                    FindingKind::ChangedIndex,
                    t,
                    Some(i),
                    Severity::Warning,
                    format!("index definition differs: {fdef} in {from_env}, {tdef} in {to_env}"),
                )),
                Some(_) => {}
            }
        }
        for i in tt.indexes.keys() {
            if !ft.indexes.contains_key(i) {
                out.push(Finding::in_table(
                    Area::Schema,
                    FindingKind::ExtraIndex,
                    t,
                    Some(i),
                    Severity::Info,
                    format!("index exists in {to_env} only"),
                ));
            }
        }
    }
    for t in to.tables.keys() {
        if !from.tables.contains_key(t) {
            out.push(Finding::in_table(
                Area::Schema,
                FindingKind::ExtraTable,
                t,
                None,
                Severity::Info,
                format!("table exists in {to_env} only"),
            ));
        }
    }
    out
}
