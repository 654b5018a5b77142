//! Reference data (roles, templates, plans…) by natural key: rows missing, extra or changed
//! (naming the columns, never their values). Keys compare by value: numbers whatever their
//! spelling or type, NULL apart from the text "NULL"; a key that is not unique is an error.

use std::collections::BTreeMap;

use super::{Area, Finding, FindingKind, KeyPart, KeyParts, Severity};
use crate::connectors::{Cell, CellKind, Num};
use crate::error::{Error, ErrorCode};
use crate::snapshot::{RefRow, RefTable};

/// How many differing rows per table are listed as findings.
pub const ROW_CAP: usize = 500;

/// Findings for every table, in order; the first table that cannot be compared (absent on
/// both sides, a duplicate key) is the area's error.
pub fn reference_data(
    from_env: &str,
    to_env: &str,
    from: &[RefTable],
    to: &[RefTable],
) -> Result<Vec<Finding>, Error> {
    let mut out = Vec::new();
    for (a, b) in from.iter().zip(to) {
        table(Area::ReferenceData, from_env, to_env, a, b, &mut out)?;
    }
    Ok(out)
}

/// How many rows of a table differ, by kind.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub only_in_from: usize,
    pub only_in_to: usize,
    pub changed: usize,
}

/// One table's row findings in `area` (up to [`ROW_CAP`], then a pointer to the table
/// diff); `None` when the table exists on one side only (that is the finding).
pub(crate) fn table(
    area: Area,
    from_env: &str,
    to_env: &str,
    a: &RefTable,
    b: &RefTable,
    out: &mut Vec<Finding>,
) -> Result<Option<Counts>, Error> {
    let name = &a.table;
    let section = if area == Area::Data {
        "[[tables]]"
    } else {
        "[[reference_data]]"
    };
    match (a.exists, b.exists) {
        (true, true) => {}
        (true, false) => {
            out.push(
                Finding::new(
                    area,
                    FindingKind::Missing,
                    name.clone(),
                    Severity::Warning,
                    format!("table {name} exists in {from_env} but not in {to_env}"),
                )
                .with_parts(KeyParts::of(Some(name), Vec::new())),
            );
            return Ok(None);
        }
        (false, true) => {
            out.push(
                Finding::new(
                    area,
                    FindingKind::Extra,
                    name.clone(),
                    Severity::Info,
                    format!("table {name} exists in {to_env} only"),
                )
                .with_parts(KeyParts::of(Some(name), Vec::new())),
            );
            return Ok(None);
        }
        (false, false) => {
            return Err(Error::new(
                ErrorCode::TableMissing,
                format!(
                    "table {name:?} exists in neither {from_env} nor {to_env}: fix {section} in envdeck.toml"
                ),
            ));
        }
    }
    let mut listed = 0usize;
    let mut total = 0usize;
    // A finding is built only when it is listed: up to 200,000 rows per side pass here.
    let counts = each_row_diff(from_env, to_env, a, b, |k, d| {
        total += 1;
        if listed >= ROW_CAP {
            return;
        }
        listed += 1;
        let (kind, severity, detail) = match d {
            RowDiff::OnlyInFrom => (
                FindingKind::Missing,
                Severity::Warning,
                format!("row exists in {from_env} but not in {to_env}"),
            ),
            RowDiff::OnlyInTo => (
                FindingKind::Extra,
                Severity::Info,
                format!("row exists in {to_env} only"),
            ),
            RowDiff::Changed(differ) => (
                FindingKind::Changed,
                Severity::Warning,
                format!("column(s) {} differ", differ.join(", ")),
            ),
        };
        out.push(
            Finding::new(area, kind, display_key(name, k), severity, detail)
                .with_parts(key_parts(name, k)),
        );
    })?;
    if total > listed {
        out.push(Finding::new(
            area,
            FindingKind::Changed,
            format!("{name}/…"),
            Severity::Warning,
            format!(
                "{} more differing row(s) not listed; run `envdeck table-diff --from {from_env} --to {to_env} --table {name} --key {}`",
                total - listed,
                a.key.join(",")
            ),
        ).with_parts(KeyParts::of(Some(name), Vec::new())));
    }
    Ok(Some(counts))
}

/// How one row differs between two tables matched by key.
pub(crate) enum RowDiff<'a> {
    OnlyInFrom,
    OnlyInTo,
    /// The compared columns whose values differ.
    Changed(Vec<&'a str>),
}

