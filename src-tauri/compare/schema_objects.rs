//! Schema objects beyond tables and columns: extensions, enums, constraints, views,
//! functions, triggers, row-level security, policies, publications. Definitions compare
//! normalized (see [`crate::snapshot::normalized`]); each finding carries the SQL that would
//! make `to` like `from` (a suggestion: the fix is the project's migrations). An object on a
//! table or column that is missing altogether is folded into that finding.

use super::{Area, Finding, FindingKind as K, KeyPart, KeyParts, Severity};
use crate::snapshot::{Function, Policy, Schema, normalized};

/// `"name"` unless it is a plain identifier; `schema.name` quotes each part.
pub(super) fn ident(name: &str) -> String {
    name.split('.')
        .map(|p| {
            let plain = p
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_lowercase() || c == '_')
                && p.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
            if plain {
                p.to_string()
            } else {
                format!("\"{}\"", p.replace('"', "\"\""))
            }
        })
        .collect::<Vec<_>>()
        .join(".")
}

pub(super) fn lit(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

fn named(area_kind: K, key: &str, severity: Severity, detail: String) -> Finding {
    Finding::new(Area::Schema, area_kind, key, severity, detail)
}

/// `table.object` keys: subject the table, the object the part.
fn on_table(kind: K, table: &str, object: &str, severity: Severity, detail: String) -> Finding {
    Finding::new(
        Area::Schema,
        kind,
        format!("{table}.{object}"),
        severity,
        detail,
    )
    .with_parts(KeyParts::of(Some(table), vec![KeyPart::text(object)]))
}

/// The object's own name from a `table.object` key.
pub(super) fn object_of<'a>(key: &'a str, table: &str) -> &'a str {
    key.strip_prefix(table)
        .and_then(|r| r.strip_prefix('.'))
        .unwrap_or(key)
}

