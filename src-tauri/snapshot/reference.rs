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
    /// Foreign keys read through their parent's natural key (`customer_id as customers.email`).
    pub via: Vec<String>,
}

/// A foreign key read through its parent's natural key: `column` of the table refers to
/// `parent.parent_column`, and the rows show (and match by) `parent_key` instead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub column: String,
    pub parent: String,
    pub parent_column: String,
    pub parent_key: Vec<String>,
}

/// How one table is read into a [`RefTable`].
pub(crate) struct Spec<'a> {
    pub table: &'a str,
    pub key: &'a [String],
    /// Columns left out (ignored, never copied, surrogate ids).
    pub ignore: Vec<String>,
    /// `reference table` / `data table`, and where it is configured, for messages.
    pub what: &'static str,
    pub section: &'static str,
    pub max_rows: usize,
    pub links: Vec<Link>,
}

pub async fn reference_table(
    conn: &mut Connection,
    spec: &ReferenceTable,
    secret_columns: &[String],
) -> Result<RefTable> {
    let spec = Spec {
        table: &spec.table,
        key: &spec.key,
        ignore: spec.ignore.clone(),
        what: "reference table",
        section: "[[reference_data]]",
        max_rows: MAX_REFERENCE_ROWS,
        links: Vec::new(),
    };
    let types = conn.column_types(spec.table).await?;
    read_table(conn, &spec, &types, secret_columns).await
}

/// The parts of a column as read: itself, or its parent's natural key (one expression per
/// parent key column, named `column` or `column.part`) when it is a [`Link`].
fn exprs(c: &str, links: &[(usize, &Link, Vec<String>)]) -> Vec<(String, String, Option<String>)> {
    let q = |x: &str| format!("t.{}", quote_ident(x));
    match links.iter().find(|(_, l, _)| l.column == c) {
        None => vec![(c.to_string(), format!("CAST({} AS TEXT)", q(c)), None)],
        Some((i, l, types)) => l
            .parent_key
            .iter()
            .zip(types)
            .map(|(pk, ty)| {
                let name = if l.parent_key.len() == 1 {
                    c.to_string()
                } else {
                    format!("{c}.{pk}")
                };
                // A reference to no parent row (SQLite does not enforce foreign keys) keeps
                // its raw id, marked, rather than matching every other such row as NULL.
                let expr = format!(
                    "CASE WHEN p{i}.{pc} IS NULL AND {col} IS NOT NULL THEN '#' || CAST({col} AS TEXT) ELSE CAST(p{i}.{pk} AS TEXT) END",
                    pc = quote_ident(&l.parent_column),
                    col = q(c),
                    pk = quote_ident(pk),
                );
                (name, expr, Some(ty.clone()))
            })
            .collect(),
    }
}

/// Reads `spec`'s table whole (`types` are its columns): keys and values as text, foreign
/// keys in `spec.links` through their parent's natural key.
pub(crate) async fn read_table(
    conn: &mut Connection,
    spec: &Spec<'_>,
    types: &[(String, String)],
    secret_columns: &[String],
) -> Result<RefTable> {
    let mut t = RefTable {
        table: spec.table.to_string(),
        key: spec.key.to_vec(),
        exists: !types.is_empty(),
        key_types: Vec::new(),
        columns: Vec::new(),
        hashed: Vec::new(),
        skipped_secret: Vec::new(),
        rows: Vec::new(),
        via: Vec::new(),
    };
    if !t.exists {
        return Ok(t);
    }
    let secret = |c: &str| crate::secrets::is_secret_column(c, secret_columns);
    // Each link with its parent key's types, checked to exist.
    let mut links = Vec::new();
    for (i, l) in spec.links.iter().enumerate() {
        let ptypes = conn.column_types(&l.parent).await?;
        let mut tys = Vec::new();
        for pk in &l.parent_key {
            let Some((_, ty)) = ptypes.iter().find(|(c, _)| c == pk) else {
                return Err(Error::new(
                    crate::error::ErrorCode::TableMissing,
                    format!(
                        "key column {pk:?} of table {:?} does not exist in {}: {:?}.{} refers to it, so its rows are matched by that key; fix the key of {:?} in envdeck.toml",
                        l.parent,
                        conn.display_url(),
                        spec.table,
                        l.column,
                        l.parent
                    ),
                ));
            };
            tys.push(ty.clone());
        }
        t.via.push(format!(
            "{} as {}.{}",
            l.column,
            l.parent,
            l.parent_key.join("+")
        ));
        links.push((i, l, tys));
    }
    let mut select: Vec<String> = Vec::new();
    for k in spec.key {
        if secret(k) {
            return Err(Error::invalid_input(format!(
                "key column {k:?} of {} {:?} is a secret column: a key's values are read and shown, and secret values never are; pick a natural key (a name, code or slug)",
                spec.what, spec.table
            )));
        }
        let Some((_, ty)) = types.iter().find(|(c, _)| c == k) else {
            return Err(Error::new(
                crate::error::ErrorCode::TableMissing,
                format!(
                    "key column {k:?} of {} {:?} does not exist in {}: fix {} key in envdeck.toml",
                    spec.what,
                    spec.table,
                    conn.display_url(),
                    spec.section
                ),
            ));
        };
        for (_, expr, parent_ty) in exprs(k, &links) {
            select.push(expr);
            t.key_types.push(parent_ty.unwrap_or_else(|| ty.clone()));
        }
    }
    let nk = select.len();
    for (c, _) in types {
        if spec.key.contains(c) || spec.ignore.contains(c) {
            continue;
        }
        if secret(c) {
            if conn.engine() == Engine::Postgres {
                select.push(format!("md5(CAST(t.{} AS TEXT))", quote_ident(c)));
                t.columns.push(c.clone());
                t.hashed.push(true);
            } else {
                t.skipped_secret.push(c.clone());
            }
        } else {
            for (name, expr, _) in exprs(c, &links) {
                select.push(expr);
                t.columns.push(name);
                t.hashed.push(false);
            }
        }
    }
    let mut from = format!("{} t", quote_ident(spec.table));
    for (i, l, _) in &links {
        from.push_str(&format!(
            " LEFT JOIN {} p{i} ON p{i}.{} = t.{}",
            quote_ident(&l.parent),
            quote_ident(&l.parent_column),
            quote_ident(&l.column)
        ));
    }
    let sql = format!(
        "SELECT {} FROM {from} LIMIT {}",
        select.join(", "),
        spec.max_rows + 1
    );
    let rows = conn
        .fetch_text(&sql)
        .await
        .map_err(|e| e.while_reading(spec.table))?;
    if rows.len() > spec.max_rows {
        return Err(Error::invalid_input(format!(
            "{} {:?} has more than {} rows in {}: compare it with `envdeck table-diff`, which streams tables of any size",
            spec.what,
            spec.table,
            spec.max_rows,
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
