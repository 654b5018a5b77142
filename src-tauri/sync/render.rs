//! A plan's exact SQL (values inlined as quoted literals cast to the target's types, a
//! remapped foreign key as a subquery on the parent's natural key) and its fingerprint.

use sha2::{Digest, Sha256};

use super::plan::{Insert, KeyPart, Lookup, Plan};
use crate::connectors::quote_ident;

fn literal(text: &Option<String>, ty: &str, sqlite: bool) -> String {
    match text {
        None => "NULL".into(),
        // SQLite: the column's affinity converts the text; a CAST to a declared type such
        // as `timestamp` would turn it into a number.
        Some(v) if sqlite || ty.is_empty() => format!("'{}'", v.replace('\'', "''")),
        Some(v) => format!("'{}'::{ty}", v.replace('\'', "''")),
    }
}

fn subquery(l: &Lookup, sqlite: bool) -> String {
    let conds: Vec<String> = l
        .key
        .iter()
        .map(|(k, ty, part)| match part {
            KeyPart::Text(None) => format!("{} IS NULL", quote_ident(k)),
            KeyPart::Text(v) => format!("{} = {}", quote_ident(k), literal(v, ty, sqlite)),
            KeyPart::Parent(p) => format!("{} = {}", quote_ident(k), subquery(p, sqlite)),
        })
        .collect();
    format!(
        "(SELECT {} FROM {} WHERE {})",
        quote_ident(&l.column),
        quote_ident(&l.table),
        conds.join(" AND ")
    )
}

fn insert_sql(table: &str, ins: &Insert, sqlite: bool) -> String {
    let cols: Vec<String> = ins.values.iter().map(|v| quote_ident(&v.column)).collect();
    let vals: Vec<String> = ins
        .values
        .iter()
        .map(
            |v| match ins.remapped.iter().find(|r| r.column == v.column) {
                Some(r) => match &r.lookup {
                    Some(l) => subquery(l, sqlite),
                    None => literal(&v.text, &v.ty, sqlite),
                },
                None => literal(&v.text, &v.ty, sqlite),
            },
        )
        .collect();
    if cols.is_empty() {
        return format!("INSERT INTO {} DEFAULT VALUES;", quote_ident(table));
    }
    format!(
        "INSERT INTO {} ({}){} VALUES ({});",
        quote_ident(table),
        cols.join(", "),
        if ins.overriding {
            " OVERRIDING SYSTEM VALUE"
        } else {
            ""
        },
        vals.join(", ")
    )
}

/// A target row the plan refers to as a parent: its table, natural key and values.
pub(super) struct ParentRow {
    pub table: String,
    pub key: Vec<Option<String>>,
    pub row: Vec<Option<String>>,
}

/// Fills in the SQL and the fingerprint.
pub(super) fn finish(
    plan: &mut Plan,
    target: super::plan::Side<'_>,
    parents: &[ParentRow],
    sqlite: bool,
) {
    plan.sql = plan
        .tables
        .iter()
        .flat_map(|t| t.inserts.iter().map(|i| insert_sql(&t.table, i, sqlite)))
        .collect();
    let mut h = Sha256::new();
    let mut put = |parts: &[&str]| {
        for p in parts {
            h.update((p.len() as u64).to_le_bytes());
            h.update(p.as_bytes());
        }
        h.update(b"\n");
    };
    put(&["envdeck sync plan v1", &plan.from, &plan.to]);
    put(&["target", target.identity]);
    for s in &plan.sql {
        put(&["op", s]);
    }
    for t in &plan.tables {
        for i in &t.inserts {
            put(&["absent", &t.table, &json(&i.key)]);
        }
    }
    for p in parents {
        put(&["parent", &p.table, &json(&p.key), &json(&p.row)]);
    }
    let mut touched: Vec<&str> = plan.tables.iter().map(|t| t.table.as_str()).collect();
    touched.extend(parents.iter().map(|p| p.table.as_str()));
    touched.sort_unstable();
    touched.dedup();
    for name in touched {
        match target.tables.iter().find(|t| t.table == name) {
            None => put(&["schema", name, "missing"]),
            Some(t) => {
                for c in &t.columns {
                    put(&[
                        "column",
                        name,
                        &c.name,
                        &c.ty,
                        &c.not_null.to_string(),
                        c.default.as_deref().unwrap_or(""),
                        &format!("{:?}", c.identity_always),
                    ]);
                }
                put(&["triggers", name, &t.triggers.join(",")]);
            }
        }
    }
    let full: String = h.finalize().iter().map(|b| format!("{b:02x}")).collect();
    plan.fingerprint = full[..8].to_string();
    plan.fingerprint_full = full;
}

fn json(v: &[Option<String>]) -> String {
    serde_json::to_string(v).unwrap_or_default()
}
