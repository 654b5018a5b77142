//! The sync plan, pure (no I/O, no clock): which rows of `from` to insert into `to`, in
//! foreign-key order, with surrogate ids left to the target, foreign keys remapped through
//! the parent's natural key, and every reason not to run (blockers) or to look twice
//! (warnings). Its SQL and fingerprint come from [`super::render`].

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet, VecDeque};

use serde::{Deserialize, Serialize};
use serde_json::Value as Json;
use ts_rs::TS;

use crate::snapshot::CopyTable;
use crate::workspace::Workspace;

/// How a configured table is matched and copied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableConf {
    pub table: String,
    pub key: Vec<String>,
    pub never_copy: Vec<String>,
    pub copy_ids: bool,
}

impl TableConf {
    /// Every `[[tables]]` and `[[reference_data]]` table of the workspace.
    pub fn all(ws: &Workspace) -> Vec<TableConf> {
        let data = ws.tables.iter().map(|t| TableConf {
            table: t.table.clone(),
            key: t.key.clone(),
            never_copy: t.never_copy.clone(),
            copy_ids: t.copy_ids,
        });
        let reference = ws.reference_data.iter().map(|t| TableConf {
            table: t.table.clone(),
            key: t.key.clone(),
            never_copy: Vec::new(),
            copy_ids: false,
        });
        data.chain(reference).collect()
    }
}

/// The rows a person picked in one table: natural keys as shown (a foreign key as its
/// parent's key), or every row missing in the target.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export_to = "SyncSelection.ts", rename = "SyncSelection")]
pub struct Selection {
    pub table: String,
    pub keys: Vec<Vec<String>>,
    pub all_missing: bool,
}

/// One environment's tables as the plan sees them.
#[derive(Debug, Clone, Copy)]
pub struct Side<'a> {
    pub env: &'a str,
    /// Which database this is ([`crate::snapshot::identity`]).
    pub identity: &'a str,
    pub tables: &'a [CopyTable],
}

/// What will be written, and whether it may be.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export_to = "Plan.ts")]
pub struct Plan {
    pub from: String,
    pub to: String,
    pub target_identity: String,
    /// Parents first.
    pub tables: Vec<TablePlan>,
    pub blockers: Vec<Blocker>,
    pub warnings: Vec<String>,
    /// Parents missing in the target that the plan inserts because it was asked to.
    pub parents_added: Vec<RowRef>,
    /// The exact statements, values inlined (never a secret value: those are never read).
    pub sql: Vec<String>,
    /// The first 8 hex characters of [`Plan::fingerprint_full`].
    pub fingerprint: String,
    /// SHA-256 of the operations, the target's identity, the absence of every inserted key,
    /// every referenced parent row and the touched tables' columns.
    pub fingerprint_full: String,
    /// What was asked, so `sync apply` can plan again inside its transaction.
    #[serde(default)]
    pub selections: Vec<Selection>,
    #[serde(default)]
    pub with_parents: bool,
}

impl Plan {
    pub fn blocked(&self) -> bool {
        !self.blockers.is_empty()
    }

    pub fn insert_count(&self) -> usize {
        self.tables.iter().map(|t| t.inserts.len()).sum()
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export_to = "TablePlan.ts")]
pub struct TablePlan {
    pub table: String,
    pub inserts: Vec<Insert>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export_to = "SyncRowRef.ts", rename = "SyncRowRef")]
pub struct RowRef {
    pub table: String,
    /// The natural key as shown (a foreign key as its parent's key).
    pub key: Vec<Option<String>>,
}

/// One row to insert.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export_to = "SyncInsert.ts", rename = "SyncInsert")]
pub struct Insert {
    pub key: Vec<Option<String>>,
    /// Columns written, in table order.
    pub values: Vec<Value>,
    pub omitted: Vec<Omitted>,
    pub remapped: Vec<Remap>,
    /// Added as a missing parent (`--with-parents`), not selected.
    pub parent: bool,
    /// Needs `OVERRIDING SYSTEM VALUE` (a copied GENERATED ALWAYS identity).
    pub overriding: bool,
}

