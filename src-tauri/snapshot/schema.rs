//! The schema of an environment's database: tables, columns (their real types), indexes,
//! and (see [`super::objects`]) every other object migrations create. A handful of catalog
//! queries per environment, not one per object.

use std::collections::BTreeMap;

use super::objects::Objects;
use crate::connectors::{Connection, Engine};
use crate::error::Result;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    pub data_type: String,
    pub nullable: bool,
    pub default: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Table {
    pub columns: BTreeMap<String, Column>,
    /// Index name → definition (engine-specific text).
    pub indexes: BTreeMap<String, String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Schema {
    pub engine: Engine,
    /// `table` for SQLite and the default schema, `schema.table` otherwise.
    pub tables: BTreeMap<String, Table>,
    /// Everything else migrations create: extensions, enums, constraints, views,
    /// functions, triggers, row-level security, policies, publications.
    pub objects: Objects,
}

/// Tables envdeck itself may keep in an environment database: never compared.
pub fn is_own_table(name: &str) -> bool {
    name.starts_with("_envdeck")
}

pub async fn schema(conn: &mut Connection, schemas: &[String]) -> Result<Schema> {
    let mut tables: BTreeMap<String, Table> = BTreeMap::new();
    match conn.engine() {
        Engine::Postgres => {
            let list = schemas
                .iter()
                .map(|s| format!("'{}'", s.replace('\'', "''")))
                .collect::<Vec<_>>()
                .join(",");
            let name = |schema: &str, table: &str| {
                if schema == "public" {
                    table.to_string()
                } else {
                    format!("{schema}.{table}")
                }
            };
            let cols = conn
                .fetch_text(&format!(
                    "SELECT c.table_schema::text, c.table_name::text, c.column_name::text,
                            format_type(a.atttypid, a.atttypmod), c.is_nullable::text, c.column_default::text
                     FROM information_schema.columns c
                     JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
                     JOIN pg_attribute a ON a.attrelid = (quote_ident(c.table_schema) || '.' || quote_ident(c.table_name))::regclass
                                        AND a.attname = c.column_name
                     WHERE c.table_schema IN ({list}) AND t.table_type = 'BASE TABLE'
                     ORDER BY 1, 2, c.ordinal_position"
                ))
                .await?;
            for r in cols {
                let (s, t, c) = (val(&r[0]), val(&r[1]), val(&r[2]));
                let table = tables.entry(name(&s, &t)).or_default();
                table.columns.insert(
                    c,
                    Column {
                        data_type: val(&r[3]),
                        nullable: r[4].as_deref() == Some("YES"),
                        default: r[5].clone(),
                    },
                );
            }
            let idx = conn
                .fetch_text(&format!(
                    "SELECT schemaname::text, tablename::text, indexname::text, indexdef::text FROM pg_indexes WHERE schemaname IN ({list})"
                ))
                .await?;
            for r in idx {
                let key = name(&val(&r[0]), &val(&r[1]));
                if let Some(t) = tables.get_mut(&key) {
                    t.indexes.insert(val(&r[2]), val(&r[3]));
                }
            }
        }
        Engine::Sqlite => {
            let cols = conn
                .fetch_text(
                    "SELECT m.name, p.name, p.type, CAST(p.\"notnull\" AS TEXT), p.dflt_value, CAST(p.pk AS TEXT)
                     FROM sqlite_master m, pragma_table_info(m.name) p
                     WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'
                     ORDER BY m.name, p.cid",
                )
                .await?;
            for r in cols {
                let table = tables.entry(val(&r[0])).or_default();
                table.columns.insert(
                    val(&r[1]),
                    Column {
                        data_type: val(&r[2]).to_ascii_lowercase(),
                        // SQLite's INTEGER PRIMARY KEY is NOT NULL even when not declared so.
                        nullable: r[3].as_deref() != Some("1") && r[5].as_deref() == Some("0"),
                        default: r[4].clone(),
                    },
                );
            }
            let idx = conn
                .fetch_text(
                    "SELECT tbl_name, name, coalesce(sql, 'auto: ' || name) FROM sqlite_master WHERE type = 'index'",
                )
                .await?;
            for r in idx {
                if let Some(t) = tables.get_mut(&val(&r[0])) {
                    t.indexes.insert(val(&r[1]), val(&r[2]));
                }
            }
        }
    }
    tables.retain(|k, _| !is_own_table(k));
    let objects = match conn.engine() {
        Engine::Postgres => super::objects::postgres(conn, schemas).await?,
        Engine::Sqlite => super::objects::sqlite(conn).await?,
    };
    Ok(Schema {
        engine: conn.engine(),
        tables,
        objects,
    })
}

pub(super) fn val(v: &Option<String>) -> String {
    v.clone().unwrap_or_default()
}
