//! Schema: tables, columns (type, nullability, default) and indexes here; every other object
//! in [`super::schema_objects`]. Each finding carries the SQL that would make `to` like
//! `from`, as a suggestion.

use super::schema_objects::ident;
use super::{Area, Finding, FindingKind, Severity};
use crate::snapshot::{Column, Schema, Table};

/// `col type [NOT NULL] [DEFAULT …]`.
pub(super) fn column_sql(name: &str, c: &Column) -> String {
    let mut s = format!("{} {}", ident(name), c.data_type);
    if !c.nullable {
        s.push_str(" NOT NULL");
    }
    if let Some(d) = &c.default {
        s.push_str(&format!(" DEFAULT {d}"));
    }
    s
}

/// `CREATE TABLE` with its columns (and the sequences their defaults use), then, after a
/// line of its own, the table's indexes and constraints: [`super::sql_script`] runs that
/// second part once every table exists, so foreign keys find their parents.
pub(super) fn create_table(name: &str, t: &Table, schema: &Schema) -> String {
    let mut s = String::new();
    for c in t.columns.values() {
        if let Some(seq) = c.default.as_deref().and_then(sequence_of) {
            s.push_str(&format!("CREATE SEQUENCE IF NOT EXISTS {seq};\n"));
        }
    }
    let cols: Vec<String> = t
        .columns
        .iter()
        .map(|(c, col)| format!("  {}", column_sql(c, col)))
        .collect();
    s.push_str(&format!(
        "CREATE TABLE {} (\n{}\n);",
        ident(name),
        cols.join(",\n")
    ));
    s.push_str(TABLE_PARTS);
    for (i, def) in &t.indexes {
        if !backs_constraint(schema, name, i) {
            s.push_str(&format!("\n{def};"));
        }
    }
    for (key, c) in &schema.objects.constraints {
        if c.table == name {
            let cname = key.strip_prefix(&format!("{name}.")).unwrap_or(key);
            s.push_str(&format!(
                "\nALTER TABLE {} ADD CONSTRAINT {} {};",
                ident(name),
                ident(cname),
                c.definition
            ));
        }
    }
    s
}

/// Where a missing table's SQL splits into the table and what must wait for every table.
pub(super) const TABLE_PARTS: &str = "\n-- then, once every table exists:";

/// `nextval('docs_id_seq'::regclass)` → `docs_id_seq`.
fn sequence_of(default: &str) -> Option<&str> {
    let rest = default.strip_prefix("nextval('")?;
    let end = rest.find('\'')?;
    Some(&rest[..end])
}

/// The statements that give column `c` of `t` the type, nullability and default it has in
/// `from`.
fn alter_column(t: &str, c: &str, from: &Column, to: &Column) -> String {
    let head = format!("ALTER TABLE {} ALTER COLUMN {}", ident(t), ident(c));
    let mut out = Vec::new();
    if from.data_type != to.data_type {
        out.push(format!(
            "{head} TYPE {} USING {}::{};",
            from.data_type,
            ident(c),
            from.data_type
        ));
    }
    if from.nullable != to.nullable {
        out.push(format!(
            "{head} {} NOT NULL;",
            if from.nullable { "DROP" } else { "SET" }
        ));
    }
    if from.default != to.default {
        out.push(match &from.default {
            Some(d) => format!("{head} SET DEFAULT {d};"),
            None => format!("{head} DROP DEFAULT;"),
        });
    }
    out.join("\n")
}

fn backs_constraint(s: &Schema, table: &str, index: &str) -> bool {
    s.objects
        .constraints
        .contains_key(&format!("{table}.{index}"))
}

pub fn schema(
    from_env: &str,
    to_env: &str,
    from: &Schema,
    to: &Schema,
    to_protected: bool,
) -> Vec<Finding> {
    let mut out = tables(from_env, to_env, from, to);
    out.extend(super::schema_objects::objects(
        from_env,
        to_env,
        from,
        to,
        to_protected,
    ));
    out
}

fn tables(from_env: &str, to_env: &str, from: &Schema, to: &Schema) -> Vec<Finding> {
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
            )
            .with_sql(create_table(t, ft, from)));
            continue;
        };
        for (c, fc) in &ft.columns {
            let Some(tc) = tt.columns.get(c) else {
                out.push(
                    Finding::in_table(
                        Area::Schema,
                        FindingKind::MissingColumn,
                        t,
                        Some(c),
                        Severity::Warning,
                        format!(
                            "column {} exists in {from_env} but not in {to_env}",
                            fc.data_type
                        ),
                    )
                    .with_sql(format!(
                        "ALTER TABLE {} ADD COLUMN {};",
                        ident(t),
                        column_sql(c, fc)
                    )),
                );
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
                out.push(
                    Finding::in_table(
                        Area::Schema,
                        FindingKind::ColumnType,
                        t,
                        Some(c),
                        Severity::Warning,
                        diffs.join("; "),
                    )
                    .with_sql(alter_column(t, c, fc, tc)),
                );
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
            // The index behind a unique or exclusion constraint is the constraint's: it is
            // compared (and created) as the constraint.
            if backs_constraint(from, t, i) {
                continue;
            }
            match tt.indexes.get(i) {
                None => out.push(
                    Finding::in_table(
                        Area::Schema,
                        FindingKind::MissingIndex,
                        t,
                        Some(i),
                        Severity::Warning,
                        format!("index exists in {from_env} but not in {to_env}"),
                    )
                    .with_sql(format!("{fdef};")),
                ),
                Some(tdef) if same_engine && tdef != fdef => out.push(
                    Finding::in_table(
                        Area::Schema,
                        FindingKind::ChangedIndex,
                        t,
                        Some(i),
                        Severity::Warning,
                        format!(
                            "index definition differs: {fdef} in {from_env}, {tdef} in {to_env}"
                        ),
                    )
                    .with_sql(format!("DROP INDEX {};\n{fdef};", ident(i))),
                ),
                Some(_) => {}
            }
        }
        for i in tt.indexes.keys() {
            if !ft.indexes.contains_key(i) && !backs_constraint(to, t, i) {
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
