//! The sync plan, pure (no I/O, no clock): which rows of `from` to insert into `to`, in
//! foreign-key order, with surrogate ids left to the target, foreign keys remapped through
//! the parent's natural key, and every reason not to run (blockers) or to look twice
//! (warnings). Its SQL and fingerprint come from [`super::render`].

use std::collections::{BTreeMap, BTreeSet, HashMap, VecDeque};
use std::sync::Arc;

use rustc_hash::{FxHashMap, FxHashSet};

use super::index::{Index, MAX_DEPTH};

use serde::{Deserialize, Serialize};
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
    /// The `[workflows]` table: credentials remapped, copies land inactive.
    pub workflow: Option<WorkflowConf>,
}

/// What copying a workflow needs beyond a table's natural key.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WorkflowConf {
    /// The n8n JSON column, whose credential references are remapped.
    pub definition: Option<String>,
    /// The active flag, written as inactive unless `activate`.
    pub active: Option<String>,
    pub credentials: Option<CredentialsConf>,
    /// Keep each workflow's active flag as the source has it (asked for per plan).
    pub activate: bool,
}

/// `[workflows] credentials_table` and its columns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CredentialsConf {
    pub table: String,
    pub id: String,
    pub name: String,
    pub ty: String,
}

impl TableConf {
    /// Every `[[tables]]` and `[[reference_data]]` table of the workspace, and the
    /// `[workflows]` table.
    pub fn all(ws: &Workspace) -> Vec<TableConf> {
        let data = ws.tables.iter().map(|t| TableConf {
            table: t.table.clone(),
            key: t.key.clone(),
            never_copy: t.never_copy.clone(),
            copy_ids: t.copy_ids,
            workflow: None,
        });
        let reference = ws.reference_data.iter().map(|t| TableConf {
            table: t.table.clone(),
            key: t.key.clone(),
            never_copy: Vec::new(),
            copy_ids: false,
            workflow: None,
        });
        let mut all: Vec<TableConf> = data.chain(reference).collect();
        let w = &ws.workflows;
        let workflow = WorkflowConf {
            definition: w.definition.clone(),
            active: w.active.clone(),
            credentials: w.credentials_table.as_ref().map(|t| CredentialsConf {
                table: t.clone(),
                id: w.credentials_id.clone(),
                name: w.credentials_name.clone(),
                ty: w.credentials_type.clone(),
            }),
            activate: false,
        };
        match all.iter_mut().find(|c| c.table == w.table) {
            Some(c) => c.workflow = Some(workflow),
            None => {
                // Run statistics belong to the environment that ran the workflow.
                let mut never_copy: Vec<String> =
                    [&w.runs, &w.failures, &w.last_run_at, &w.last_run_status]
                        .into_iter()
                        .flatten()
                        .cloned()
                        .collect();
                never_copy.extend(w.never_copy.iter().cloned());
                all.push(TableConf {
                    table: w.table.clone(),
                    key: w.key.clone(),
                    never_copy,
                    copy_ids: false,
                    workflow: Some(workflow),
                });
            }
        }
        all
    }

    /// `confs` with copied workflows keeping their active flag (`--activate`) or not.
    pub fn activate(mut confs: Vec<TableConf>, activate: bool) -> Vec<TableConf> {
        for w in confs.iter_mut().filter_map(|c| c.workflow.as_mut()) {
            w.activate = activate;
        }
        confs
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
    /// Copied workflows keep their active flag (otherwise they land inactive).
    #[serde(default)]
    pub activate: bool,
    /// Which rows each statement of `sql` inserts, so the apply journals each returned row
    /// under its key.
    #[serde(default)]
    pub spans: Vec<Span>,
    /// Each target row the copied rows refer to, and each touched table's columns, with the
    /// hash the fingerprint covers (so an apply refused can say what changed).
    #[serde(default)]
    pub checked: Vec<Checked>,
}

/// A target row (`key`) or a table's columns and triggers (`key` null) as the preview saw it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export_to = "SyncChecked.ts", rename = "SyncChecked")]
pub struct Checked {
    pub table: String,
    pub key: Option<Vec<Option<String>>>,
    pub hash: String,
}

/// The rows statement k of a plan's `sql` inserts: `rows` rows of `tables[table]` from
/// `first`, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export_to = "SyncSpan.ts", rename = "SyncSpan")]
pub struct Span {
    pub table: usize,
    pub first: usize,
    pub rows: usize,
}

impl Plan {
    pub fn blocked(&self) -> bool {
        !self.blockers.is_empty()
    }