/// A written column: its text (`None` for NULL, or a parent inserted by this plan) and the
/// target column's type.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export_to = "SyncValue.ts", rename = "SyncValue")]
pub struct Value {
    pub column: String,
    pub ty: String,
    pub text: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export_to = "SyncOmitted.ts", rename = "SyncOmitted")]
pub struct Omitted {
    pub column: String,
    pub reason: String,
}

/// A foreign key written through the parent's natural key instead of the source's id.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export_to = "SyncRemap.ts", rename = "SyncRemap")]
pub struct Remap {
    pub column: String,
    pub parent: String,
    pub parent_key: Vec<Option<String>>,
    /// The source's value (its parent id there).
    pub from_value: String,
    /// The target parent's value, or `None` when the parent is inserted by this plan.
    pub to_value: Option<String>,
    /// How the value is found in the target (parsed by [`super::render`]).
    #[serde(skip)]
    #[ts(skip)]
    pub(crate) lookup: Option<Lookup>,
}

/// A parent row found by its natural key: `SELECT column FROM table WHERE key…`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Lookup {
    pub table: String,
    pub column: String,
    /// `(key column, target type, literal or nested lookup)`.
    pub key: Vec<(String, String, KeyPart)>,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum KeyPart {
    Text(Option<String>),
    Parent(Box<Lookup>),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export_to = "SyncBlocker.ts", rename = "SyncBlocker")]
pub struct Blocker {
    pub table: String,
    pub key: Option<Vec<Option<String>>>,
    pub sentence: String,
}

/// Nested key deeper than this is a cycle in natural keys.
const MAX_DEPTH: usize = 8;

/// One side's rows, indexed: keys (nested JSON: a foreign key is its parent's key) and
/// lookups by any referenced column.
struct Index<'a> {
    side: Side<'a>,
    confs: &'a [TableConf],
    tables: HashMap<&'a str, &'a CopyTable>,
    by_column: HashMap<(String, String), HashMap<String, usize>>,
    by_key: HashMap<String, HashMap<String, usize>>,
}

impl<'a> Index<'a> {
    fn new(side: Side<'a>, confs: &'a [TableConf]) -> Index<'a> {
        let tables: HashMap<&str, &CopyTable> =
            side.tables.iter().map(|t| (t.table.as_str(), t)).collect();
        let mut ix = Index {
            side,
            confs,
            tables,
            by_column: HashMap::new(),
            by_key: HashMap::new(),
        };
        for t in side.tables {
            for fk in &t.fks {
                let Some(p) = ix.tables.get(fk.parent.as_str()) else {
                    continue;
                };
                let Some(ci) = p.index(&fk.parent_column) else {
                    continue;
                };
                let map = p
                    .rows
                    .iter()
                    .enumerate()
                    .filter_map(|(i, r)| r[ci].clone().map(|v| (v, i)))
                    .collect();
                ix.by_column
                    .insert((fk.parent.clone(), fk.parent_column.clone()), map);
            }
        }
        for t in side.tables {
            if ix.conf(&t.table).is_none() {
                continue;
            }
            let keys = (0..t.rows.len())
                .map(|i| (ix.key(&t.table, i, 0).to_string(), i))
                .collect();
            ix.by_key.insert(t.table.clone(), keys);
        }
        ix
    }

    fn conf(&self, table: &str) -> Option<&'a TableConf> {
        self.confs.iter().find(|c| c.table == table)
    }

    fn table(&self, table: &str) -> Option<&'a CopyTable> {
        self.tables.get(table).copied()
    }

    fn parent_row(&self, parent: &str, column: &str, value: &str) -> Option<usize> {
        self.by_column
            .get(&(parent.to_string(), column.to_string()))?
            .get(value)
            .copied()
    }

    /// The natural key of row `i` of `table`: a foreign-key column is its parent's key (an
    /// array), or `#id` when no parent row has that id.
    fn key(&self, table: &str, i: usize, depth: usize) -> Json {
        let (Some(conf), Some(t)) = (self.conf(table), self.table(table)) else {
            return Json::Null;
        };
        let row = &t.rows[i];
        let parts = conf.key.iter().map(|k| {
            let v = t.index(k).and_then(|ci| row[ci].clone());
            let fk = t.fks.iter().find(|f| &f.column == k);
            match (v, fk) {
                (None, _) => Json::Null,
                (Some(v), Some(fk)) if self.conf(&fk.parent).is_some() && depth < MAX_DEPTH => {
                    match self.parent_row(&fk.parent, &fk.parent_column, &v) {
                        Some(p) => self.key(&fk.parent, p, depth + 1),
                        None => Json::String(format!("#{v}")),
                    }
                }
                (Some(v), _) => Json::String(v),
            }
        });
        Json::Array(parts.collect())
    }

    fn find(&self, table: &str, key: &Json) -> Option<usize> {
        self.by_key.get(table)?.get(&key.to_string()).copied()
    }
}

