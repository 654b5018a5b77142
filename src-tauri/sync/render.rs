//! A plan's exact SQL and its fingerprint. On PostgreSQL each table's rows go in bulk: one
//! `INSERT … SELECT … FROM unnest(string_to_array('…¦…', '¦', '∅'), …) WITH ORDINALITY` per
//! chunk of rows (an array literal `'{…}'::text[]` where a value holds `¦` or `∅`), every
//! value as text cast to the target column's type, a remapped foreign key joined to its
//! parent's natural key; on SQLite one `INSERT … VALUES` per row, a remapped foreign key as a
//! subquery. Every statement ends in `ON CONFLICT DO NOTHING RETURNING` the inserted row, so
//! the apply can check the count and journal what it wrote. The statements are what runs.

use sha2::{Digest, Sha256};

use super::plan::{Checked, Insert, KeyPart, Lookup, Plan, Remap, Side, Span, TablePlan};
use crate::connectors::quote_ident;
use crate::snapshot::CopyTable;

/// Rows per bulk statement: large enough that a statement's round trip and set-up are
/// noise (each chunk of children hashes the whole parent table for its join: at 5,000 rows,
/// 100,000 notes hashed their 100,000 customers 20 times, a third of each statement's
/// time), small enough that progress moves between statements. Cancel does not wait for a
/// statement: it cancels the running one on the server.
pub(crate) const CHUNK_ROWS: usize = 50_000;

fn quoted(v: &str) -> String {
    format!("'{}'", v.replace('\'', "''"))
}

fn literal(text: &Option<String>, ty: &str, sqlite: bool) -> String {
    match text {
        None => "NULL".into(),
        // SQLite: the column's affinity converts the text; a CAST to a declared type such
        // as `timestamp` would turn it into a number.
        Some(v) if sqlite || ty.is_empty() => quoted(v),
        Some(v) => format!("{}::{ty}", quoted(v)),
    }
}

/// A leaf's value: the remap's parent key at that place.
fn leaf(r: &Remap, i: usize) -> &Option<String> {
    const NONE: &Option<String> = &None;
    r.parent_key.get(i).unwrap_or(NONE)
}

fn subquery(l: &Lookup, r: &Remap, sqlite: bool) -> String {
    let conds: Vec<String> = l
        .key
        .iter()
        .map(|(k, ty, part)| match part {
            KeyPart::Text(None) => format!("{} IS NULL", quote_ident(k)),
            KeyPart::Text(v) => format!("{} = {}", quote_ident(k), literal(v, ty, sqlite)),
            KeyPart::Leaf(i) => {
                format!("{} = {}", quote_ident(k), literal(leaf(r, *i), ty, sqlite))
            }
            KeyPart::Parent(p) => format!("{} = {}", quote_ident(k), subquery(p, r, sqlite)),
        })
        .collect();
    format!(
        "(SELECT {} FROM {} WHERE {})",
        quote_ident(&l.column),
        quote_ident(&l.table),
        conds.join(" AND ")
    )
}

fn columns(t: &TablePlan) -> Vec<String> {
    t.columns.iter().map(|c| quote_ident(&c.column)).collect()
}

fn overriding(t: &TablePlan) -> &'static str {
    if t.overriding {
        " OVERRIDING SYSTEM VALUE"
    } else {
        ""
    }
}

/// One row as `INSERT … VALUES (…)` (SQLite, and a row with no column to write).
fn insert_sql(t: &TablePlan, ins: &Insert, sqlite: bool) -> String {
    if t.columns.is_empty() {
        return format!("INSERT INTO {} DEFAULT VALUES", quote_ident(&t.table));
    }
    let vals: Vec<String> = t
        .columns
        .iter()
        .zip(&ins.values)
        .map(|(c, v)| match remap_lookup(ins, &c.column) {
            Some((l, r)) => subquery(l, r, sqlite),
            None => literal(v, &c.ty, sqlite),
        })
        .collect();
    format!(
        "INSERT INTO {} ({}){} VALUES ({})",
        quote_ident(&t.table),
        columns(t).join(", "),
        overriding(t),
        vals.join(", ")
    )
}

fn remap_lookup<'a>(ins: &'a Insert, column: &str) -> Option<(&'a Lookup, &'a Remap)> {
    ins.remapped
        .iter()
        .find(|r| r.column == column)
        .and_then(|r| r.lookup.as_deref().map(|l| (l, r)))
}