pub fn objects(
    from_env: &str,
    to_env: &str,
    from: &Schema,
    to: &Schema,
    to_protected: bool,
) -> Vec<Finding> {
    let (a, b) = (&from.objects, &to.objects);
    let mut out = Vec::new();
    // Objects on a table (or column) missing on one side are folded into that finding.
    let table_in = |s: &Schema, t: &str| s.tables.contains_key(t);
    let columns_in = |s: &Schema, t: &str, cols: &[String]| {
        s.tables
            .get(t)
            .is_some_and(|tab| cols.iter().all(|c| tab.columns.contains_key(c)))
    };

    for (name, v) in &a.extensions {
        match b.extensions.get(name) {
            None => out.push(
                named(
                    K::MissingExtension,
                    name,
                    Severity::Warning,
                    format!("extension {name} {v} is installed in {from_env} but not in {to_env}: what needs it (indexes, functions) will fail there"),
                )
                .with_sql(format!("CREATE EXTENSION IF NOT EXISTS {};", ident(name))),
            ),
            Some(w) if w != v => out.push(
                named(
                    K::ExtensionVersion,
                    name,
                    Severity::Warning,
                    format!("extension {name} is {v} in {from_env}, {w} in {to_env}"),
                )
                .with_sql(format!("ALTER EXTENSION {} UPDATE TO {};", ident(name), lit(v))),
            ),
            Some(_) => {}
        }
    }
    for (name, w) in &b.extensions {
        if !a.extensions.contains_key(name) {
            out.push(named(
                K::ExtraExtension,
                name,
                Severity::Info,
                format!("extension {name} {w} is installed in {to_env} only"),
            ));
        }
    }

    for (name, values) in &a.enums {
        match b.enums.get(name) {
            None => out.push(
                named(
                    K::MissingEnum,
                    name,
                    Severity::Warning,
                    format!(
                        "enum type {name} ({}) exists in {from_env} but not in {to_env}",
                        values.join(", ")
                    ),
                )
                .with_sql(format!(
                    "CREATE TYPE {} AS ENUM ({});",
                    ident(name),
                    values.iter().map(|v| lit(v)).collect::<Vec<_>>().join(", ")
                )),
            ),
            Some(other) if other != values => {
                out.push(enum_values(name, values, other, from_env, to_env));
            }
            Some(_) => {}
        }
    }
    for name in b.enums.keys() {
        if !a.enums.contains_key(name) {
            out.push(named(
                K::ExtraEnum,
                name,
                Severity::Info,
                format!("enum type {name} exists in {to_env} only"),
            ));
        }
    }

    for (key, c) in &a.constraints {
        let name = object_of(key, &c.table);
        let add = format!(
            "ALTER TABLE {} ADD CONSTRAINT {} {};",
            ident(&c.table),
            ident(name),
            c.definition
        );
        match b.constraints.get(key) {
            None if table_in(to, &c.table) && columns_in(to, &c.table, &c.columns) => out.push(
                on_table(
                    K::MissingConstraint,
                    &c.table,
                    name,
                    Severity::Warning,
                    format!("{} exists in {from_env} but not in {to_env}", c.definition),
                )
                .with_sql(add),
            ),
            Some(d) if normalized(&d.definition) != normalized(&c.definition) => out.push(
                on_table(
                    K::ChangedConstraint,
                    &c.table,
                    name,
                    Severity::Warning,
                    format!(
                        "{} in {from_env}, {} in {to_env}",
                        c.definition, d.definition
                    ),
                )
                .with_sql(format!(
                    "ALTER TABLE {} DROP CONSTRAINT {};\n{add}",
                    ident(&c.table),
                    ident(name)
                )),
            ),
            _ => {}
        }
    }
    for (key, c) in &b.constraints {
        if !a.constraints.contains_key(key)
            && table_in(from, &c.table)
            && columns_in(from, &c.table, &c.columns)
        {
            out.push(on_table(
                K::ExtraConstraint,
                &c.table,
                object_of(key, &c.table),
                Severity::Info,
                format!("{} exists in {to_env} only", c.definition),
            ));
        }
    }

    for (name, v) in &a.views {
        let what = if v.materialized {
            "materialized view"
        } else {
            "view"
        };
        let create = if from.engine == crate::connectors::Engine::Sqlite {
            format!("{};", v.definition.trim_end_matches(';'))
        } else {
            format!(
                "CREATE {}VIEW {} AS\n{};",
                if v.materialized { "MATERIALIZED " } else { "" },
                ident(name),
                v.definition.trim_end().trim_end_matches(';')
            )
        };
        match b.views.get(name) {
            None => out.push(
                named(
                    K::MissingView,
                    name,
                    Severity::Warning,
                    format!("{what} {name} exists in {from_env} but not in {to_env}"),
                )
                .with_sql(create),
            ),
            Some(w)
                if normalized(&w.definition) != normalized(&v.definition)
                    || w.materialized != v.materialized =>
            {
                let drop = format!(
                    "DROP {}VIEW {};\n",
                    if w.materialized { "MATERIALIZED " } else { "" },
                    ident(name)
                );
                out.push(
                    named(
                        K::ChangedView,
                        name,
                        Severity::Warning,
                        format!("the definition of {what} {name} differs between {from_env} and {to_env}"),
                    )
                    .with_sql(format!("{drop}{create}")),
                );
            }
            Some(_) => {}
        }
    }
    for name in b.views.keys() {
        if !a.views.contains_key(name) {
            out.push(named(
                K::ExtraView,
                name,
                Severity::Info,
                format!("view {name} exists in {to_env} only"),
            ));
        }
    }

    for (name, f) in &a.functions {
        let create = format!("{};", f.definition.trim_end().trim_end_matches(';'));
        match b.functions.get(name) {
            None => out.push(
                named(
                    K::MissingFunction,
                    name,
                    Severity::Warning,
                    format!(
                        "function {name} ({}) exists in {from_env} but not in {to_env}",
                        f.language
                    ),
                )
                .with_sql(create),
            ),
            Some(g) => {
                let what = function_differences(f, g);
                if !what.is_empty() {
                    out.push(
                        named(
                            K::ChangedFunction,
                            name,
                            Severity::Warning,
                            format!(
                                "function {name} differs between {from_env} and {to_env}: {}",
                                what.join(", ")
                            ),
                        )
                        .with_sql(create),
                    );
                }
            }
        }
    }
    for name in b.functions.keys() {
        if !a.functions.contains_key(name) {
            out.push(named(
                K::ExtraFunction,
                name,
                Severity::Info,
                format!("function {name} exists in {to_env} only"),
            ));
        }
    }

    for (key, t) in &a.triggers {
        let name = object_of(key, &t.table);
        let create = format!("{};", t.definition.trim_end().trim_end_matches(';'));
        match b.triggers.get(key) {
            None if table_in(to, &t.table) || b.views.contains_key(&t.table) => out.push(
                on_table(
                    K::MissingTrigger,
                    &t.table,
                    name,
                    Severity::Warning,
                    format!(
                        "trigger {name} on {} exists in {from_env} but not in {to_env}",
                        t.table
                    ),
                )
                .with_sql(create),
            ),
            Some(u) if normalized(&u.definition) != normalized(&t.definition) => out.push(
                on_table(
                    K::ChangedTrigger,
                    &t.table,
                    name,
                    Severity::Warning,
                    format!(
                        "trigger {name} on {} differs between {from_env} and {to_env}",
                        t.table
                    ),
                )
                .with_sql(format!(
                    "DROP TRIGGER {}{};\n{create}",
                    ident(name),
                    if from.engine == crate::connectors::Engine::Sqlite {
                        String::new()
                    } else {
                        format!(" ON {}", ident(&t.table))
                    }
                )),
            ),
            _ => {}
        }
    }
    for (key, t) in &b.triggers {
        if !a.triggers.contains_key(key)
            && (table_in(from, &t.table) || a.views.contains_key(&t.table))
        {
            out.push(on_table(
                K::ExtraTrigger,
                &t.table,
                object_of(key, &t.table),
                Severity::Info,
                format!("trigger on {} exists in {to_env} only", t.table),
            ));
        }
    }

    for table in &a.rls {
        if table_in(to, table) && !b.rls.contains(table) {
            let (severity, why) = if to_protected {
                (
                    Severity::Critical,
                    format!(
                        "{to_env} is protected: its rows are readable by every role the policies were meant to restrict"
                    ),
                )
            } else {
                (
                    Severity::Warning,
                    "the policies there are not enforced".to_string(),
                )
            };
            out.push(
                named(
                    K::RlsDisabled,
                    table,
                    severity,
                    format!("row-level security is enabled on {table} in {from_env} but disabled in {to_env}: {why}"),
                )
                .with_parts(KeyParts::of(Some(table), Vec::new()))
                .with_sql(format!("ALTER TABLE {} ENABLE ROW LEVEL SECURITY;", ident(table))),
            );
        }
    }

    for (key, p) in &a.policies {
        let name = object_of(key, &p.table);
        let create = create_policy(name, p);
        match b.policies.get(key) {
            None if table_in(to, &p.table) => out.push(
                on_table(
                    K::MissingPolicy,
                    &p.table,
                    name,
                    Severity::Warning,
                    format!(
                        "policy {name} on {} ({} to {}) exists in {from_env} but not in {to_env}",
                        p.table,
                        p.command,
                        p.roles.join(", ")
                    ),
                )
                .with_sql(create),
            ),
            Some(q) => {
                let what = policy_differences(p, q);
                if !what.is_empty() {
                    out.push(
                        on_table(
                            K::ChangedPolicy,
                            &p.table,
                            name,
                            Severity::Warning,
                            format!(
                                "policy {name} on {} differs between {from_env} and {to_env}: {}",
                                p.table,
                                what.join(", ")
                            ),
                        )
                        .with_sql(format!(
                            "DROP POLICY {} ON {};\n{create}",
                            ident(name),
                            ident(&p.table)
                        )),
                    );
                }
            }
            None => {}
        }
    }
    for (key, p) in &b.policies {
        if !a.policies.contains_key(key) && table_in(from, &p.table) {
            out.push(on_table(
                K::ExtraPolicy,
                &p.table,
                object_of(key, &p.table),
                Severity::Info,
                format!("policy on {} exists in {to_env} only", p.table),
            ));
        }
    }

    for entry in &a.publications {
        let Some((publication, table)) = entry.split_once('/') else {
            continue;
        };
        if !b.publications.contains(entry) && table_in(to, table) {
            out.push(
                named(
                    K::Publication,
                    entry,
                    Severity::Warning,
                    format!("{table} is in publication {publication} in {from_env} but not in {to_env}: its changes are not published there (realtime stays silent)"),
                )
                .with_parts(KeyParts::of(
                    None,
                    vec![KeyPart::text(publication), KeyPart::text(table)],
                ))
                .with_sql(format!(
                    "{}ALTER PUBLICATION {} ADD TABLE {};",
                    if b.publication_names.contains(publication) {
                        String::new()
                    } else {
                        format!("CREATE PUBLICATION {};\n", ident(publication))
                    },
                    ident(publication),
                    ident(table)
                )),
            );
        }
    }
    out
}

