//! Reference tables (roles, templates, plans…) read whole into a snapshot: keys and values
//! as text, secret columns only as an in-database hash (PostgreSQL) or not at all (SQLite).
//! They are small by nature; `envdeck table-diff` streams tables of any size.

use crate::connectors::{Connection, Engine, quote_ident};
use crate::error::{Error, Result};
use crate::workspace::ReferenceTable;

/// More rows than this in one reference table is an error pointing at `table-diff`.
pub const MAX_REFERENCE_ROWS: usize = 200_000;

/// `(key values, column values)` of one row, as text (NULL as `None`).
pub type RefRow = (Vec<Option<String>>, Vec<Option<String>>);

/// One reference table as one environment holds it.
#[derive(Debug, Clone, PartialEq)]
pub struct RefTable {
    pub table: String,
    pub key: Vec<String>,
    /// False when the table does not exist in this environment.
    pub exists: bool,
    /// Declared type of each key column (for comparing numbers by value).
    pub key_types: Vec<String>,
    /// Compared columns, in table order: every column but the key and the ignored ones.
    pub columns: Vec<String>,
    /// For each of `columns`: a secret column read as a hash inside the database.
    pub hashed: Vec<bool>,
    /// Secret columns not read at all (the database cannot hash them).
    pub skipped_secret: Vec<String>,
    /// `(key values, column values)` per row, as text (NULL as `None`).
    pub rows: Vec<RefRow>,
}

pub async fn reference_table(
    conn: &mut Connection,
    spec: &ReferenceTable,
    secret_columns: &[String],
) -> Result<RefTable> {
    let types = conn.column_types(&spec.table).await?;
    let mut t = RefTable {
        table: spec.table.clone(),
        key: spec.key.clone(),
        exists: !types.is_empty(),
        key_types: Vec::new(),
        columns: Vec::new(),
        hashed: Vec::new(),
        skipped_secret: Vec::new(),
        rows: Vec::new(),
    };
    if !t.exists {
        return Ok(t);
    }
    let secret = |c: &str| crate::secrets::is_secret_column(c, secret_columns);
    for k in &spec.key {
        if secret(k) {
            return Err(Error::invalid_input(format!(
                "key column {k:?} of reference table {:?} is a secret column: a key's values are read and shown, and secret values never are; pick a natural key (a name, code or slug)",
                spec.table
            )));
        }
        let Some((_, ty)) = types.iter().find(|(c, _)| c == k) else {
            return Err(Error::new(
                crate::error::ErrorCode::TableMissing,
                format!(
                    "key column {k:?} of reference table {:?} does not exist in {}: fix [[reference_data]] key in envdeck.toml",
                    spec.table,
                    conn.display_url()
                ),
            ));
        };
        t.key_types.push(ty.clone());
    }
    let mut select: Vec<String> = spec
        .key
        .iter()
        .map(|k| format!("CAST({} AS TEXT)", quote_ident(k)))
        .collect();
    for (c, _) in &types {
        if spec.key.contains(c) || spec.ignore.contains(c) {
            continue;
        }
        let q = quote_ident(c);
        if secret(c) {
            if conn.engine() == Engine::Postgres {
                select.push(format!("md5(CAST({q} AS TEXT))"));
                t.columns.push(c.clone());
                t.hashed.push(true);
            } else {
                t.skipped_secret.push(c.clone());
            }
        } else {
            select.push(format!("CAST({q} AS TEXT)"));
            t.columns.push(c.clone());
            t.hashed.push(false);
        }
    }
    let sql = format!(
        "SELECT {} FROM {} LIMIT {}",
        select.join(", "),
        quote_ident(&spec.table),
        MAX_REFERENCE_ROWS + 1
    );
    let nk = spec.key.len();
    let rows = conn
        .fetch_text(&sql)
        .await
        .map_err(|e| e.while_reading(&spec.table))?;
    if rows.len() > MAX_REFERENCE_ROWS {
        return Err(Error::invalid_input(format!(
            "reference table {:?} has more than {MAX_REFERENCE_ROWS} rows in {}: compare it with `envdeck table-diff`, which streams tables of any size",
            spec.table,
            conn.display_url()
        )));
    }
    t.rows = rows
        .into_iter()
        .map(|mut r| {
            let values = r.split_off(nk);
            (r, values)
        })
        .collect();
    Ok(t)
}
