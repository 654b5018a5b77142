//! One environment's rows as the sync plan looks them up: every configured table's rows by
//! natural key (a foreign key as its parent's key, nested), and every referenced column's
//! values. Built once per plan (and once per apply, for the target).

use rustc_hash::FxHashMap;
use std::collections::HashMap;

use super::plan::{Side, TableConf};
use crate::snapshot::CopyTable;

/// One step of a walk over a natural key ([`Index::walk_key`]).
enum KeyPart<'r> {
    Open,
    Close,
    Leaf(Option<std::borrow::Cow<'r, str>>),
}

/// A row whose foreign key refers to no parent row ([`Index::parents`]).
const NO_PARENT: usize = usize::MAX;

/// Nested key deeper than this is a cycle in natural keys.
pub(super) const MAX_DEPTH: usize = 8;

/// One side's rows, indexed: keys (nested JSON: a foreign key is its parent's key) and
/// lookups by any referenced column.
pub(super) struct Index<'a> {
    pub(super) side: Side<'a>,
    confs: &'a [TableConf],
    tables: HashMap<&'a str, &'a CopyTable>,
    /// (child table, foreign-key column) → per child row, the parent row it refers to
    /// ([`NO_PARENT`] for none): a plan asks for each row's parent several times (its key,
    /// its remap, its lookup), and each search of a map of 100,000s of values missed the
    /// CPU's caches.
    parents: FxHashMap<(&'a str, &'a str), Vec<usize>>,
    /// Each row's nested key as JSON text, per configured table ([`Index::with_key_texts`]).
    keys: FxHashMap<&'a str, Vec<String>>,
    /// Rows by that text ([`Index::with_key_lookup`]).
    by_key: FxHashMap<&'a str, FxHashMap<String, usize>>,
}