/// Calls `f` for every row that differs between `a` and `b` (both existing), rows of `a`
/// in key order then rows only in `b`; the counts by kind. A duplicate key is an error.
pub(crate) fn each_row_diff<'a>(
    from_env: &str,
    to_env: &str,
    a: &'a RefTable,
    b: &'a RefTable,
    mut f: impl FnMut(&[Cell], RowDiff<'a>),
) -> Result<Counts, Error> {
    let kinds: Vec<CellKind> = a
        .key_types
        .iter()
        .zip(&b.key_types)
        .map(|(x, y)| CellKind::for_types(x, y))
        .collect();
    let rows_a = by_key(a, &kinds, from_env)?;
    let rows_b = by_key(b, &kinds, to_env)?;
    let mut counts = Counts::default();
    // Compared: the columns both sides read, a secret one only when both hashed it.
    let compared: Vec<(usize, usize, &String)> = a
        .columns
        .iter()
        .enumerate()
        .filter_map(|(i, c)| {
            let j = b.columns.iter().position(|x| x == c)?;
            (a.hashed[i] == b.hashed[j]).then_some((i, j, c))
        })
        .collect();
    for (k, va) in &rows_a {
        match rows_b.get(k) {
            None => {
                counts.only_in_from += 1;
                f(k, RowDiff::OnlyInFrom);
            }
            Some(vb) => {
                let differ: Vec<&str> = compared
                    .iter()
                    .filter(|(i, j, _)| va[*i] != vb[*j])
                    .map(|(_, _, c)| c.as_str())
                    .collect();
                if !differ.is_empty() {
                    counts.changed += 1;
                    f(k, RowDiff::Changed(differ));
                }
            }
        }
    }
    for k in rows_b.keys().filter(|k| !rows_a.contains_key(*k)) {
        counts.only_in_to += 1;
        f(k, RowDiff::OnlyInTo);
    }
    Ok(counts)
}

/// The row of `a` and of `b` whose key is `parts` (as a finding's [`KeyParts`] gives it),
/// typed as the comparison types keys.
pub fn rows_for_key<'a>(
    a: &'a RefTable,
    b: &'a RefTable,
    parts: &[KeyPart],
) -> (Option<&'a RefRow>, Option<&'a RefRow>) {
    let kinds: Vec<CellKind> = a
        .key_types
        .iter()
        .zip(&b.key_types)
        .map(|(x, y)| CellKind::for_types(x, y))
        .collect();
    let texts: Vec<Option<String>> = parts
        .iter()
        .map(|p| match p {
            KeyPart::Text(t) | KeyPart::Number(t) => Some(t.clone()),
            KeyPart::Null => None,
        })
        .collect();
    let want = typed(&texts, &kinds);
    let find = |t: &'a RefTable| t.rows.iter().find(|(k, _)| typed(k, &kinds) == want);
    (find(a), find(b))
}

/// A key's text parts typed for comparison: integers and other numbers by value.
fn typed(parts: &[Option<String>], kinds: &[CellKind]) -> Vec<Cell> {
    parts
        .iter()
        .zip(kinds)
        .map(|(p, k)| match (p, k) {
            (None, _) => Cell::Null,
            (Some(t), CellKind::Int) => t
                .trim()
                .parse::<i64>()
                .map(|i| Cell::Num(Num::from_i64(i)))
                .unwrap_or_else(|_| Cell::Text(t.clone())),
            (Some(t), CellKind::Num) => Num::parse(t.trim())
                .map(Cell::Num)
                .unwrap_or_else(|| Cell::Text(t.clone())),
            (Some(t), CellKind::Text) => Cell::Text(t.clone()),
        })
        .collect()
}

fn by_key<'a>(
    t: &'a RefTable,
    kinds: &[CellKind],
    env: &str,
) -> Result<BTreeMap<Vec<Cell>, &'a Vec<Option<String>>>, Error> {
    let mut m = BTreeMap::new();
    let mut counts: BTreeMap<Vec<Cell>, usize> = BTreeMap::new();
    for (k, v) in &t.rows {
        let key = typed(k, kinds);
        *counts.entry(key.clone()).or_default() += 1;
        m.insert(key, v);
    }
    if let Some((k, n)) = counts.into_iter().find(|(_, n)| *n > 1) {
        let shown = k
            .iter()
            .map(|c| c.to_text().unwrap_or_else(|| "NULL".into()))
            .collect::<Vec<_>>()
            .join("/");
        let mut shown_cut: String = shown.chars().take(100).collect();
        if shown_cut.len() < shown.len() {
            shown_cut.push('…');
        }
        return Err(Error::invalid_input(format!(
            "table {:?}: key `{}` appears {n} times in {env}: choose a unique key",
            t.table,
            shown_cut.escape_debug()
        )));
    }
    Ok(m)
}

/// The key's typed parts under its table.
fn key_parts(table: &str, key: &[Cell]) -> KeyParts {
    KeyParts::of(Some(table), key.iter().map(KeyPart::from_cell).collect())
}

/// `table/part/part`, NULL parts as `NULL` (the JSON contract's `key`).
fn display_key(table: &str, key: &[Cell]) -> String {
    let parts: Vec<String> = key
        .iter()
        .map(|c| c.to_text().unwrap_or_else(|| "NULL".into()))
        .collect();
    format!("{table}/{}", parts.join("/"))
}
