//! What to do about schema drift: the SQL that would make the target like the source, in
//! dependency order (`check --sql`), and how each side defines an object (the window's
//! side-by-side view). Suggestions only: the fix is the project's migrations, and envdeck
//! never runs DDL on an environment.

use super::schema_objects::{create_policy, ident, lit, object_of};
use super::{Area, Finding, FindingKind as K, KeyPart, KeyParts};
use crate::snapshot::Schema;

/// The order statements apply in: what others depend on first.
pub fn sql_order(kind: K) -> u8 {
    match kind {
        K::MissingExtension | K::ExtensionVersion => 0,
        K::MissingEnum | K::EnumValues => 1,
        K::MissingTable => 2,
        K::MissingColumn | K::ColumnType => 3,
        K::MissingFunction | K::ChangedFunction => 4,
        K::MissingConstraint | K::ChangedConstraint => 5,
        K::MissingIndex | K::ChangedIndex => 6,
        K::MissingView | K::ChangedView => 7,
        K::MissingTrigger | K::ChangedTrigger => 8,
        K::RlsDisabled => 9,
        K::MissingPolicy | K::ChangedPolicy => 10,
        K::Publication => 11,
        _ => 12,
    }
}

/// The command that runs the project's migrations, by the migration table found.
fn migrate_command(migration_table: Option<&str>) -> &'static str {
    match migration_table {
        Some("schema_migrations") => "bin/rails db:migrate (or your schema_migrations tool)",
        t => super::sides::migrate_command(t).unwrap_or("your migration tool"),
    }
}

/// The schema findings' SQL as one script, in dependency order, for `check --sql`. Only a
/// suggestion: its first lines say that running the project's migrations is the fix.
pub fn sql_script(findings: &[Finding], to_env: &str, migration_table: Option<&str>) -> String {
    let mut with_sql: Vec<&Finding> = findings
        .iter()
        .filter(|f| f.area == Area::Schema && f.sql.is_some())
        .collect();
    with_sql.sort_by_key(|f| (sql_order(f.kind), f.key.clone()));
    let mut out = format!(
        "-- envdeck: what would make {to_env}'s schema match, as a suggestion only.\n\
         -- The right fix is to run this project's migrations against {to_env}: {}\n\
         -- envdeck never runs DDL on an environment.\n",
        migrate_command(migration_table)
    );
    // An index that a constraint being added creates (unique, exclusion) is not created twice.
    let constraint_names: Vec<&str> = with_sql
        .iter()
        .filter(|f| f.kind == K::MissingConstraint)
        .filter_map(|f| f.key_parts.parts.first())
        .filter_map(|p| match p {
            KeyPart::Text(t) => Some(t.as_str()),
            _ => None,
        })
        .collect();
    // A missing table's indexes and constraints wait until every table exists.
    let mut later: Vec<String> = Vec::new();
    let mut emitted = std::collections::BTreeSet::new();
    for f in with_sql {
        if f.kind == K::MissingIndex
            && f.key_parts.parts.first().is_some_and(
                |p| matches!(p, KeyPart::Text(t) if constraint_names.contains(&t.as_str())),
            )
        {
            continue;
        }
        // After the columns and functions, before the other constraints and indexes.
        if sql_order(f.kind) >= 5 && !later.is_empty() {
            for l in later.drain(..) {
                out.push_str(&l);
            }
        }
        out.push_str(&format!("\n-- {} {}\n", f.kind, f.key));
        if f.kind == K::MissingTable {
            let sql = f.sql.as_deref().unwrap_or_default();
            let (table, rest) = sql
                .split_once(super::schema::TABLE_PARTS)
                .unwrap_or((sql, ""));
            out.push_str(table);
            out.push('\n');
            if !rest.trim().is_empty() {
                later.push(format!(
                    "\n-- {} {} (indexes and constraints)\n{}\n",
                    f.kind,
                    f.key,
                    rest.trim()
                ));
            }
            continue;
        }
        // A statement two findings need (one CREATE PUBLICATION for two tables) runs once.
        for line in f.sql.as_deref().unwrap_or_default().split_inclusive('\n') {
            let statement = line.trim_end();
            if statement.starts_with("CREATE PUBLICATION") && !emitted.insert(statement.to_string())
            {
                continue;
            }
            out.push_str(line);
        }
        out.push('\n');
    }
    for l in later {
        out.push_str(&l);
    }
    out
}