impl<'a> Index<'a> {
    pub(super) fn new(side: Side<'a>, confs: &'a [TableConf]) -> Index<'a> {
        let tables: HashMap<&str, &CopyTable> =
            side.tables.iter().map(|t| (t.table.as_str(), t)).collect();
        // Parent table and column → value → row, built once per pair.
        let mut by_value: FxHashMap<(&str, &str), FxHashMap<&str, usize>> = FxHashMap::default();
        let mut parents = FxHashMap::default();
        for t in side.tables {
            for fk in &t.fks {
                let (Some(p), Some(ci)) = (tables.get(fk.parent.as_str()), t.index(&fk.column))
                else {
                    continue;
                };
                let Some(pci) = p.index(&fk.parent_column) else {
                    continue;
                };
                let map = by_value
                    .entry((p.table.as_str(), fk.parent_column.as_str()))
                    .or_insert_with(|| {
                        p.rows
                            .iter()
                            .enumerate()
                            .filter_map(|(i, r)| r[pci].as_deref().map(|v| (v, i)))
                            .collect()
                    });
                let rows = t
                    .rows
                    .iter()
                    .map(|r| {
                        r[ci]
                            .as_deref()
                            .and_then(|v| map.get(v).copied())
                            .unwrap_or(NO_PARENT)
                    })
                    .collect();
                parents.insert((t.table.as_str(), fk.column.as_str()), rows);
            }
        }
        Index {
            side,
            confs,
            tables,
            parents,
            keys: FxHashMap::default(),
            by_key: FxHashMap::default(),
        }
    }

    /// Each configured table's keys as JSON text (the source side: [`Index::key_text`]).
    pub(super) fn with_key_texts(mut self) -> Self {
        let configured: Vec<&CopyTable> = self
            .side
            .tables
            .iter()
            .filter(|t| self.conf(&t.table).is_some())
            .collect();
        // Tables on two threads: 100,000s of keys each, each walking its parents' keys.
        let keys = super::two_threads(&configured, |t| self.key_texts(t));
        for (t, keys) in configured.into_iter().zip(keys) {
            self.keys.insert(t.table.as_str(), keys);
        }
        self
    }

    /// Each configured table's rows by their key as JSON text (the target side:
    /// [`Index::find_text`]). A plan of 100,000s of rows needs one side's texts and the
    /// other side's lookup, never both.
    pub(super) fn with_key_lookup(mut self) -> Self {
        for t in self.side.tables {
            if self.conf(&t.table).is_some() {
                let by_key = self
                    .key_texts(t)
                    .into_iter()
                    .enumerate()
                    .map(|(i, k)| (k, i))
                    .collect();
                self.by_key.insert(t.table.as_str(), by_key);
            }
        }
        self
    }

    fn key_texts(&self, t: &CopyTable) -> Vec<String> {
        (0..t.rows.len())
            .map(|i| self.key_json(&t.table, i))
            .collect()
    }

    /// Frees the keys as text and the lookup by them (the plan's closure is done with them;
    /// 100,000s of strings).
    pub(super) fn without_key_texts(&mut self) {
        self.keys = FxHashMap::default();
        self.by_key = FxHashMap::default();
    }

    /// Row `i`'s key as JSON text (how [`Index::find_text`] looks rows up).
    pub(super) fn key_text(&self, table: &str, i: usize) -> &str {
        self.keys.get(table).map_or("", |k| k[i].as_str())
    }

    pub(super) fn find_text(&self, table: &str, key: &str) -> Option<usize> {
        self.by_key.get(table)?.get(key).copied()
    }

    pub(super) fn conf(&self, table: &str) -> Option<&'a TableConf> {
        self.confs.iter().find(|c| c.table == table)
    }

    pub(super) fn table(&self, table: &str) -> Option<&'a CopyTable> {
        self.tables.get(table).copied()
    }

    /// The parent row that row `i` of `table` refers to through its foreign-key column
    /// `column`.
    pub(super) fn parent_of(&self, table: &str, column: &str, i: usize) -> Option<usize> {
        let p = *self.parents.get(&(table, column))?.get(i)?;
        (p != NO_PARENT).then_some(p)
    }

    /// Row `i`'s natural key as JSON text (how the two sides' rows are matched): an array
    /// of the key columns' values, a foreign-key column as its parent's key (an array), or
    /// `"#id"` when no parent row has that id. Written directly: a plan and a
    /// compare-again write 100,000s of these.
    pub(super) fn key_json(&self, table: &str, i: usize) -> String {
        let mut out = Vec::with_capacity(64);
        let mut first = true;
        self.walk_key(table, i, 0, &mut |part| {
            if !matches!(part, KeyPart::Close) && !std::mem::take(&mut first) {
                out.push(b',');
            }
            match part {
                KeyPart::Open => {
                    out.push(b'[');
                    first = true;
                }
                KeyPart::Close => out.push(b']'),
                KeyPart::Leaf(None) => out.extend_from_slice(b"null"),
                KeyPart::Leaf(Some(v)) => {
                    let _ = serde_json::to_writer(&mut out, &*v);
                }
            }
        });
        // Only JSON syntax and serde_json's escaped strings were written.
        String::from_utf8(out).unwrap_or_default()
    }

    /// Row `i`'s natural key as shown: the leaves of [`Index::key_json`] in order.
    pub(super) fn key_flat(&self, table: &str, i: usize) -> Vec<Option<String>> {
        let mut out = Vec::with_capacity(2);
        self.walk_key(table, i, 0, &mut |part| {
            if let KeyPart::Leaf(v) = part {
                out.push(v.map(|v| v.into_owned()));
            }
        });
        out
    }

    /// Row `i`'s key, depth first: what [`Index::key_json`] and [`Index::key_flat`] write.
    fn walk_key<'r>(&'r self, table: &str, i: usize, depth: usize, f: &mut dyn FnMut(KeyPart<'r>)) {
        let (Some(conf), Some(t)) = (self.conf(table), self.table(table)) else {
            f(KeyPart::Leaf(None));
            return;
        };
        let row = &t.rows[i];
        f(KeyPart::Open);
        for k in &conf.key {
            let v = t.index(k).and_then(|ci| row[ci].as_deref());
            let fk = t.fks.iter().find(|f| &f.column == k);
            match (v, fk) {
                (Some(v), Some(fk)) if self.conf(&fk.parent).is_some() && depth < MAX_DEPTH => {
                    match self.parent_of(table, &fk.column, i) {
                        Some(p) => self.walk_key(&fk.parent, p, depth + 1, f),
                        None => f(KeyPart::Leaf(Some(format!("#{v}").into()))),
                    }
                }
                (v, _) => f(KeyPart::Leaf(v.map(Into::into))),
            }
        }
        f(KeyPart::Close);
    }
}

impl Index<'_> {
    /// SQLite declares no `format_type`; its types never contain a space-separated modifier.
    pub(super) fn engine_is_sqlite(&self) -> bool {
        self.side.identity.starts_with("sqlite:")
    }
}
