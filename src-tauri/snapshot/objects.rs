//! Schema objects beyond tables and columns: extensions, enum types, constraints, views,
//! functions, triggers, row-level security, policies and publications (PostgreSQL), and
//! triggers and views (SQLite). One catalog query per kind of object; definitions come from
//! the server's own deparse (`pg_get_constraintdef`, `pg_get_viewdef`, `pg_get_functiondef`,
//! `pg_get_triggerdef`), so two databases built by the same migrations read the same.
//! Objects that belong to an extension are left out.

use std::collections::{BTreeMap, BTreeSet};

use super::schema::val;
use crate::connectors::Connection;
use crate::error::Result;

/// A constraint: its table, the columns it is on, and its definition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Constraint {
    pub table: String,
    pub columns: Vec<String>,
    /// `FOREIGN KEY (x) REFERENCES t(id) ON DELETE SET NULL`, `CHECK (…)`, `UNIQUE (…)`.
    pub definition: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct View {
    pub materialized: bool,
    /// The query, as the server deparses it.
    pub definition: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Function {
    /// `CREATE OR REPLACE FUNCTION …`, as the server gives it.
    pub definition: String,
    pub language: String,
    /// `immutable`, `stable` or `volatile`.
    pub volatility: String,
    pub security_definer: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Trigger {
    pub table: String,
    /// `CREATE TRIGGER …`, as the server gives it (SQLite: as written).
    pub definition: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Policy {
    pub table: String,
    /// `PERMISSIVE` or `RESTRICTIVE`.
    pub permissive: String,
    /// `ALL`, `SELECT`, `INSERT`, `UPDATE` or `DELETE`.
    pub command: String,
    pub roles: Vec<String>,
    pub using: Option<String>,
    pub with_check: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Objects {
    /// Extension → version.
    pub extensions: BTreeMap<String, String>,
    /// Enum type → its values, in order.
    pub enums: BTreeMap<String, Vec<String>>,
    /// `table.constraint` → constraint.
    pub constraints: BTreeMap<String, Constraint>,
    pub views: BTreeMap<String, View>,
    /// `name(argument types)` → function.
    pub functions: BTreeMap<String, Function>,
    /// `table.trigger` → trigger.
    pub triggers: BTreeMap<String, Trigger>,
    /// Tables with row-level security enabled.
    pub rls: BTreeSet<String>,
    /// `table.policy` → policy.
    pub policies: BTreeMap<String, Policy>,
    /// `publication/table`.
    pub publications: BTreeSet<String>,
    /// Every publication, with tables or without.
    pub publication_names: BTreeSet<String>,
}

fn qualified(schema: &str, name: &str) -> String {
    if schema == "public" {
        name.to_string()
    } else {
        format!("{schema}.{name}")
    }
}

/// Not owned by an extension (pg_trgm's functions, PostGIS' views…).
const NOT_EXTENSION_OWNED: &str =
    "NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = {oid} AND d.deptype = 'e')";

fn own(oid: &str) -> String {
    NOT_EXTENSION_OWNED.replace("{oid}", oid)
}

pub async fn postgres(conn: &mut Connection, schemas: &[String]) -> Result<Objects> {
    let list = schemas
        .iter()
        .map(|s| format!("'{}'", s.replace('\'', "''")))
        .collect::<Vec<_>>()
        .join(",");
    let mut o = Objects::default();
    for r in conn
        .fetch_text("SELECT extname::text, extversion::text FROM pg_extension")
        .await?
    {
        o.extensions.insert(val(&r[0]), val(&r[1]));
    }
    let enums = format!(
        "SELECT n.nspname::text, t.typname::text,
                string_agg(e.enumlabel::text, E'\\x1f' ORDER BY e.enumsortorder)
         FROM pg_type t
         JOIN pg_enum e ON e.enumtypid = t.oid
         JOIN pg_namespace n ON n.oid = t.typnamespace
         WHERE n.nspname IN ({list}) AND {}
         GROUP BY 1, 2",
        own("t.oid")
    );
    for r in conn.fetch_text(&enums).await? {
        let values = val(&r[2]).split('\u{1f}').map(str::to_string).collect();
        o.enums.insert(qualified(&val(&r[0]), &val(&r[1])), values);
    }
    let constraints = format!(
        "SELECT n.nspname::text, c.relname::text, con.conname::text,
                pg_get_constraintdef(con.oid, true),
                array_to_string(ARRAY(SELECT a.attname::text FROM pg_attribute a
                                      WHERE a.attrelid = con.conrelid AND a.attnum = ANY(con.conkey)
                                      ORDER BY a.attnum), ',')
         FROM pg_constraint con
         JOIN pg_class c ON c.oid = con.conrelid
         JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE n.nspname IN ({list}) AND con.contype IN ('f', 'u', 'c', 'x') AND c.relkind IN ('r', 'p')
           AND {}",
        own("c.oid")
    );
    for r in conn.fetch_text(&constraints).await? {
        let table = qualified(&val(&r[0]), &val(&r[1]));
        let columns = val(&r[4])
            .split(',')
            .filter(|c| !c.is_empty())
            .map(str::to_string)
            .collect();
        o.constraints.insert(
            format!("{table}.{}", val(&r[2])),
            Constraint {
                table,
                columns,
                definition: val(&r[3]),
            },
        );
    }
    let views = format!(
        "SELECT n.nspname::text, c.relname::text, CAST(c.relkind AS TEXT), pg_get_viewdef(c.oid, true)
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE c.relkind IN ('v', 'm') AND n.nspname IN ({list}) AND {}",
        own("c.oid")
    );
    for r in conn.fetch_text(&views).await? {
        o.views.insert(
            qualified(&val(&r[0]), &val(&r[1])),
            View {
                materialized: r[2].as_deref() == Some("m"),
                definition: val(&r[3]),
            },
        );
    }
    let functions = format!(
        "SELECT n.nspname::text, p.proname::text, pg_get_function_identity_arguments(p.oid),
                pg_get_functiondef(p.oid), l.lanname::text,
                CASE p.provolatile WHEN 'i' THEN 'immutable' WHEN 's' THEN 'stable' ELSE 'volatile' END,
                CAST(p.prosecdef AS TEXT)
         FROM pg_proc p
         JOIN pg_namespace n ON n.oid = p.pronamespace
         JOIN pg_language l ON l.oid = p.prolang
         WHERE n.nspname IN ({list}) AND p.prokind IN ('f', 'p') AND {}",
        own("p.oid")
    );
    for r in conn.fetch_text(&functions).await? {
        o.functions.insert(
            format!("{}({})", qualified(&val(&r[0]), &val(&r[1])), val(&r[2])),
            Function {
                definition: val(&r[3]),
                language: val(&r[4]),
                volatility: val(&r[5]),
                security_definer: r[6].as_deref() == Some("true"),
            },
        );
    }
    let triggers = format!(
        "SELECT n.nspname::text, c.relname::text, t.tgname::text, pg_get_triggerdef(t.oid, true)
         FROM pg_trigger t
         JOIN pg_class c ON c.oid = t.tgrelid
         JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE NOT t.tgisinternal AND n.nspname IN ({list}) AND {}",
        own("t.oid")
    );
    for r in conn.fetch_text(&triggers).await? {
        let table = qualified(&val(&r[0]), &val(&r[1]));
        o.triggers.insert(
            format!("{table}.{}", val(&r[2])),
            Trigger {
                table,
                definition: val(&r[3]),
            },
        );
    }
    let rls = format!(
        "SELECT n.nspname::text, c.relname::text FROM pg_class c
         JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE c.relrowsecurity AND c.relkind IN ('r', 'p') AND n.nspname IN ({list})"
    );
    for r in conn.fetch_text(&rls).await? {
        o.rls.insert(qualified(&val(&r[0]), &val(&r[1])));
    }
    let policies = format!(
        "SELECT schemaname::text, tablename::text, policyname::text, permissive::text,
                array_to_string(roles, ','), cmd::text, qual::text, with_check::text
         FROM pg_policies WHERE schemaname IN ({list})"
    );
    for r in conn.fetch_text(&policies).await? {
        let table = qualified(&val(&r[0]), &val(&r[1]));
        let mut roles: Vec<String> = val(&r[4]).split(',').map(str::to_string).collect();
        roles.sort();
        o.policies.insert(
            format!("{table}.{}", val(&r[2])),
            Policy {
                table,
                permissive: val(&r[3]),
                command: val(&r[5]),
                roles,
                using: r[6].clone(),
                with_check: r[7].clone(),
            },
        );
    }
    for r in conn
        .fetch_text("SELECT pubname::text FROM pg_publication")
        .await?
    {
        o.publication_names.insert(val(&r[0]));
    }
    let publications = format!(
        "SELECT pubname::text, schemaname::text, tablename::text FROM pg_publication_tables
         WHERE schemaname IN ({list})"
    );
    for r in conn.fetch_text(&publications).await? {
        o.publications.insert(format!(
            "{}/{}",
            val(&r[0]),
            qualified(&val(&r[1]), &val(&r[2]))
        ));
    }
    Ok(o)
}

/// SQLite keeps triggers and views as the SQL that created them.
pub async fn sqlite(conn: &mut Connection) -> Result<Objects> {
    let mut o = Objects::default();
    for r in conn
        .fetch_text(
            "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE type IN ('trigger', 'view') AND sql IS NOT NULL",
        )
        .await?
    {
        let (kind, name, table, sql) = (val(&r[0]), val(&r[1]), val(&r[2]), val(&r[3]));
        if kind == "view" {
            o.views.insert(
                name,
                View {
                    materialized: false,
                    definition: sql,
                },
            );
        } else {
            o.triggers.insert(
                format!("{table}.{name}"),
                Trigger {
                    table,
                    definition: sql,
                },
            );
        }
    }
    Ok(o)
}

/// A definition as it should compare: whitespace runs collapsed, unquoted text lower-cased,
/// quotes around plain lower-case identifiers dropped, a trailing `;` ignored; string
/// literals and quoted identifiers kept as typed. Two definitions that differ only
/// in how they were typed compare equal.
pub fn normalized(def: &str) -> String {
    let mut out = String::with_capacity(def.len());
    let mut chars = def.chars().peekable();
    let mut in_string = false;
    let mut last_space = true;
    while let Some(c) = chars.next() {
        if in_string {
            out.push(c);
            if c == '\'' {
                in_string = false;
            }
            continue;
        }
        match c {
            '\'' => {
                in_string = true;
                last_space = false;
                out.push(c);
            }
            '"' => {
                // "name" → name when name is a plain lower-case identifier.
                let mut ident = String::new();
                let mut closed = false;
                for n in chars.by_ref() {
                    if n == '"' {
                        closed = true;
                        break;
                    }
                    ident.push(n);
                }
                let plain = !ident.is_empty()
                    && ident
                        .chars()
                        .next()
                        .is_some_and(|f| f.is_ascii_lowercase() || f == '_')
                    && ident
                        .chars()
                        .all(|x| x.is_ascii_lowercase() || x.is_ascii_digit() || x == '_');
                if plain && closed {
                    out.push_str(&ident);
                } else {
                    out.push('"');
                    out.push_str(&ident);
                    if closed {
                        out.push('"');
                    }
                }
                last_space = false;
            }
            c if c.is_whitespace() => {
                if !last_space {
                    out.push(' ');
                    last_space = true;
                }
            }
            c => {
                // No space is needed around punctuation: `f( a )` and `f(a)` are one.
                if matches!(
                    c,
                    '(' | ')' | ',' | ';' | '=' | '<' | '>' | '+' | '-' | '*' | '/'
                ) && out.ends_with(' ')
                {
                    out.pop();
                }
                // Unquoted SQL is case-insensitive: `after update` is `AFTER UPDATE`.
                out.push(c.to_ascii_lowercase());
                last_space = matches!(c, '(' | ',' | '=' | '<' | '>' | '+' | '-' | '*' | '/');
            }
        }
    }
    let trimmed = out.trim().trim_end_matches(';').trim_end();
    trimmed.to_string()
}

#[cfg(test)]
mod tests {
    use super::normalized;

    #[test]
    fn typing_differences_do_not_count() {
        assert_eq!(
            normalized("BEGIN\n  NEW.\"updated_at\" := now();\n  RETURN NEW;\nEND;"),
            normalized("BEGIN NEW.updated_at := now(); RETURN NEW; END")
        );
        assert_eq!(normalized("f( a , b )"), normalized("f(a,b)"));
        assert_ne!(
            normalized("'a  b'"),
            normalized("'a b'"),
            "strings are kept as typed"
        );
        assert_ne!(
            normalized("\"Mixed\""),
            normalized("mixed"),
            "quoted case matters"
        );
    }

    #[test]
    fn keyword_case_does_not_count() {
        assert_eq!(
            normalized("after update on t begin end"),
            normalized("AFTER UPDATE ON t BEGIN END")
        );
    }
}