/// A nested key as shown: its leaves in order.
fn flat(key: &Json) -> Vec<Option<String>> {
    match key {
        Json::Array(a) => a.iter().flat_map(flat).collect(),
        Json::String(s) => vec![Some(s.clone())],
        _ => vec![None],
    }
}

/// Why a column of a copied table is not written, if it is not.
fn omitted_reason(conf: &TableConf, c: &crate::snapshot::CopyColumn, to: &str) -> Option<String> {
    if c.secret {
        Some("secret column: never read or copied".into())
    } else if conf.never_copy.contains(&c.name) {
        Some(format!("never_copy: {to}'s default applies"))
    } else if c.computed {
        Some("generated column: computed by the database".into())
    } else if c.surrogate && !conf.copy_ids && !conf.key.contains(&c.name) {
        Some(format!("surrogate id: generated by {to}"))
    } else {
        None
    }
}

/// Types a value can be copied between as text without a surprise.
fn compatible(a: &str, b: &str) -> bool {
    use crate::connectors::{is_int_type, is_num_type};
    let base = |t: &str| t.split('(').next().unwrap_or(t).trim().to_ascii_lowercase();
    let text = |t: &str| {
        ["text", "char", "clob", "varchar", "character"]
            .iter()
            .any(|w| base(t).contains(w))
    };
    base(a) == base(b)
        || (is_int_type(a) && is_int_type(b))
        || ((is_int_type(a) || is_num_type(a)) && is_num_type(b))
        || (text(a) && text(b))
}