/// The shape of a lookup (tables, columns, which key parts are NULL or nested): rows of one
/// shape share a bulk statement, their key values feeding its `unnest`.
pub(super) fn shape(l: &Lookup, out: &mut String) {
    out.push_str(&l.table);
    out.push('.');
    out.push_str(&l.column);
    out.push('(');
    for (k, ty, part) in &l.key {
        out.push_str(k);
        out.push(':');
        out.push_str(ty);
        match part {
            KeyPart::Text(None) => out.push_str("=null"),
            // A leaf's place follows from the shape: no need to spell it.
            KeyPart::Text(Some(_)) | KeyPart::Leaf(_) => out.push_str("=?"),
            KeyPart::Parent(p) => {
                out.push('=');
                shape(p, out);
            }
        }
        out.push(',');
    }
    out.push(')');
}

fn row_shape(ins: &Insert) -> String {
    let mut s = String::new();
    for r in &ins.remapped {
        s.push_str(&r.column);
        if let Some(l) = &r.lookup {
            s.push('=');
            shape(l, &mut s);
        }
        s.push(';');
    }
    s
}

/// Key value `n` of a lookup (counting from 0), in the order [`join`] numbers them.
fn nth_leaf<'a>(l: &'a Lookup, r: &'a Remap, n: &mut usize) -> Option<&'a Option<String>> {
    for (_, _, part) in &l.key {
        let v = match part {
            KeyPart::Text(None) => continue,
            KeyPart::Text(v) => v,
            KeyPart::Leaf(i) => leaf(r, *i),
            KeyPart::Parent(p) => match nth_leaf(p, r, n) {
                Some(v) => return Some(v),
                None => continue,
            },
        };
        if *n == 0 {
            return Some(v);
        }
        *n -= 1;
    }
    None
}

/// The joins that find a lookup's parent row, innermost first; returns the parent's alias.
/// `next_key` numbers the key inputs (`s.k1`, …), `next_alias` the joined tables.
fn join(
    l: &Lookup,
    joins: &mut Vec<String>,
    next_key: &mut usize,
    next_alias: &mut usize,
) -> String {
    let mut conds = Vec::new();
    let mut pending = Vec::new();
    for (k, ty, part) in &l.key {
        match part {
            KeyPart::Text(None) => pending.push(format!("{} IS NULL", quote_ident(k))),
            KeyPart::Text(Some(_)) | KeyPart::Leaf(_) => {
                *next_key += 1;
                let cast = if ty.is_empty() {
                    String::new()
                } else {
                    format!("::{ty}")
                };
                pending.push(format!("{} = s.k{}{cast}", quote_ident(k), next_key));
            }
            KeyPart::Parent(p) => {
                let inner = join(p, joins, next_key, next_alias);
                pending.push(format!(
                    "{} = {inner}.{}",
                    quote_ident(k),
                    quote_ident(&p.column)
                ));
            }
        }
    }
    *next_alias += 1;
    let alias = format!("p{next_alias}");
    for c in pending {
        conds.push(format!("{alias}.{c}"));
    }
    joins.push(format!(
        "JOIN {} AS {alias} ON {}",
        quote_ident(&l.table),
        conds.join(" AND ")
    ));
    alias
}

/// Between the values of one [`unnest_input`] (U+00A6 BROKEN BAR), and what stands for NULL
/// there (U+2205 EMPTY SET): rare in data, and drawn by the monospace fonts the window's
/// SQL preview uses (DejaVu Sans Mono, Menlo, Consolas), where the control pictures
/// U+241F and U+2400 showed as missing glyphs.
const SEPARATOR: char = '¦';
const NULL_SYMBOL: char = '∅';

/// Appends one `unnest` input of a bulk statement, the values of every row for one column
/// (or key value): `string_to_array('a¦b¦∅', '¦', '∅')`, which PostgreSQL splits in less
/// time than it parses an array literal (the 4 statements of tests/bench/sync.sh's 200,000
/// rows: 1.55 s of server time instead of 1.59 s, run alternately 3 times). An array literal
/// ([`text_array`]) when a value contains either symbol, and for a single row (an empty
/// string alone would split into no element at all).
fn unnest_input<'a>(out: &mut String, values: impl Iterator<Item = &'a Option<String>> + Clone) {
    let plain = |v: &&Option<String>| {
        v.as_deref()
            .is_none_or(|v| !v.contains([SEPARATOR, NULL_SYMBOL]))
    };
    if values.clone().take(2).count() < 2 || !values.clone().all(|v| plain(&v)) {
        return text_array(out, values);
    }
    out.push_str("string_to_array('");
    for (i, v) in values.enumerate() {
        if i > 0 {
            out.push(SEPARATOR);
        }
        match v {
            None => out.push(NULL_SYMBOL),
            Some(v) if !v.contains('\'') => out.push_str(v),
            Some(v) => out.push_str(&v.replace('\'', "''")),
        }
    }
    out.push_str("', '");
    out.push(SEPARATOR);
    out.push_str("', '");
    out.push(NULL_SYMBOL);
    out.push_str("')");
}