/// Values added (with where) and removed, in the type's order.
fn enum_values(
    name: &str,
    from: &[String],
    to: &[String],
    from_env: &str,
    to_env: &str,
) -> Finding {
    let added: Vec<&String> = from.iter().filter(|v| !to.contains(v)).collect();
    let removed: Vec<&String> = to.iter().filter(|v| !from.contains(v)).collect();
    let mut what = Vec::new();
    let mut sql = Vec::new();
    for v in &added {
        let i = from.iter().position(|x| x == *v).unwrap_or(0);
        // Placed before the next value both sides have, else after the previous one.
        let next = from[i + 1..].iter().find(|x| to.contains(x));
        let prev = from[..i].iter().rev().find(|x| to.contains(x));
        let place = match (next, prev) {
            (Some(n), _) => format!(" BEFORE {}", lit(n)),
            (None, Some(p)) => format!(" AFTER {}", lit(p)),
            _ => String::new(),
        };
        sql.push(format!(
            "ALTER TYPE {} ADD VALUE IF NOT EXISTS {}{place};",
            ident(name),
            lit(v)
        ));
    }
    if !added.is_empty() {
        what.push(format!(
            "{} in {from_env} only",
            added
                .iter()
                .map(|v| v.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    if !removed.is_empty() {
        what.push(format!(
            "{} in {to_env} only",
            removed
                .iter()
                .map(|v| v.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ));
        sql.push(format!(
            "-- {} cannot drop enum values: {} stays in {to_env}",
            "PostgreSQL",
            removed
                .iter()
                .map(|v| v.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    if added.is_empty() && removed.is_empty() {
        what.push(format!(
            "the values are in another order ({} in {from_env})",
            from.join(", ")
        ));
    }
    named(
        K::EnumValues,
        name,
        Severity::Warning,
        format!("enum type {name}: {}", what.join("; ")),
    )
    .with_sql(sql.join("\n"))
}

fn function_differences(f: &Function, g: &Function) -> Vec<&'static str> {
    let mut what = Vec::new();
    if normalized(&f.definition) != normalized(&g.definition) {
        what.push("body");
    }
    if f.language != g.language {
        what.push("language");
    }
    if f.volatility != g.volatility {
        what.push("volatility");
    }
    if f.security_definer != g.security_definer {
        what.push("security definer");
    }
    // The definition text carries the header too: name the body only when nothing else
    // explains the difference.
    if what.len() > 1 {
        what.retain(|w| *w != "body");
    }
    what
}

fn policy_differences(p: &Policy, q: &Policy) -> Vec<&'static str> {
    let n = |x: &Option<String>| x.as_deref().map(normalized);
    let mut what = Vec::new();
    if p.command != q.command {
        what.push("command");
    }
    if p.permissive != q.permissive {
        what.push("permissive/restrictive");
    }
    if p.roles != q.roles {
        what.push("roles");
    }
    if n(&p.using) != n(&q.using) {
        what.push("USING");
    }
    if n(&p.with_check) != n(&q.with_check) {
        what.push("WITH CHECK");
    }
    what
}

pub(super) fn create_policy(name: &str, p: &Policy) -> String {
    let mut s = format!(
        "CREATE POLICY {} ON {} AS {} FOR {} TO {}",
        ident(name),
        ident(&p.table),
        p.permissive,
        p.command,
        p.roles
            .iter()
            .map(|r| if r == "public" {
                "PUBLIC".to_string()
            } else {
                ident(r)
            })
            .collect::<Vec<_>>()
            .join(", ")
    );
    if let Some(u) = &p.using {
        s.push_str(&format!(" USING ({u})"));
    }
    if let Some(c) = &p.with_check {
        s.push_str(&format!(" WITH CHECK ({c})"));
    }
    s.push(';');
    s
}
