//! The "another unique constraint would collide" blocker (pure): each planned row's values
//! under every unique constraint of the target table other than the natural key, compared
//! as text with the target's rows and with the plan's other rows.

use std::collections::{HashMap, HashSet};

use super::plan::{Insert, PlanColumn, show};
use crate::snapshot::CopyTable;

/// A planned row's value of `column` as the target will hold it: the written text (a
/// remapped foreign key as the target parent's id), a parent inserted by this plan as a
/// placeholder no existing row can hold, `None` for NULL or a column not written.
fn value(columns: &[PlanColumn], ins: &Insert, column: &str) -> Option<String> {
    let ci = columns.iter().position(|c| c.column == column)?;
    if let Some(t) = &ins.values[ci] {
        return Some(t.clone());
    }
    ins.remapped
        .iter()
        .find(|r| r.column == column && r.to_value.is_none())
        .map(|r| format!("\u{0}new {} {}", r.parent, show(&r.parent_key)))
}

fn shown(vals: &[String]) -> String {
    vals.iter()
        .map(|v| match v.strip_prefix('\u{0}') {
            Some(new) => format!("({new} inserted by this plan)"),
            None => v.clone(),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// `(row key, sentence)` for every planned row that would break a unique constraint of
/// `target` (`key` is the natural key, which the plan checks itself).
pub(super) fn collisions(
    table: &str,
    key: &[String],
    target: &CopyTable,
    columns: &[PlanColumn],
    inserts: &[Insert],
    from: &str,
    to: &str,
) -> Vec<(Vec<Option<String>>, String)> {
    let mut out = Vec::new();
    for u in &target.unique {
        let mut sorted = u.columns.clone();
        sorted.sort();
        let mut natural = key.to_vec();
        natural.sort();
        if sorted == natural
            || u.columns
                .iter()
                .any(|c| target.column(c).is_none_or(|c| c.secret))
        {
            continue;
        }
        let at: Vec<usize> = u.columns.iter().filter_map(|c| target.index(c)).collect();
        let existing: HashSet<Vec<String>> = target
            .rows
            .iter()
            .filter_map(|r| at.iter().map(|&i| r[i].clone()).collect::<Option<Vec<_>>>())
            .collect();
        let cols = u.columns.join(", ");
        let mut planned: HashMap<Vec<String>, &Insert> = HashMap::new();
        for ins in inserts {
            let Some(vals) = u
                .columns
                .iter()
                .map(|c| value(columns, ins, c))
                .collect::<Option<Vec<_>>>()
            else {
                continue;
            };
            if existing.contains(&vals) {
                out.push((
                    ins.key.clone(),
                    format!(
                        "{table} ({}) would collide with a row already in {to}: ({cols}) = ({}) must be unique there ({}), and existing rows are never overwritten: change that value in {from} or in {to}'s row, or leave this row out",
                        show(&ins.key),
                        shown(&vals),
                        u.name
                    ),
                ));
            } else if let Some(first) = planned.get(&vals) {
                out.push((
                    ins.key.clone(),
                    format!(
                        "{table} ({}) and {table} ({}) both have ({cols}) = ({}), which must be unique in {to} ({}): only one of them can be inserted: change one in {from} or leave one out",
                        show(&first.key),
                        show(&ins.key),
                        shown(&vals),
                        u.name
                    ),
                ));
            } else {
                planned.insert(vals, ins);
            }
        }
    }
    out
}