/// Plans copying `selections` from `from` to `to`. `confs` are the configured tables (the
/// natural keys); `with_parents` includes parents missing in the target.
pub fn plan(
    confs: &[TableConf],
    selections: &[Selection],
    from: Side<'_>,
    to: Side<'_>,
    with_parents: bool,
) -> Plan {
    let src = Index::new(from, confs);
    let dst = Index::new(to, confs);
    let mut blockers: Vec<Blocker> = Vec::new();
    let mut block = |table: &str, key: Option<Vec<Option<String>>>, sentence: String| {
        let b = Blocker {
            table: table.to_string(),
            key,
            sentence,
        };
        if !blockers.contains(&b) {
            blockers.push(b);
        }
    };

    // The rows asked for, in the order asked.
    let mut queue: VecDeque<(String, usize, bool)> = VecDeque::new();
    // Every (table, row) ever queued: asked once per foreign key of every row, so a set,
    // not a scan of the queue.
    let mut queued: std::collections::HashSet<(String, usize)> = std::collections::HashSet::new();
    for s in selections {
        let Some(t) = src.table(&s.table).filter(|t| t.exists) else {
            block(
                &s.table,
                None,
                format!("table {:?} does not exist in {}", s.table, from.env),
            );
            continue;
        };
        if s.all_missing {
            for i in 0..t.rows.len() {
                if dst.find(&s.table, &src.key(&s.table, i, 0)).is_none() {
                    queued.insert((s.table.clone(), i));
                    queue.push_back((s.table.clone(), i, false));
                }
            }
        }
        for k in &s.keys {
            let want: Vec<Option<String>> = k.iter().cloned().map(Some).collect();
            match (0..t.rows.len()).find(|&i| flat(&src.key(&s.table, i, 0)) == want) {
                Some(i) => {
                    queued.insert((s.table.clone(), i));
                    queue.push_back((s.table.clone(), i, false));
                }
                None => block(
                    &s.table,
                    Some(want.clone()),
                    format!(
                        "{} has no {} row with key ({})",
                        from.env,
                        s.table,
                        k.join(", ")
                    ),
                ),
            }
        }
    }

    // Closure: every row's parents, in the target already, in the plan, or missing.
    let mut planned: BTreeMap<String, Vec<(usize, bool)>> = BTreeMap::new();
    let mut seen: HashSet<(String, usize)> = HashSet::new();
    let mut inserts: HashMap<(String, usize), Vec<Remap>> = HashMap::new();
    let mut parents_added = Vec::new();
    let mut referenced: BTreeSet<(String, usize)> = BTreeSet::new();
    while let Some((table, i, parent)) = queue.pop_front() {
        if !seen.insert((table.clone(), i)) {
            continue;
        }
        let t = src.table(&table).expect("queued tables exist");
        let key = src.key(&table, i, 0);
        if dst.find(&table, &key).is_some() {
            block(
                &table,
                Some(flat(&key)),
                format!(
                    "{table} ({}) is already in {}: existing rows are never overwritten",
                    show(&flat(&key)),
                    to.env
                ),
            );
            continue;
        }
        let mut remaps = Vec::new();
        let mut blocked = false;
        for fk in &t.fks {
            let Some(v) = t.index(&fk.column).and_then(|ci| t.rows[i][ci].clone()) else {
                continue;
            };
            if src.conf(&fk.parent).is_none() {
                block(
                    &table,
                    None,
                    format!(
                        "{table}.{} refers to {}, which has no natural key configured: add it to [[tables]] or [[reference_data]] in envdeck.toml so its rows can be matched in {}",
                        fk.column, fk.parent, to.env
                    ),
                );
                blocked = true;
                continue;
            }
            let Some(p) = src.parent_row(&fk.parent, &fk.parent_column, &v) else {
                block(
                    &table,
                    Some(flat(&key)),
                    format!(
                        "{table}.{} = {v} refers to no {} row in {}",
                        fk.column, fk.parent, from.env
                    ),
                );
                blocked = true;
                continue;
            };
            let pkey = src.key(&fk.parent, p, 0);
            let mut remap = Remap {
                column: fk.column.clone(),
                parent: fk.parent.clone(),
                parent_key: flat(&pkey),
                from_value: v,
                to_value: None,
                lookup: None,
            };
            if let Some(tp) = dst.find(&fk.parent, &pkey) {
                let pt = dst.table(&fk.parent).expect("indexed");
                remap.to_value = pt
                    .index(&fk.parent_column)
                    .and_then(|ci| pt.rows[tp][ci].clone());
                referenced.insert((fk.parent.clone(), tp));
            } else if seen.contains(&(fk.parent.clone(), p))
                || queued.contains(&(fk.parent.clone(), p))
            {
            } else if with_parents {
                queued.insert((fk.parent.clone(), p));
                queue.push_back((fk.parent.clone(), p, true));
                parents_added.push(RowRef {
                    table: fk.parent.clone(),
                    key: flat(&pkey),
                });
            } else {
                block(
                    &table,
                    Some(flat(&key)),
                    format!(
                        "{table} ({}) needs {} ({}), which is missing in {}: select it too or plan with --with-parents",
                        show(&flat(&key)),
                        fk.parent,
                        show(&flat(&pkey)),
                        to.env
                    ),
                );
                blocked = true;
                continue;
            }
            remaps.push(remap);
        }
        if blocked {
            continue;
        }
        planned.entry(table.clone()).or_default().push((i, parent));
        inserts.insert((table, i), remaps);
    }
    let order = fk_order(&planned, &src, &mut block);

    let mut warnings = Vec::new();
    let mut tables = Vec::new();
    for table in &order {
        let conf = src.conf(table).expect("planned tables are configured");
        let st = src.table(table).expect("planned");
        let Some(tt) = dst.table(table).filter(|t| t.exists) else {
            block(
                table,
                None,
                format!("table {table:?} does not exist in {}", to.env),
            );
            continue;
        };
        let mut omitted = Vec::new();
        let mut written = Vec::new();
        for c in &st.columns {
            if let Some(reason) = omitted_reason(conf, c, to.env) {
                omitted.push(Omitted {
                    column: c.name.clone(),
                    reason,
                });
                continue;
            }
            match tt.column(&c.name) {
                None => block(
                    table,
                    None,
                    format!("column {table}.{} does not exist in {}", c.name, to.env),
                ),
                Some(d) if !compatible(&c.ty, &d.ty) => block(
                    table,
                    None,
                    format!(
                        "column {table}.{} is {} in {} and {} in {}: its values cannot be copied as they are",
                        c.name, c.ty, from.env, d.ty, to.env
                    ),
                ),
                Some(d) => written.push((c, d)),
            }
        }
        for d in &tt.columns {
            if written.iter().any(|(_, w)| w.name == d.name) {
                continue;
            }
            let why = omitted
                .iter()
                .find(|o| o.column == d.name)
                .map(|o| o.reason.clone())
                .unwrap_or_else(|| format!("not in {}", from.env));
            if d.not_null && d.default.is_none() && !d.surrogate && !d.computed {
                block(
                    table,
                    None,
                    format!(
                        "column {table}.{} is NOT NULL without a default in {} and is not copied ({why}): give it a default or copy it",
                        d.name, to.env
                    ),
                );
            }
        }
        let n = planned[table].len();
        if !tt.triggers.is_empty() {
            warnings.push(format!(
                "{} trigger(s) on {table} in {} will fire for each of the {n} inserted row(s): {}",
                tt.triggers.len(),
                to.env,
                tt.triggers.join(", ")
            ));
        }
        let mut overriding = false;
        for (c, d) in &written {
            if d.identity_always == Some(true) {
                overriding = true;
                warnings.push(format!(
                    "{table}.{} is an identity GENERATED ALWAYS in {}: the insert uses OVERRIDING SYSTEM VALUE to keep {}'s ids",
                    c.name, to.env, from.env
                ));
            }
            if d.surrogate {
                warnings.push(format!(
                    "{table}.{} is copied with its ids (copy_ids): {}'s sequence is not moved (the sync only inserts), so ids it generates later may collide with the copied ones; advance it past them yourself, never backwards",
                    c.name, to.env
                ));
            }
        }
        for d in &tt.columns {
            if d.surrogate && !written.iter().any(|(_, w)| w.name == d.name) {
                warnings.push(format!(
                    "{table}.{}: {} generates the id of each inserted row, so its sequence advances by {n}",
                    d.name, to.env
                ));
            }
        }
        let mut rows = Vec::new();
        for &(i, parent) in &planned[table] {
            let remaps = inserts.remove(&(table.clone(), i)).unwrap_or_default();
            let mut remapped = Vec::new();
            let values = written
                .iter()
                .map(|(c, d)| {
                    let raw = st.index(&c.name).and_then(|ci| st.rows[i][ci].clone());
                    let text = match remaps.iter().find(|r| r.column == c.name) {
                        Some(r) => {
                            let mut r = r.clone();
                            let fk = st.fks.iter().find(|f| f.column == c.name).expect("remap");
                            let p = src.parent_row(&fk.parent, &fk.parent_column, &r.from_value);
                            r.lookup =
                                p.map(|p| lookup(&src, &dst, &fk.parent, &fk.parent_column, p, 0));
                            let v = r.to_value.clone();
                            remapped.push(r);
                            v
                        }
                        None => raw,
                    };
                    Value {
                        column: c.name.clone(),
                        ty: d.ty.clone(),
                        text,
                    }
                })
                .collect();
            rows.push(Insert {
                key: flat(&src.key(table, i, 0)),
                values,
                omitted: omitted.clone(),
                remapped,
                parent,
                overriding,
            });
        }
        tables.push(TablePlan {
            table: table.clone(),
            inserts: rows,
        });
    }
    let parents: Vec<super::render::ParentRow> = referenced
        .iter()
        .map(|(t, i)| super::render::ParentRow {
            table: t.clone(),
            key: flat(&dst.key(t, *i, 0)),
            row: dst.table(t).expect("indexed").rows[*i].clone(),
        })
        .collect();
    let mut plan = Plan {
        from: from.env.to_string(),
        to: to.env.to_string(),
        target_identity: to.identity.to_string(),
        tables,
        blockers,
        warnings,
        parents_added,
        sql: Vec::new(),
        fingerprint: String::new(),
        fingerprint_full: String::new(),
        selections: selections.to_vec(),
        with_parents,
    };
    super::render::finish(&mut plan, dst.side, &parents, dst.engine_is_sqlite());
    plan
}