    pub fn insert_count(&self) -> usize {
        self.tables.iter().map(|t| t.inserts.len()).sum()
    }
}

/// What an apply needs of the plan a person reviewed: the statements it runs, what they
/// insert (keys) and refer to (parents, credentials), the blockers and the fingerprint. A
/// plan file is read as this, the rows' values skipped: the apply runs these statements,
/// only when the fingerprint it computes inside its transaction, from them and the target
/// as it is then, is this one.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Reviewed {
    pub from: String,
    pub to: String,
    pub target_identity: String,
    pub fingerprint: String,
    pub fingerprint_full: String,
    pub blockers: Vec<Blocker>,
    pub tables: Vec<ReviewedTable>,
    pub sql: Vec<String>,
    #[serde(default)]
    pub spans: Vec<Span>,
    #[serde(default)]
    pub checked: Vec<Checked>,
    #[serde(default)]
    pub selections: Vec<Selection>,
    #[serde(default)]
    pub with_parents: bool,
    #[serde(default)]
    pub activate: bool,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct ReviewedTable {
    pub table: String,
    pub inserts: Vec<ReviewedRow>,
}

/// Boxed slices, not vectors: a vector read from JSON keeps room for 4 entries, and an
/// apply holds 100,000s of these.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct ReviewedRow {
    pub key: Box<[Option<String>]>,
    #[serde(default)]
    pub remapped: Box<[ReviewedRemap]>,
    #[serde(default)]
    pub credentials: Box<[CredentialRemap]>,
}

/// A remapped foreign key as reviewed: which target parent it refers to.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct ReviewedRemap {
    pub parent: String,
    pub parent_key: Box<[Option<String>]>,
    /// `None` when the parent is inserted by the plan itself.
    pub to_value: Option<String>,
}

impl Reviewed {
    pub fn blocked(&self) -> bool {
        !self.blockers.is_empty()
    }

    pub fn insert_count(&self) -> usize {
        self.tables.iter().map(|t| t.inserts.len()).sum()
    }
}