/// Appends a PostgreSQL array literal of text: `'{"a","b",NULL}'::text[]`.
fn text_array<'a>(out: &mut String, values: impl Iterator<Item = &'a Option<String>>) {
    out.push_str("'{");
    for (i, v) in values.enumerate() {
        if i > 0 {
            out.push(',');
        }
        match v {
            None => out.push_str("NULL"),
            // Most values need no escaping: copied whole.
            Some(v) if !v.bytes().any(|b| matches!(b, b'"' | b'\\' | b'\'')) => {
                out.push('"');
                out.push_str(v);
                out.push('"');
            }
            Some(v) => {
                out.push('"');
                for c in v.chars() {
                    match c {
                        '"' | '\\' => {
                            out.push('\\');
                            out.push(c);
                        }
                        '\'' => out.push_str("''"),
                        c => out.push(c),
                    }
                }
                out.push('"');
            }
        }
    }
    out.push_str("}'::text[]");
}

/// One `unnest` input of a bulk statement: a column's values, or key value `k` of a
/// column's lookups.
enum Input {
    Value(usize),
    Key(usize, usize),
}

fn input_value<'a>(t: &TablePlan, r: &'a Insert, input: &Input) -> &'a Option<String> {
    const NONE: &Option<String> = &None;
    match *input {
        Input::Value(ci) => &r.values[ci],
        Input::Key(ci, k) => {
            let Some((l, remap)) = remap_lookup(r, &t.columns[ci].column) else {
                return NONE;
            };
            let mut n = k;
            nth_leaf(l, remap, &mut n).unwrap_or(NONE)
        }
    }
}

/// Rows of one shape as one `INSERT … SELECT … FROM unnest(…)` (PostgreSQL). Written into
/// one string sized up front: a statement of 50,000 rows is a few MB, and building it from
/// parts held it two or three times over.
fn bulk_sql(t: &TablePlan, rows: &[Insert]) -> String {
    let first = &rows[0];
    let mut select = Vec::new();
    let mut inputs: Vec<Input> = Vec::new();
    let mut names: Vec<String> = Vec::new();
    let mut joins = Vec::new();
    let (mut next_key, mut next_alias) = (0, 0);
    for (ci, c) in t.columns.iter().enumerate() {
        match remap_lookup(first, &c.column) {
            Some((l, _)) => {
                let start = next_key;
                let alias = join(l, &mut joins, &mut next_key, &mut next_alias);
                select.push(format!("{alias}.{}", quote_ident(&l.column)));
                for k in 0..(next_key - start) {
                    inputs.push(Input::Key(ci, k));
                    names.push(format!("k{}", start + k + 1));
                }
            }
            None => {
                let cast = if c.ty.is_empty() {
                    String::new()
                } else {
                    format!("::{}", c.ty)
                };
                select.push(format!("s.v{}{cast}", ci + 1));
                inputs.push(Input::Value(ci));
                names.push(format!("v{}", ci + 1));
            }
        }
    }
    names.push("n".into());
    let value = |r, i| input_value(t, r, i);
    // Each value quoted and separated (3), a few escapes, and room for the RETURNING.
    let size: usize = inputs
        .iter()
        .map(|i| {
            rows.iter()
                .map(|r| value(r, i).as_ref().map_or(4, |v| v.len() + 3))
                .sum::<usize>()
                + 16
        })
        .sum();
    let mut sql = String::with_capacity(size + size / 64 + 1024);
    sql.push_str(&format!(
        "INSERT INTO {} ({}){}\nSELECT {}\nFROM unnest(",
        quote_ident(&t.table),
        columns(t).join(", "),
        overriding(t),
        select.join(", "),
    ));
    for (n, input) in inputs.iter().enumerate() {
        if n > 0 {
            sql.push_str(", ");
        }
        unnest_input(&mut sql, rows.iter().map(|r| value(r, input)));
    }
    sql.push_str(&format!(") WITH ORDINALITY AS s({})", names.join(", ")));
    for j in joins {
        sql.push('\n');
        sql.push_str(&j);
    }
    sql.push_str("\nORDER BY s.n");
    sql
}

