//! A finding's two sides for the window's side-by-side view, from the two snapshots: a
//! table's columns and types, the applied migrations, or the env files' keys. Structure
//! only: a config value is compared here and never leaves as anything but a state.

use serde::Serialize;
use ts_rs::TS;

use super::{Area, FindingKind, KeyPart, KeyParts};
use crate::snapshot::{Column, EnvFile, Migrations, Schema};

/// How one line of a side-by-side view compares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export_to = "SideState.ts")]
pub enum SideState {
    Equal,
    Different,
    /// In `from` only: missing in `to`.
    Missing,
    /// In `to` only.
    Extra,
}

fn state(in_from: bool, in_to: bool, equal: bool) -> SideState {
    match (in_from, in_to) {
        (true, false) => SideState::Missing,
        (false, true) => SideState::Extra,
        _ if equal => SideState::Equal,
        _ => SideState::Different,
    }
}

/// One column as one side has it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export_to = "ColumnSide.ts")]
pub struct ColumnSide {
    pub data_type: String,
    pub nullable: bool,
    pub default: Option<String>,
}

impl From<&Column> for ColumnSide {
    fn from(c: &Column) -> Self {
        ColumnSide {
            data_type: c.data_type.clone(),
            nullable: c.nullable,
            default: c.default.clone(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export_to = "ColumnRow.ts")]
pub struct ColumnRow {
    pub name: String,
    pub from: Option<ColumnSide>,
    pub to: Option<ColumnSide>,
    pub state: SideState,
}

/// A name on one side or both (a migration, an env-file key).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export_to = "NameRow.ts")]
pub struct NameRow {
    pub name: String,
    pub state: SideState,
}

/// What a schema, migration or config finding looks like on both sides.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(tag = "view", rename_all = "snake_case")]
#[ts(export_to = "Sides.ts")]
pub enum Sides {
    /// The finding's table, column by column (`in_from` / `in_to`: whether the table exists).
    Columns {
        table: String,
        in_from: bool,
        in_to: bool,
        columns: Vec<ColumnRow>,
        /// The command that runs the project's migrations, when the migration table tells.
        migrate_command: Option<String>,
    },
    /// Every applied migration of either side, in name order.
    Migrations {
        from_table: Option<String>,
        to_table: Option<String>,
        migrations: Vec<NameRow>,
        migrate_command: Option<String>,
    },
    /// Every key of either env file: equal, different, missing or extra. Never a value.
    ConfigKeys {
        from_file: Option<String>,
        to_file: Option<String>,
        keys: Vec<NameRow>,
    },
    /// Nothing to lay out side by side for this finding (a view, a function, an extension…).
    None,
}

/// The command that runs the project's migrations, by its migration table; `None` when
/// envdeck cannot know it (no migration table, or one several tools use).
pub fn migrate_command(migration_table: Option<&str>) -> Option<&'static str> {
    Some(match migration_table? {
        "_prisma_migrations" => "npx prisma migrate deploy",
        "supabase_migrations.schema_migrations" => "supabase db push",
        "_sqlx_migrations" => "sqlx migrate run",
        "knex_migrations" => "npx knex migrate:latest",
        "django_migrations" => "python manage.py migrate",
        _ => return None,
    })
}

/// The schema finding's table, column by column; `Sides::None` for objects without one.
pub fn columns(
    from: &Schema,
    to: &Schema,
    key: &KeyParts,
    kind: FindingKind,
    migration_table: Option<&str>,
) -> Sides {
    let table = match (&key.subject, kind, key.parts.first()) {
        (Some(t), _, _) => t.clone(),
        // Row-level security and a few others name the table as the key itself.
        (None, FindingKind::RlsDisabled, Some(KeyPart::Text(t))) => t.clone(),
        _ => return Sides::None,
    };
    let (a, b) = (from.tables.get(&table), to.tables.get(&table));
    if a.is_none() && b.is_none() {
        return Sides::None;
    }
    let empty = Default::default();
    let ca = a.map(|t| &t.columns).unwrap_or(&empty);
    let cb = b.map(|t| &t.columns).unwrap_or(&empty);
    let mut names: Vec<&String> = ca.keys().chain(cb.keys()).collect();
    names.sort();
    names.dedup();
    // Types are engine-specific text: two engines' types are not called different.
    let same_engine = from.engine == to.engine;
    let columns = names
        .into_iter()
        .map(|n| {
            let (x, y) = (ca.get(n), cb.get(n));
            let equal = match (x, y) {
                (Some(x), Some(y)) => {
                    x.nullable == y.nullable
                        && (!same_engine || (x.data_type == y.data_type && x.default == y.default))
                }
                _ => false,
            };
            ColumnRow {
                name: n.clone(),
                from: x.map(ColumnSide::from),
                to: y.map(ColumnSide::from),
                state: state(x.is_some(), y.is_some(), equal),
            }
        })
        .collect();
    Sides::Columns {
        table,
        in_from: a.is_some(),
        in_to: b.is_some(),
        columns,
        migrate_command: migrate_command(migration_table).map(str::to_string),
    }
}

/// Both sides' applied migrations, in name order.
pub fn migrations(from: Option<&Migrations>, to: Option<&Migrations>) -> Sides {
    let list = |m: Option<&Migrations>| m.map(|m| m.applied.clone()).unwrap_or_default();
    let (a, b) = (list(from), list(to));
    let mut names: Vec<&String> = a.iter().chain(b.iter()).collect();
    names.sort();
    names.dedup();
    let table = from.or(to).map(|m| m.table.as_str());
    Sides::Migrations {
        from_table: from.map(|m| m.table.clone()),
        to_table: to.map(|m| m.table.clone()),
        migrations: names
            .into_iter()
            .map(|n| NameRow {
                name: n.clone(),
                state: state(a.contains(n), b.contains(n), true),
            })
            .collect(),
        migrate_command: migrate_command(table).map(str::to_string),
    }
}

/// Both env files' keys as equal / different / missing / extra. The values are compared
/// here, inside the engine, and only the state leaves.
pub fn config_keys(from: Option<&EnvFile>, to: Option<&EnvFile>) -> Sides {
    let name = |f: Option<&EnvFile>| {
        f.and_then(|f| f.path.file_name())
            .map(|n| n.to_string_lossy().into_owned())
    };
    let empty = Default::default();
    let va = from.map(|f| &f.vars).unwrap_or(&empty);
    let vb = to.map(|f| &f.vars).unwrap_or(&empty);
    let mut keys: Vec<&String> = va.keys().chain(vb.keys()).collect();
    keys.sort();
    keys.dedup();
    Sides::ConfigKeys {
        from_file: name(from),
        to_file: name(to),
        keys: keys
            .into_iter()
            .map(|k| {
                let (x, y) = (va.get(k), vb.get(k));
                let equal = matches!((x, y), (Some(x), Some(y)) if x.expose() == y.expose());
                NameRow {
                    name: k.clone(),
                    state: state(x.is_some(), y.is_some(), equal),
                }
            })
            .collect(),
    }
}

/// Which view an area's findings get.
pub fn has_sides(area: Area) -> bool {
    matches!(area, Area::Schema | Area::Migrations | Area::Config)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::secrets::Sensitive;
    use std::collections::BTreeMap;

    fn env(vars: &[(&str, &str)]) -> EnvFile {
        EnvFile {
            path: ".env.x".into(),
            vars: vars
                .iter()
                .map(|(k, v)| (k.to_string(), Sensitive::new(v.to_string())))
                .collect::<BTreeMap<_, _>>(),
        }
    }

    #[test]
    fn config_keys_say_equal_different_missing_extra_and_never_a_value() {
        let a = env(&[("SAME", "v1"), ("DIFF", "hunter2"), ("ONLY_A", "x")]);
        let b = env(&[("SAME", "v1"), ("DIFF", "hunter3"), ("ONLY_B", "y")]);
        let s = config_keys(Some(&a), Some(&b));
        let json = serde_json::to_string(&s).unwrap();
        assert!(!json.contains("hunter") && !json.contains("v1"), "{json}");
        let Sides::ConfigKeys { keys, .. } = s else {
            panic!("{json}")
        };
        let got: Vec<(&str, SideState)> = keys.iter().map(|k| (k.name.as_str(), k.state)).collect();
        assert_eq!(
            got,
            [
                ("DIFF", SideState::Different),
                ("ONLY_A", SideState::Missing),
                ("ONLY_B", SideState::Extra),
                ("SAME", SideState::Equal),
            ]
        );
    }

    #[test]
    fn migrations_name_the_tool_only_when_the_table_tells() {
        let m = |t: &str, a: &[&str]| Migrations {
            table: t.into(),
            applied: a.iter().map(|s| s.to_string()).collect(),
        };
        let Sides::Migrations {
            migrations: rows,
            migrate_command,
            ..
        } = migrations(
            Some(&m("_prisma_migrations", &["001", "002"])),
            Some(&m("_prisma_migrations", &["001", "009"])),
        )
        else {
            panic!()
        };
        assert_eq!(
            migrate_command.as_deref(),
            Some("npx prisma migrate deploy")
        );
        assert_eq!(
            rows.iter().map(|r| r.state).collect::<Vec<_>>(),
            [SideState::Equal, SideState::Missing, SideState::Extra]
        );
        let Sides::Migrations {
            migrate_command, ..
        } = migrations(Some(&m("schema_migrations", &[])), None)
        else {
            panic!()
        };
        assert_eq!(
            migrate_command, None,
            "schema_migrations is used by many tools"
        );
    }
}
