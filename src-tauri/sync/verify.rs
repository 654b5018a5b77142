//! The apply's check, inside its transaction: the fingerprint of the reviewed plan computed
//! again from its statements and the target as it is now (identity, the absence of every
//! inserted key, the rows the inserted rows refer to, the touched tables' columns). The
//! source is not read again: what runs is what the person reviewed. Pure.

use std::collections::{BTreeSet, HashMap};

use super::index::Index;
use super::plan::{Checked, Reviewed, Side, TableConf, show};
use super::render::{Covered, ParentRow, fingerprint};
use crate::snapshot::CopyTable;

/// The fingerprint as the target stands, and what differs from the preview, as far as it
/// can be named.
pub(super) struct Verified {
    pub fingerprint_full: String,
    pub reasons: Vec<String>,
}

/// Checks `r` against `target` (read inside the apply's transaction), whose identity is
/// `identity`.
pub(super) fn verify(
    r: &Reviewed,
    confs: &[TableConf],
    target: &[CopyTable],
    identity: &str,
) -> Verified {
    let side = Side {
        env: &r.to,
        identity,
        tables: target,
    };
    let ix = Index::new(side, confs);
    // Rows by their natural key as shown, per table, built once for the tables asked.
    let mut by_flat: HashMap<&str, HashMap<Vec<Option<String>>, usize>> = HashMap::new();
    let mut find = |table: &str, key: &[Option<String>]| -> Option<usize> {
        let t = ix.table(table)?;
        let map = by_flat.entry(t.table.as_str()).or_insert_with(|| {
            (0..t.rows.len())
                .map(|i| (ix.key_flat(&t.table, i), i))
                .collect()
        });
        map.get(key).copied()
    };
    let mut reasons = Vec::new();
    if identity != r.target_identity {
        reasons.push(format!(
            "another database answers under {}'s URL (the preview was of {}, this is {identity})",
            r.to, r.target_identity
        ));
    }
    let mut referenced: BTreeSet<(String, usize)> = BTreeSet::new();
    let mut credentials: BTreeSet<(String, usize)> = BTreeSet::new();
    let credential_table = confs
        .iter()
        .filter_map(|c| c.workflow.as_ref()?.credentials.as_ref())
        .next();
    let mut inserted: Vec<(&str, &[Option<String>], bool)> = Vec::new();
    for t in &r.tables {
        for row in &t.inserts {
            let present = find(&t.table, &row.key).is_some();
            inserted.push((t.table.as_str(), &row.key[..], !present));
            if present {
                reasons.push(format!(
                    "{} ({}) is already in {} now",
                    t.table,
                    show(&row.key),
                    r.to
                ));
            }
            for m in row.remapped.iter().filter(|m| m.to_value.is_some()) {
                match find(&m.parent, &m.parent_key) {
                    Some(i) => {
                        referenced.insert((m.parent.clone(), i));
                    }
                    None => reasons.push(format!(
                        "{} ({}), which {} ({}) refers to, is no longer in {}",
                        m.parent,
                        show(&m.parent_key),
                        t.table,
                        show(&row.key),
                        r.to
                    )),
                }
            }
            for c in &row.credentials {
                let (Some(conf), Some(id)) = (credential_table, &c.to_id) else {
                    continue;
                };
                let found = ix.table(&conf.table).and_then(|ct| {
                    let ci = ct.index(&conf.id)?;
                    let i = ct.rows.iter().position(|x| x[ci].as_ref() == Some(id))?;
                    Some((ct.table.clone(), i))
                });
                match found {
                    Some(k) => {
                        credentials.insert(k);
                    }
                    None => reasons.push(format!(
                        "credential {} {:?} (id {id}), which workflow {} refers to, is no longer in {}",
                        c.credential_type,
                        c.name,
                        show(&row.key),
                        r.to
                    )),
                }
            }
        }
    }
    // As the plan lists them: referenced parents by (table, row), then credentials.
    let mut parents: Vec<ParentRow> = referenced
        .iter()
        .map(|(t, i)| ParentRow {
            table: t.clone(),
            key: ix.key_flat(t, *i),
            row: ix.table(t).expect("found").rows[*i].clone(),
        })
        .collect();
    parents.extend(credentials.iter().map(|(t, i)| {
        let row = ix.table(t).expect("found").rows[*i].clone();
        ParentRow {
            table: t.clone(),
            key: row.clone(),
            row,
        }
    }));
    let (fingerprint_full, checked) = fingerprint(&Covered {
        from: &r.from,
        to: &r.to,
        identity,
        sql: &r.sql,
        inserted: &inserted,
        parents: &parents,
        target,
    });
    // Looked up by (table, key): a plan may refer to 100,000s of parent rows.
    let now_by_key: HashMap<CheckedKey, &Checked> = checked
        .iter()
        .map(|c| ((c.table.as_str(), c.key.as_deref()), c))
        .collect();
    for was in &r.checked {
        let now = now_by_key
            .get(&(was.table.as_str(), was.key.as_deref()))
            .copied();
        match (&was.key, now) {
            (_, Some(now)) if now.hash == was.hash => {}
            (Some(key), Some(_)) => reasons.push(format!(
                "{} ({}), a parent row the copied rows refer to, changed in {}",
                was.table,
                show(key),
                r.to
            )),
            (None, _) => reasons.push(format!(
                "the columns, defaults or triggers of {} changed in {}",
                was.table, r.to
            )),
            // A parent that is gone was named above.
            (Some(_), None) => {}
        }
    }
    Verified {
        fingerprint_full,
        reasons,
    }
}

/// A checked row's table and natural key (none for a table's schema).
type CheckedKey<'a> = (&'a str, Option<&'a [Option<String>]>);

/// The reviewed statements and what they insert line up: one span per statement, covering
/// every row of every table once, in order.
pub(super) fn spans_line_up(r: &Reviewed) -> bool {
    if r.spans.len() != r.sql.len() {
        return false;
    }
    let mut next: Vec<usize> = vec![0; r.tables.len()];
    for s in &r.spans {
        match next.get_mut(s.table) {
            Some(n) if *n == s.first && s.rows > 0 => *n += s.rows,
            _ => return false,
        }
    }
    next.iter()
        .zip(&r.tables)
        .all(|(n, t)| *n == t.inserts.len())
}