/// The statements of `tables`, in order, with the rows each inserts. `target` gives the
/// columns a statement returns (every column that is not secret, as text).
pub(crate) fn statements(
    tables: &[TablePlan],
    target: &[CopyTable],
    sqlite: bool,
) -> Vec<(Span, String)> {
    let mut spans = Vec::new();
    for (ti, t) in tables.iter().enumerate() {
        let mut start = 0;
        while start < t.inserts.len() {
            let single = sqlite || t.columns.is_empty();
            let end = if single {
                start + 1
            } else {
                let s = row_shape(&t.inserts[start]);
                let mut end = start + 1;
                while end < t.inserts.len()
                    && end - start < CHUNK_ROWS
                    && row_shape(&t.inserts[end]) == s
                {
                    end += 1;
                }
                end
            };
            spans.push(Span {
                table: ti,
                first: start,
                rows: end - start,
            });
            start = end;
        }
    }
    let returning: Vec<String> = tables
        .iter()
        .map(|t| returning(target.iter().find(|x| x.table == t.table)))
        .collect();
    // Written on two threads: 200,000 rows are 4 statements of 4-5 MB each.
    let sql = super::two_threads(&spans, |s| {
        let t = &tables[s.table];
        let rows = &t.inserts[s.first..s.first + s.rows];
        let mut sql = if sqlite || t.columns.is_empty() {
            insert_sql(t, &rows[0], sqlite)
        } else {
            bulk_sql(t, rows)
        };
        sql.push_str("\nON CONFLICT DO NOTHING RETURNING ");
        sql.push_str(&returning[s.table]);
        sql.push(';');
        // A plan holds its statements until it is applied: no slack from growing them.
        sql.shrink_to_fit();
        sql
    });
    spans.into_iter().zip(sql).collect()
}

/// What an insert returns: the target's columns that are not secret, as text (what the
/// journal hashes and an undo checks).
fn returning(t: Option<&CopyTable>) -> String {
    let cols: Vec<String> = t
        .map(|t| {
            t.columns
                .iter()
                .filter(|c| !c.secret)
                .map(|c| format!("CAST({} AS TEXT)", quote_ident(&c.name)))
                .collect()
        })
        .unwrap_or_default();
    if cols.is_empty() {
        "1".into()
    } else {
        cols.join(", ")
    }
}

/// A target row the plan refers to as a parent: its table, natural key and values.
pub(super) struct ParentRow {
    pub table: String,
    pub key: Vec<Option<String>>,
    pub row: Vec<Option<String>>,
}

/// Fills in the SQL and the fingerprint.
pub(super) fn finish(plan: &mut Plan, target: Side<'_>, parents: &[ParentRow], sqlite: bool) {
    let (spans, sql): (Vec<Span>, Vec<String>) = statements(&plan.tables, target.tables, sqlite)
        .into_iter()
        .unzip();
    plan.spans = spans;
    plan.sql = sql;
    // The plan inserts only rows it found absent.
    let inserted: Vec<(&str, &[Option<String>], bool)> = plan
        .tables
        .iter()
        .flat_map(|t| {
            t.inserts
                .iter()
                .map(|i| (t.table.as_str(), i.key.as_slice(), true))
        })
        .collect();
    let (full, checked) = fingerprint(&Covered {
        from: &plan.from,
        to: &plan.to,
        identity: target.identity,
        sql: &plan.sql,
        inserted: &inserted,
        parents,
        target: target.tables,
    });
    plan.fingerprint = full[..8].to_string();
    plan.fingerprint_full = full;
    plan.checked = checked;
}

/// What a plan's fingerprint covers. The plan computes it from what it read; the apply
/// again, inside its transaction, from the reviewed plan and the target as it is then.
pub(super) struct Covered<'a> {
    pub from: &'a str,
    pub to: &'a str,
    /// The target database's identity ([`crate::snapshot::identity`]).
    pub identity: &'a str,
    /// The operations, as they run.
    pub sql: &'a [String],
    /// `(table, natural key, absent)` of every inserted row.
    pub inserted: &'a [(&'a str, &'a [Option<String>], bool)],
    /// Every target row the inserted rows refer to.
    pub parents: &'a [ParentRow],
    /// The target's tables (the touched ones' columns and triggers are covered).
    pub target: &'a [CopyTable],
}