impl Index<'_> {
    /// SQLite declares no `format_type`; its types never contain a space-separated modifier.
    fn engine_is_sqlite(&self) -> bool {
        self.side.identity.starts_with("sqlite:")
    }
}

/// How the target finds row `i` of `parent` (a source row) by its natural key.
fn lookup(src: &Index, dst: &Index, parent: &str, column: &str, i: usize, depth: usize) -> Lookup {
    let conf = src.conf(parent).expect("configured parent");
    let st = src.table(parent).expect("parent read");
    let tt = dst.table(parent);
    let key = conf
        .key
        .iter()
        .map(|k| {
            let v = st.index(k).and_then(|ci| st.rows[i][ci].clone());
            let ty = tt
                .and_then(|t| t.column(k))
                .or_else(|| st.column(k))
                .map(|c| c.ty.clone())
                .unwrap_or_default();
            let fk = st.fks.iter().find(|f| &f.column == k);
            let part = match (v, fk) {
                (Some(v), Some(fk)) if src.conf(&fk.parent).is_some() && depth < MAX_DEPTH => {
                    match src.parent_row(&fk.parent, &fk.parent_column, &v) {
                        Some(p) => KeyPart::Parent(Box::new(lookup(
                            src,
                            dst,
                            &fk.parent,
                            &fk.parent_column,
                            p,
                            depth + 1,
                        ))),
                        None => KeyPart::Text(Some(v)),
                    }
                }
                (v, _) => KeyPart::Text(v),
            };
            (k.clone(), ty, part)
        })
        .collect();
    Lookup {
        table: parent.to_string(),
        column: column.to_string(),
        key,
    }
}

