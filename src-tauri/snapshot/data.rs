//! `[[tables]]` read whole into a snapshot, matched by their natural key. Ids differ per
//! environment, so a foreign key to another configured table is read through that parent's
//! natural key (`customer_notes.customer_id` as the customer's email), and a surrogate id
//! (a sequence or identity default) is left out unless the table says `copy_ids = true`.

use super::RefTable;
use super::reference::{Link, Spec, read_table};
use crate::connectors::{Connection, Engine, quote_ident};
use crate::error::Result;
use crate::workspace::{DataTable, Workspace};

/// More rows than this in one data table is an error pointing at `table-diff`.
pub const MAX_DATA_ROWS: usize = 200_000;

/// One `[[tables]]` table as this environment holds it.
pub async fn data_table(
    conn: &mut Connection,
    ws: &Workspace,
    spec: &DataTable,
) -> Result<RefTable> {
    let types = conn.column_types(&spec.table).await?;
    let mut ignore: Vec<String> = spec
        .ignore
        .iter()
        .chain(&spec.never_copy)
        .cloned()
        .collect();
    let mut links = Vec::new();
    if !types.is_empty() {
        if !spec.copy_ids {
            for id in surrogate_ids(conn, &spec.table).await? {
                if !spec.key.contains(&id) {
                    ignore.push(id);
                }
            }
        }
        links = foreign_keys(conn, ws, &spec.table).await?;
    }
    let spec = Spec {
        table: &spec.table,
        key: &spec.key,
        ignore,
        what: "data table",
        section: "[[tables]]",
        max_rows: MAX_DATA_ROWS,
        links,
    };
    read_table(conn, &spec, &types, &ws.integrations.secret_columns).await
}

/// Whether `table` has a foreign key to a configured table (read through its natural key
/// when the table is compared as configured).
pub async fn has_links(conn: &mut Connection, ws: &Workspace, table: &str) -> Result<bool> {
    Ok(!foreign_keys(conn, ws, table).await?.is_empty())
}

fn literal(s: &str) -> String {
    s.replace('\'', "''")
}

/// Columns whose values each environment generates: a sequence or identity default
/// (PostgreSQL), the rowid alias `INTEGER PRIMARY KEY` (SQLite).
async fn surrogate_ids(conn: &mut Connection, table: &str) -> Result<Vec<String>> {
    let sql = match conn.engine() {
        Engine::Postgres => format!(
            "SELECT CAST(a.attname AS TEXT) FROM pg_attribute a
             LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
             WHERE a.attrelid = to_regclass('{}') AND a.attnum > 0 AND NOT a.attisdropped
               AND (a.attidentity <> '' OR pg_get_expr(d.adbin, d.adrelid) LIKE 'nextval(%')",
            literal(&quote_ident(table))
        ),
        Engine::Sqlite => format!(
            "SELECT name FROM pragma_table_info('{t}') WHERE pk = 1 AND upper(type) = 'INTEGER'
               AND (SELECT count(*) FROM pragma_table_info('{t}') WHERE pk > 0) = 1",
            t = literal(table)
        ),
    };
    Ok(conn
        .fetch_text(&sql)
        .await
        .map_err(|e| e.while_reading(table))?
        .into_iter()
        .filter_map(|r| r.into_iter().next().flatten())
        .collect())
}

/// Single-column foreign keys of `table` to a configured table, by a column that is not
/// already (part of) that parent's natural key.
async fn foreign_keys(conn: &mut Connection, ws: &Workspace, table: &str) -> Result<Vec<Link>> {
    let sql = match conn.engine() {
        Engine::Postgres => format!(
            "SELECT CAST(a.attname AS TEXT), CAST(pc.relname AS TEXT), CAST(af.attname AS TEXT)
             FROM pg_constraint c
             JOIN pg_class pc ON pc.oid = c.confrelid
             JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
             JOIN pg_attribute af ON af.attrelid = c.confrelid AND af.attnum = c.confkey[1]
             WHERE c.contype = 'f' AND c.conrelid = to_regclass('{}') AND cardinality(c.conkey) = 1
             ORDER BY c.conname",
            literal(&quote_ident(table))
        ),
        Engine::Sqlite => format!(
            "SELECT f.\"from\", f.\"table\", f.\"to\" FROM pragma_foreign_key_list('{t}') f
             WHERE (SELECT count(*) FROM pragma_foreign_key_list('{t}') g WHERE g.id = f.id) = 1
             ORDER BY f.id",
            t = literal(table)
        ),
    };
    let rows = conn
        .fetch_text(&sql)
        .await
        .map_err(|e| e.while_reading(table))?;
    let mut links: Vec<Link> = Vec::new();
    for r in rows {
        let mut it = r.into_iter();
        let (Some(column), Some(parent)) = (it.next().flatten(), it.next().flatten()) else {
            continue;
        };
        let Some(parent_key) = ws.natural_key(&parent) else {
            continue;
        };
        let parent_column = match it.next().flatten() {
            Some(c) => c,
            // SQLite: `REFERENCES parent` names the parent's primary key implicitly.
            None => {
                let pk = conn
                    .fetch_text(&format!(
                        "SELECT name FROM pragma_table_info('{}') WHERE pk > 0",
                        literal(&parent)
                    ))
                    .await?;
                match pk.as_slice() {
                    [one] => one[0].clone().unwrap_or_default(),
                    _ => continue,
                }
            }
        };
        if parent_key.contains(&parent_column) || links.iter().any(|l| l.column == column) {
            continue;
        }
        links.push(Link {
            column,
            parent,
            parent_column,
            parent_key: parent_key.to_vec(),
        });
    }
    Ok(links)
}