impl From<&Plan> for Reviewed {
    fn from(p: &Plan) -> Reviewed {
        Reviewed {
            from: p.from.clone(),
            to: p.to.clone(),
            target_identity: p.target_identity.clone(),
            fingerprint: p.fingerprint.clone(),
            fingerprint_full: p.fingerprint_full.clone(),
            blockers: p.blockers.clone(),
            tables: p
                .tables
                .iter()
                .map(|t| ReviewedTable {
                    table: t.table.clone(),
                    inserts: t
                        .inserts
                        .iter()
                        .map(|i| ReviewedRow {
                            key: i.key.clone().into(),
                            remapped: i
                                .remapped
                                .iter()
                                .map(|r| ReviewedRemap {
                                    parent: r.parent.clone(),
                                    parent_key: r.parent_key.clone().into(),
                                    to_value: r.to_value.clone(),
                                })
                                .collect(),
                            credentials: i.credentials.clone().into(),
                        })
                        .collect(),
                })
                .collect(),
            sql: p.sql.clone(),
            spans: p.spans.clone(),
            checked: p.checked.clone(),
            selections: p.selections.clone(),
            with_parents: p.with_parents,
            activate: p.activate,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export_to = "TablePlan.ts")]
pub struct TablePlan {
    pub table: String,
    /// The columns written, in table order, with the target's types.
    pub columns: Vec<PlanColumn>,
    /// The source's columns not written, and why (the same for every row).
    pub omitted: Vec<Omitted>,
    /// The insert needs `OVERRIDING SYSTEM VALUE` (a copied GENERATED ALWAYS identity).
    pub overriding: bool,
    pub inserts: Vec<Insert>,
}

/// A written column and the target column's type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export_to = "SyncColumn.ts", rename = "SyncColumn")]
pub struct PlanColumn {
    pub column: String,
    pub ty: String,
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
    /// One per column of its [`TablePlan::columns`]: the text written, `None` for NULL or
    /// for a foreign key to a parent this plan inserts.
    pub values: Vec<Option<String>>,
    pub remapped: Vec<Remap>,
    /// A workflow's credential references rewritten to the target's credentials.
    #[serde(default)]
    pub credentials: Vec<CredentialRemap>,
    /// Added as a missing parent (`--with-parents`), not selected.
    pub parent: bool,
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
    /// How the value is found in the target ([`super::render`]); its key values are
    /// `parent_key`'s ([`KeyPart::Leaf`]), so rows of one shape share one.
    #[serde(skip)]
    #[ts(skip)]
    pub(crate) lookup: Option<Arc<Lookup>>,
}

/// An n8n credential reference (`nodes[].credentials.<type>`) pointed at the target's
/// credential of the same type and name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export_to = "SyncCredentialRemap.ts", rename = "SyncCredentialRemap")]
pub struct CredentialRemap {
    /// The node's name.
    pub node: String,
    pub credential_type: String,
    pub name: String,
    /// The source's credential id.
    pub from_id: Option<String>,
    /// The target's credential id.
    pub to_id: Option<String>,
}

/// A parent row found by its natural key: `SELECT column FROM table WHERE key…`. Names are
/// shared between the rows of a plan (a plan can hold 100,000s of lookups).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Lookup {
    pub table: Arc<str>,
    pub column: Arc<str>,
    /// `(key column, target type, literal or nested lookup)`.
    pub key: Vec<(Arc<str>, Arc<str>, KeyPart)>,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum KeyPart {
    /// A value of its own: NULL, or a foreign key whose parent row is missing (its id).
    Text(Option<String>),
    /// The remap's `parent_key[i]`.
    Leaf(usize),
    Parent(Box<Lookup>),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export_to = "SyncBlocker.ts", rename = "SyncBlocker")]
pub struct Blocker {
    pub table: String,
    pub key: Option<Vec<Option<String>>>,
    pub sentence: String,
}

/// A table's plan before its rows' values move in from the rows read.
struct Building {
    table: String,
    columns: Vec<PlanColumn>,
    /// Per written column, its index in the source's columns.
    at: Vec<Option<usize>>,
    omitted: Vec<Omitted>,
    overriding: bool,
    rows: Vec<Insert>,
}

/// A planned row's remapped foreign keys and credential references.
type RowExtras = (Vec<Remap>, Vec<CredentialRemap>);

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
    from_env: &str,
    from: &mut [CopyTable],
    to: Side<'_>,
    with_parents: bool,
) -> Plan {
    draft(confs, selections, from_env, from, to, with_parents).finish(to)
}

/// A plan before its SQL and fingerprint: it holds what it copied of the rows read, so
/// the caller can free them before [`Draft::finish`] renders the statements.
pub struct Draft {
    plan: Plan,
    parents: Vec<super::render::ParentRow>,
    sqlite: bool,
}

impl Draft {
    /// The plan with its SQL and fingerprint. `to` is the target as [`draft`] saw it; its
    /// rows are no longer needed (only its tables' columns and triggers).
    pub fn finish(mut self, to: Side<'_>) -> Plan {
        super::render::finish(&mut self.plan, to, &self.parents, self.sqlite);
        self.plan
    }
}