/// Tables in foreign-key order (parents first); a cycle among planned tables blocks.
fn fk_order(
    planned: &BTreeMap<String, Vec<(usize, bool)>>,
    src: &Index,
    block: &mut impl FnMut(&str, Option<Vec<Option<String>>>, String),
) -> Vec<String> {
    let parents_of = |t: &str| -> BTreeSet<String> {
        src.table(t)
            .map(|t| {
                t.fks
                    .iter()
                    .filter(|f| planned.contains_key(&f.parent))
                    .map(|f| f.parent.clone())
                    .collect()
            })
            .unwrap_or_default()
    };
    let mut order: Vec<String> = Vec::new();
    let mut left: BTreeSet<String> = planned.keys().cloned().collect();
    loop {
        let ready: Vec<String> = left
            .iter()
            .filter(|t| parents_of(t).iter().all(|p| order.contains(p)))
            .cloned()
            .collect();
        if ready.is_empty() {
            break;
        }
        for t in ready {
            left.remove(&t);
            order.push(t);
        }
    }
    if !left.is_empty() {
        let names: Vec<String> = left.iter().cloned().collect();
        for t in &names {
            block(
                t,
                None,
                format!(
                    "foreign-key cycle among {}: rows cannot be inserted parents first; copy them by hand",
                    names.join(" → ")
                ),
            );
        }
        order.extend(names);
    }
    order
}

/// A key as one line: `a@b.test, 2026-10-02`.
pub fn show(key: &[Option<String>]) -> String {
    key.iter()
        .map(|k| k.as_deref().unwrap_or("NULL"))
        .collect::<Vec<_>>()
        .join(", ")
}