/// How `schema` defines the object a schema finding is about, as SQL, for the window's
/// side-by-side view; `None` when the object is not there.
pub fn definition(schema: &Schema, kind: K, parts: &KeyParts) -> Option<String> {
    let o = &schema.objects;
    let texts: Vec<&str> = parts
        .parts
        .iter()
        .filter_map(|p| match p {
            KeyPart::Text(t) => Some(t.as_str()),
            _ => None,
        })
        .collect();
    let part = || texts.first().copied();
    let table = parts.subject.as_deref().or(part()).unwrap_or_default();
    // The key as the finding wrote it: `name`, `table.object` or `publication/table`.
    let key = match (parts.subject.as_deref(), texts.as_slice()) {
        (Some(t), [p, ..]) => format!("{t}.{p}"),
        (Some(t), []) => t.to_string(),
        (None, [p, t]) if kind == K::Publication => format!("{p}/{t}"),
        (None, [p, ..]) => p.to_string(),
        (None, []) => String::new(),
    };
    let key = key.as_str();
    match kind {
        K::MissingTable | K::ExtraTable => schema
            .tables
            .get(table)
            .map(|t| super::schema::create_table(table, t, schema)),
        K::MissingColumn | K::ExtraColumn | K::ColumnType => {
            let c = part()?;
            let col = schema.tables.get(table)?.columns.get(c)?;
            Some(super::schema::column_sql(c, col))
        }
        K::MissingIndex | K::ExtraIndex | K::ChangedIndex => schema
            .tables
            .get(table)?
            .indexes
            .get(part()?)
            .map(|d| format!("{d};")),
        K::MissingExtension | K::ExtraExtension | K::ExtensionVersion => o
            .extensions
            .get(key)
            .map(|v| format!("CREATE EXTENSION {} VERSION {};", ident(key), lit(v))),
        K::MissingEnum | K::ExtraEnum | K::EnumValues => o.enums.get(key).map(|v| {
            format!(
                "CREATE TYPE {} AS ENUM ({});",
                ident(key),
                v.iter().map(|x| lit(x)).collect::<Vec<_>>().join(", ")
            )
        }),
        K::MissingConstraint | K::ExtraConstraint | K::ChangedConstraint => {
            o.constraints.get(key).map(|c| {
                format!(
                    "ALTER TABLE {} ADD CONSTRAINT {} {};",
                    ident(&c.table),
                    ident(object_of(key, &c.table)),
                    c.definition
                )
            })
        }
        K::MissingView | K::ExtraView | K::ChangedView => {
            o.views.get(key).map(|v| v.definition.clone())
        }
        K::MissingFunction | K::ExtraFunction | K::ChangedFunction => {
            o.functions.get(key).map(|f| f.definition.clone())
        }
        K::MissingTrigger | K::ExtraTrigger | K::ChangedTrigger => {
            o.triggers.get(key).map(|t| t.definition.clone())
        }
        K::MissingPolicy | K::ExtraPolicy | K::ChangedPolicy => o
            .policies
            .get(key)
            .map(|p| create_policy(object_of(key, &p.table), p)),
        K::RlsDisabled => schema.tables.get(key).map(|_| {
            format!(
                "ALTER TABLE {} {} ROW LEVEL SECURITY;",
                ident(key),
                if o.rls.contains(key) {
                    "ENABLE"
                } else {
                    "DISABLE"
                }
            )
        }),
        K::Publication => o.publications.contains(key).then(|| {
            let (p, t) = key.split_once('/').unwrap_or((key, ""));
            format!("ALTER PUBLICATION {} ADD TABLE {};", ident(p), ident(t))
        }),
        _ => None,
    }
}