/// A length-prefixed SHA-256 over parts, line by line. Each line is gathered in a buffer
/// and hashed in one update: a plan hashes a line per inserted row, 100,000s of them.
struct Hasher(Sha256, Vec<u8>);

impl Hasher {
    fn new() -> Hasher {
        Hasher(Sha256::new(), Vec::new())
    }
    fn put(&mut self, parts: &[&str]) {
        self.begin(parts);
        self.end();
    }
    /// A line of `parts` then a key as JSON (what `put(&[.., &json(key)])` hashes),
    /// written without a string per key.
    fn put_with_key(&mut self, parts: &[&str], key: &[Option<String>]) {
        self.begin(parts);
        let at = self.1.len();
        self.1.extend_from_slice(&[0; 8]);
        let _ = serde_json::to_writer(&mut self.1, key);
        let len = (self.1.len() - at - 8) as u64;
        self.1[at..at + 8].copy_from_slice(&len.to_le_bytes());
        self.end();
    }
    /// Starts a line with `parts`, each after its length.
    fn begin(&mut self, parts: &[&str]) {
        self.1.clear();
        for p in parts {
            self.1.extend_from_slice(&(p.len() as u64).to_le_bytes());
            self.1.extend_from_slice(p.as_bytes());
        }
    }
    fn end(&mut self) {
        self.1.push(b'\n');
        self.0.update(&self.1);
    }
    fn hex(self) -> String {
        hex::encode(self.0.finalize())
    }
}

/// SHA-256 (hex) of everything `c` covers, and each target row and table it covers with
/// its own hash (so the apply can name what changed).
pub(super) fn fingerprint(c: &Covered<'_>) -> (String, Vec<Checked>) {
    let mut checked = Vec::new();
    // In key order: the same rows read twice need not come back in the same order.
    let mut parents: Vec<&ParentRow> = c.parents.iter().collect();
    parents.sort_by(|a, b| (&a.table, &a.key).cmp(&(&b.table, &b.key)));
    for p in parents {
        let mut h = Hasher::new();
        h.put(&[&json(&p.row)]);
        checked.push(Checked {
            table: p.table.clone(),
            key: Some(p.key.clone()),
            hash: h.hex(),
        });
    }
    let mut touched: Vec<&str> = c.inserted.iter().map(|(t, _, _)| *t).collect();
    touched.extend(c.parents.iter().map(|p| p.table.as_str()));
    touched.sort_unstable();
    touched.dedup();
    for name in touched {
        let mut h = Hasher::new();
        match c.target.iter().find(|t| t.table == name) {
            None => h.put(&["missing"]),
            Some(t) => {
                for col in &t.columns {
                    h.put(&[
                        "column",
                        &col.name,
                        &col.ty,
                        &col.not_null.to_string(),
                        col.default.as_deref().unwrap_or(""),
                        &format!("{:?}", col.identity_always),
                    ]);
                }
                h.put(&["triggers", &t.triggers.join(",")]);
            }
        }
        checked.push(Checked {
            table: name.to_string(),
            key: None,
            hash: h.hex(),
        });
    }
    let mut h = Hasher::new();
    h.put(&["envdeck sync plan v3", c.from, c.to]);
    h.put(&["target", c.identity]);
    for s in c.sql {
        h.put(&["op", s]);
    }
    for (table, key, absent) in c.inserted {
        h.put_with_key(&[if *absent { "absent" } else { "present" }, table], key);
    }
    for k in &checked {
        let key = k.key.as_deref().map(json).unwrap_or_default();
        h.put(&["checked", &k.table, &key, &k.hash]);
    }
    (h.hex(), checked)
}

fn json(v: &[Option<String>]) -> String {
    serde_json::to_string(v).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A plan file's fingerprint is recomputed by the apply: hashing a key without its own
    /// string must hash the very bytes the line with the key as JSON text hashes.
    #[test]
    fn a_key_hashed_in_place_hashes_as_its_json_text() {
        let key = vec![Some("a\"b¦\\".to_string()), None, Some(String::new())];
        let mut by_text = Hasher::new();
        by_text.put(&["absent", "customers", &json(&key)]);
        let mut in_place = Hasher::new();
        in_place.put_with_key(&["absent", "customers"], &key);
        assert_eq!(in_place.hex(), by_text.hex());
        let (mut shorter, mut by_text) = (Hasher::new(), Hasher::new());
        shorter.put_with_key(&["absent", "customers"], &key[..2]);
        by_text.put(&["absent", "customers", &json(&key)]);
        assert_ne!(shorter.hex(), by_text.hex());
    }
}