/// [`plan`] up to its SQL and fingerprint. The source's rows (`from`, read from `from_env`)
/// are consumed: each planned row's values move into its insert (a plan of 100,000s of rows
/// would otherwise hold them twice at its peak).
pub fn draft(
    confs: &[TableConf],
    selections: &[Selection],
    from_env: &str,
    from_tables: &mut [CopyTable],
    to: Side<'_>,
    with_parents: bool,
) -> Draft {
    let from = Side {
        env: from_env,
        identity: from_env,
        tables: &*from_tables,
    };
    let mut src = Index::new(from, confs).with_key_texts();
    let dst = Index::new(to, confs).with_key_lookup();
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
    let mut queue: VecDeque<(&str, usize, bool)> = VecDeque::new();
    // Every (table, row) ever queued: asked once per foreign key of every row, so a set,
    // not a scan of the queue.
    let mut queued: FxHashSet<(&str, usize)> = FxHashSet::default();
    for s in selections {
        let Some(t) = src.table(&s.table).filter(|t| t.exists) else {
            block(
                &s.table,
                None,
                format!("table {:?} does not exist in {}", s.table, from.env),
            );
            continue;
        };
        let name = t.table.as_str();
        if s.all_missing {
            for i in 0..t.rows.len() {
                if dst.find_text(name, src.key_text(name, i)).is_none() {
                    queued.insert((name, i));
                    queue.push_back((name, i, false));
                }
            }
        }
        // Keys as shown (flat), looked up in one pass over the table.
        let by_flat: HashMap<Vec<Option<String>>, usize> = if s.keys.is_empty() {
            HashMap::new()
        } else {
            (0..t.rows.len())
                .rev()
                .map(|i| (src.key_flat(name, i), i))
                .collect()
        };
        for k in &s.keys {
            let want: Vec<Option<String>> = k.iter().cloned().map(Some).collect();
            match by_flat.get(&want).copied() {
                Some(i) => {
                    queued.insert((name, i));
                    queue.push_back((name, i, false));
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
    let mut seen: FxHashSet<(&str, usize)> = FxHashSet::default();
    // Per planned table, in the order of `planned`: each row's remaps and credentials.
    let mut extras: FxHashMap<&str, Vec<RowExtras>> = FxHashMap::default();
    // Target credentials the copied workflows refer to: `(table, row)`.
    let mut credential_rows: BTreeSet<(String, usize)> = BTreeSet::new();
    let mut parents_added = Vec::new();
    let mut referenced: BTreeSet<(String, usize)> = BTreeSet::new();
    while let Some((table, i, parent)) = queue.pop_front() {
        if !seen.insert((table, i)) {
            continue;
        }
        let mut row_credentials: Vec<CredentialRemap> = Vec::new();
        let t = src.table(table).expect("queued tables exist");
        // Built only to name the row in a blocker.
        let key = || src.key_flat(table, i);
        if dst.find_text(table, src.key_text(table, i)).is_some() {
            block(
                table,
                Some(key()),
                format!(
                    "{table} ({}) is already in {}: existing rows are never overwritten",
                    show(&key()),
                    to.env
                ),
            );
            continue;
        }
        // Sized exactly: a plan can hold 100,000s of rows, each with its remaps.
        let mut remaps = Vec::with_capacity(t.fks.len());
        let mut blocked = false;
        for fk in &t.fks {
            let Some(v) = t.index(&fk.column).and_then(|ci| t.rows[i][ci].clone()) else {
                continue;
            };
            if src.conf(&fk.parent).is_none() {
                block(
                    table,
                    None,
                    format!(
                        "{table}.{} refers to {}, which has no natural key configured: add it to [[tables]] or [[reference_data]] in envdeck.toml so its rows can be matched in {}",
                        fk.column, fk.parent, to.env
                    ),
                );
                blocked = true;
                continue;
            }
            let Some(p) = src.parent_of(table, &fk.column, i) else {
                block(
                    table,
                    Some(key()),
                    format!(
                        "{table}.{} = {v} refers to no {} row in {}",
                        fk.column, fk.parent, from.env
                    ),
                );
                blocked = true;
                continue;
            };
            let pkey = src.key_flat(&fk.parent, p);
            let parent_name = src.table(&fk.parent).map_or("", |pt| pt.table.as_str());
            let mut remap = Remap {
                column: fk.column.clone(),
                parent: fk.parent.clone(),
                parent_key: pkey.clone(),
                from_value: v,
                to_value: None,
                lookup: None,
            };
            if let Some(tp) = dst.find_text(&fk.parent, src.key_text(&fk.parent, p)) {
                let pt = dst.table(&fk.parent).expect("indexed");
                remap.to_value = pt
                    .index(&fk.parent_column)
                    .and_then(|ci| pt.rows[tp][ci].clone());
                referenced.insert((fk.parent.clone(), tp));
            } else if seen.contains(&(parent_name, p)) || queued.contains(&(parent_name, p)) {
            } else if with_parents {
                queued.insert((parent_name, p));
                queue.push_back((parent_name, p, true));
                parents_added.push(RowRef {
                    table: fk.parent.clone(),
                    key: pkey.clone(),
                });
            } else {
                block(
                    table,
                    Some(key()),
                    format!(
                        "{table} ({}) needs {} ({}), which is missing in {}: select it too or plan with --with-parents",
                        show(&key()),
                        fk.parent,
                        show(&pkey),
                        to.env
                    ),
                );
                blocked = true;
                continue;
            }
            remaps.push(remap);
        }
        let workflow = src.conf(table).and_then(|c| c.workflow.as_ref());
        let definition = workflow
            .and_then(|w| w.definition.as_ref())
            .and_then(|d| t.index(d))
            .and_then(|ci| t.rows[i][ci].clone());
        if let (Some(w), Some(def)) = (workflow, definition) {
            let target = w.credentials.as_ref().and_then(|c| dst.table(&c.table));
            match super::workflow::resolve(w, &show(&key()), &def, target, to.env) {
                Ok(found) => {
                    let ctable = w.credentials.as_ref().map(|c| c.table.clone());
                    let mut remaps = Vec::new();
                    for (r, row) in found {
                        if let Some(ct) = &ctable {
                            credential_rows.insert((ct.clone(), row));
                        }
                        remaps.push(r);
                    }
                    row_credentials = remaps;
                }
                Err(problems) => {
                    for p in problems {
                        block(table, Some(key()), p);
                    }
                    // Never inserted, so never active with an unresolved credential.
                    blocked = true;
                }
            }
        }
        if blocked {
            continue;
        }
        match planned.get_mut(table) {
            Some(rows) => rows.push((i, parent)),
            None => {
                planned.insert(table.to_string(), vec![(i, parent)]);
            }
        }
        extras
            .entry(table)
            .or_default()
            .push((remaps, row_credentials));
    }
    // The closure's bookkeeping is done: freed before the rows are built (the plan's peak).
    drop((queue, queued, seen));
    src.without_key_texts();
    let order = fk_order(&planned, &src, &mut block);

    let sqlite = dst.engine_is_sqlite();
    let mut warnings = Vec::new();
    let mut tables = Vec::new();
    let mut building: Vec<Building> = Vec::new();
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
        let columns: Vec<PlanColumn> = written
            .iter()
            .map(|(c, d)| PlanColumn {
                column: c.name.clone(),
                ty: d.ty.clone(),
            })
            .collect();
        let at: Vec<Option<usize>> = written.iter().map(|(c, _)| st.index(&c.name)).collect();
        let mut names = Names::default();
        let mut rows = Vec::with_capacity(planned[table].len());
        let row_extras = extras.remove(st.table.as_str()).unwrap_or_default();
        // Everything but the copied values, which move in once the index is gone.
        for (&(i, parent), (remaps, creds)) in planned[table].iter().zip(row_extras) {
            let mut remapped = Vec::with_capacity(remaps.len());
            for mut r in remaps {
                let fk = st.fks.iter().find(|f| f.column == r.column).expect("remap");
                let p = src.parent_of(table, &fk.column, i);
                r.lookup = p.map(|p| {
                    let l = lookup(
                        (&src, &dst),
                        &mut names,
                        &fk.parent,
                        &fk.parent_column,
                        p,
                        0,
                        &mut 0,
                    );
                    names.lookup(l)
                });
                remapped.push(r);
            }
            rows.push(Insert {
                key: src.key_flat(table, i),
                values: Vec::new(),
                remapped,
                credentials: creds,
                parent,
            });
        }
        building.push(Building {
            table: table.clone(),
            columns,
            at,
            omitted,
            overriding,
            rows,
        });
    }
    // The index borrows the rows read: gone, so the values can move out of them.
    drop((src, extras));
    for b in building {
        let conf = confs
            .iter()
            .find(|c| c.table == b.table)
            .expect("planned tables are configured");
        let workflow = conf.workflow.as_ref();
        let planned_rows = &planned[&b.table];
        let mut rows = b.rows;
        let st = from_tables
            .iter_mut()
            .find(|t| t.table == b.table)
            .expect("planned tables were read");
        if let Some(w) = workflow {
            warnings.extend(super::workflow::warning(
                w,
                &b.columns,
                &rows,
                st,
                planned_rows,
                from_env,
                to.env,
            ));
        }
        for (ins, &(i, _)) in rows.iter_mut().zip(planned_rows) {
            // Each planned row is read once: taken whole, what is not copied is freed now.
            let mut read = std::mem::take(&mut st.rows[i]);
            ins.values = b
                .columns
                .iter()
                .zip(&b.at)
                .map(|(c, ci)| {
                    let text = match ins.remapped.iter().find(|r| r.column == c.column) {
                        Some(r) => r.to_value.clone(),
                        None => ci.and_then(|ci| read.get_mut(ci).and_then(Option::take)),
                    };
                    let is = |col: &Option<String>| col.as_deref() == Some(c.column.as_str());
                    match workflow {
                        Some(w) if is(&w.definition) && !ins.credentials.is_empty() => {
                            text.map(|t| super::workflow::rewrite(&t, &ins.credentials))
                        }
                        Some(w) if is(&w.active) && !w.activate => {
                            Some(super::workflow::inactive(&c.ty, sqlite))
                        }
                        _ => text,
                    }
                })
                .collect();
        }
        let tt = dst.table(&b.table).expect("checked above");
        for (k, sentence) in
            super::unique::collisions(&b.table, &conf.key, tt, &b.columns, &rows, from_env, to.env)
        {
            block(&b.table, Some(k), sentence);
        }
        tables.push(TablePlan {
            table: b.table,
            columns: b.columns,
            omitted: b.omitted,
            overriding: b.overriding,
            inserts: rows,
        });
    }
    let mut parents: Vec<super::render::ParentRow> = referenced
        .iter()
        .map(|(t, i)| super::render::ParentRow {
            table: t.clone(),
            key: dst.key_flat(t, *i),
            row: dst.table(t).expect("indexed").rows[*i].clone(),
        })
        .collect();
    // A credential renamed, retyped or re-created in the target since the preview moves
    // the fingerprint like a changed parent.
    parents.extend(credential_rows.iter().map(|(t, i)| {
        let row = dst.table(t).expect("read").rows[*i].clone();
        super::render::ParentRow {
            table: t.clone(),
            key: row.clone(),
            row,
        }
    }));
    let plan = Plan {
        from: from_env.to_string(),
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
        activate: confs
            .iter()
            .any(|c| c.workflow.as_ref().is_some_and(|w| w.activate)),
        spans: Vec::new(),
        checked: Vec::new(),
    };
    Draft {
        plan,
        parents,
        sqlite: dst.engine_is_sqlite(),
    }
}

/// Each row's natural key (the text `--all-missing` plans by) as a 128-bit digest, per
/// table of `tables`: how the apply's compare-again holds 100,000s of keys in a few MB.
pub fn key_digests(
    confs: &[TableConf],
    tables: &[String],
    side: Side<'_>,
) -> BTreeMap<String, Vec<u128>> {
    use sha2::{Digest, Sha256};
    let ix = Index::new(side, confs);
    // Tables on two threads: the compare-again after a commit waits on this (100,000s of
    // keys per table, ~50 ms each).
    let digests = super::two_threads(tables, |name| {
        ix.table(name).map_or_else(Vec::new, |t| {
            (0..t.rows.len())
                .map(|i| {
                    let h = Sha256::digest(ix.key_json(name, i).as_bytes());
                    u128::from_le_bytes(h[..16].try_into().expect("16 bytes"))
                })
                .collect()
        })
    });
    tables.iter().cloned().zip(digests).collect()
}

/// Per table, how many keys of `from` are not among `to`'s ([`key_digests`] of both).
pub fn missing(
    from: &BTreeMap<String, Vec<u128>>,
    to: &BTreeMap<String, Vec<u128>>,
) -> BTreeMap<String, usize> {
    from.iter()
        .map(|(name, keys)| {
            let present: FxHashSet<u128> = to
                .get(name)
                .map(|k| k.iter().copied().collect())
                .unwrap_or_default();
            let n = keys.iter().filter(|k| !present.contains(k)).count();
            (name.clone(), n)
        })
        .collect()
}

/// Interned names for lookups: one allocation per distinct table, column or type, and one
/// lookup per shape whose key values are all leaves.
#[derive(Default)]
struct Names {
    names: HashMap<String, Arc<str>>,
    /// Lookups by shape ([`Names::lookup`]).
    lookups: HashMap<String, Arc<Lookup>>,
}

impl Names {
    /// One shared lookup per shape, when every key value is a leaf of the parent key.
    fn lookup(&mut self, l: Lookup) -> Arc<Lookup> {
        fn own_values(l: &Lookup) -> bool {
            l.key.iter().any(|(_, _, p)| match p {
                KeyPart::Text(Some(_)) => true,
                KeyPart::Parent(p) => own_values(p),
                _ => false,
            })
        }
        if own_values(&l) {
            return Arc::new(l);
        }
        let mut shape = String::new();
        super::render::shape(&l, &mut shape);
        self.lookups
            .entry(shape)
            .or_insert_with(|| Arc::new(l))
            .clone()
    }

    fn get(&mut self, s: &str) -> Arc<str> {
        if let Some(a) = self.names.get(s) {
            return a.clone();
        }
        let a: Arc<str> = Arc::from(s);
        self.names.insert(s.to_string(), a.clone());
        a
    }
}

/// How the target finds row `i` of `parent` (a source row) by its natural key.
fn lookup(
    (src, dst): (&Index, &Index),
    names: &mut Names,
    parent: &str,
    column: &str,
    i: usize,
    depth: usize,
    pos: &mut usize,
) -> Lookup {
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
                .map(|c| c.ty.as_str())
                .unwrap_or_default();
            let fk = st.fks.iter().find(|f| &f.column == k);
            // Leaves in the order `Index::key_flat` lists them (a NULL and a missing parent
            // take a place there too).
            let part = match (v, fk) {
                (Some(v), Some(fk)) if src.conf(&fk.parent).is_some() && depth < MAX_DEPTH => {
                    match src.parent_of(parent, &fk.column, i) {
                        Some(p) => KeyPart::Parent(Box::new(lookup(
                            (src, dst),
                            names,
                            &fk.parent,
                            &fk.parent_column,
                            p,
                            depth + 1,
                            pos,
                        ))),
                        None => {
                            *pos += 1;
                            KeyPart::Text(Some(v))
                        }
                    }
                }
                (None, _) => {
                    *pos += 1;
                    KeyPart::Text(None)
                }
                (Some(_), _) => {
                    *pos += 1;
                    KeyPart::Leaf(*pos - 1)
                }
            };
            (names.get(k), names.get(ty), part)
        })
        .collect();
    Lookup {
        table: names.get(parent),
        column: names.get(column),
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
