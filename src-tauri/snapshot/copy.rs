//! What the sync plan needs of a table in one environment ([`CopyTable`]): every column with
//! its type, NOT NULL, default and identity; its foreign keys; its unique constraints; its
//! triggers; and the rows, raw (ids as they are), as text. Secret columns are never
//! selected. The workspace can add relations the database does not declare ([`Extras`]).

use crate::connectors::{Engine, ReadText, quote_ident};
use crate::error::{Error, Result};

/// One column as the database declares it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CopyColumn {
    pub name: String,
    /// `format_type` (PostgreSQL) or the declared type (SQLite).
    pub ty: String,
    pub not_null: bool,
    pub default: Option<String>,
    /// PostgreSQL identity: `Some(true)` GENERATED ALWAYS, `Some(false)` BY DEFAULT.
    pub identity_always: Option<bool>,
    /// A sequence or identity default, or SQLite's rowid alias: the database makes the value.
    pub surrogate: bool,
    /// A generated (computed) column: never inserted.
    pub computed: bool,
    /// A secret column (the shared rule): never read, never copied.
    pub secret: bool,
}

/// A single-column foreign key: `column` refers to `parent.parent_column`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CopyFk {
    pub column: String,
    pub parent: String,
    pub parent_column: String,
}

/// A unique constraint or unique index on plain columns (the primary key included).
/// Partial and expression indexes are left out: which rows they cover is not a matter of
/// column values alone, and the apply's `ON CONFLICT DO NOTHING` still catches them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CopyUnique {
    pub name: String,
    pub columns: Vec<String>,
}

/// A table as one environment holds it, for planning a copy.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CopyTable {
    pub table: String,
    /// False when the table does not exist in this environment.
    pub exists: bool,
    pub columns: Vec<CopyColumn>,
    pub fks: Vec<CopyFk>,
    pub unique: Vec<CopyUnique>,
    pub triggers: Vec<String>,
    /// One entry per column of `columns`, as text (NULL and secret columns as `None`).
    /// Empty when the rows were not asked for.
    pub rows: Vec<Vec<Option<String>>>,
}

impl CopyTable {
    pub fn column(&self, name: &str) -> Option<&CopyColumn> {
        self.columns.iter().find(|c| c.name == name)
    }

    pub fn index(&self, name: &str) -> Option<usize> {
        self.columns.iter().position(|c| c.name == name)
    }
}

fn lit(s: &str) -> String {
    s.replace('\'', "''")
}

fn flag(v: &Option<String>) -> bool {
    matches!(v.as_deref(), Some("true" | "1" | "t"))
}

/// Reads `table`'s structure, and its rows when `rows` (at most `max_rows`).
pub async fn copy_table(
    conn: &mut impl ReadText,
    table: &str,
    secret_columns: &[String],
    rows: bool,
    max_rows: usize,
) -> Result<CopyTable> {
    let mut t = CopyTable {
        table: table.to_string(),
        ..CopyTable::default()
    };
    let (cols_sql, fks_sql, trig_sql, unique_sql) = match conn.engine() {
        Engine::Postgres => {
            let reg = lit(&quote_ident(table));
            (
                format!(
                    "SELECT CAST(a.attname AS TEXT), format_type(a.atttypid, a.atttypmod),
                       CAST(a.attnotnull AS TEXT), pg_get_expr(d.adbin, d.adrelid),
                       CAST(a.attidentity AS TEXT), CAST(a.attgenerated AS TEXT)
                     FROM pg_attribute a
                     LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
                     WHERE a.attrelid = to_regclass('{reg}') AND a.attnum > 0 AND NOT a.attisdropped
                     ORDER BY a.attnum"
                ),
                format!(
                    "SELECT CAST(a.attname AS TEXT), CAST(pc.relname AS TEXT), CAST(af.attname AS TEXT)
                     FROM pg_constraint c
                     JOIN pg_class pc ON pc.oid = c.confrelid
                     JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
                     JOIN pg_attribute af ON af.attrelid = c.confrelid AND af.attnum = c.confkey[1]
                     WHERE c.contype = 'f' AND c.conrelid = to_regclass('{reg}') AND cardinality(c.conkey) = 1
                     ORDER BY c.conname"
                ),
                format!(
                    "SELECT CAST(tgname AS TEXT) FROM pg_trigger
                     WHERE tgrelid = to_regclass('{reg}') AND NOT tgisinternal ORDER BY tgname"
                ),
                format!(
                    "SELECT CAST(ic.relname AS TEXT), CAST(a.attname AS TEXT)
                     FROM pg_index i
                     JOIN pg_class ic ON ic.oid = i.indexrelid
                     CROSS JOIN LATERAL unnest(CAST(i.indkey AS int2[])) WITH ORDINALITY AS k(attnum, ord)
                     LEFT JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
                     WHERE i.indrelid = to_regclass('{reg}') AND i.indisunique
                       AND i.indpred IS NULL AND i.indexprs IS NULL AND k.ord <= i.indnkeyatts
                     ORDER BY ic.relname, k.ord"
                ),
            )
        }
        Engine::Sqlite => {
            let t = lit(table);
            (
                format!(
                    "SELECT name, type, CAST(\"notnull\" AS TEXT), dflt_value,
                       CASE WHEN pk = 1 AND upper(type) = 'INTEGER'
                         AND (SELECT count(*) FROM pragma_table_info('{t}') WHERE pk > 0) = 1
                       THEN 'r' ELSE '' END, ''
                     FROM pragma_table_info('{t}') ORDER BY cid"
                ),
                format!(
                    "SELECT f.\"from\", f.\"table\", coalesce(f.\"to\",
                       (SELECT p.name FROM pragma_table_info(f.\"table\") p WHERE p.pk = 1))
                     FROM pragma_foreign_key_list('{t}') f
                     WHERE (SELECT count(*) FROM pragma_foreign_key_list('{t}') g WHERE g.id = f.id) = 1
                     ORDER BY f.id"
                ),
                format!(
                    "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = '{t}' ORDER BY name"
                ),
                // An expression column has no name (NULL): that index is left out below.
                format!(
                    "SELECT il.name, ii.name FROM pragma_index_list('{t}') il
                     JOIN pragma_index_info(il.name) ii
                     WHERE il.\"unique\" = 1 AND il.partial = 0
                     ORDER BY il.name, ii.seqno"
                ),
            )
        }
    };
    let read = |e: Error| e.while_reading(table);
    for r in conn.read_text(&cols_sql).await.map_err(read)? {
        let name = r[0].clone().unwrap_or_default();
        let default = r[3].clone();
        let ident = r[4].clone().unwrap_or_default();
        let sequence = default
            .as_deref()
            .is_some_and(|d| d.starts_with("nextval("));
        t.columns.push(CopyColumn {
            secret: crate::secrets::is_secret_column(&name, secret_columns),
            name,
            ty: r[1].clone().unwrap_or_default(),
            not_null: flag(&r[2]),
            default,
            identity_always: match ident.as_str() {
                "a" => Some(true),
                "d" => Some(false),
                _ => None,
            },
            surrogate: sequence || !ident.is_empty(),
            computed: r[5].as_deref().is_some_and(|g| !g.is_empty()),
        });
    }
    t.exists = !t.columns.is_empty();
    if !t.exists {
        return Ok(t);
    }
    for r in conn.read_text(&fks_sql).await.map_err(read)? {
        let mut it = r.into_iter();
        if let (Some(column), Some(parent), Some(parent_column)) = (
            it.next().flatten(),
            it.next().flatten(),
            it.next().flatten(),
        ) && !t.fks.iter().any(|f| f.column == column)
        {
            t.fks.push(CopyFk {
                column,
                parent,
                parent_column,
            });
        }
    }
    let mut expression: Vec<String> = Vec::new();
    for r in conn.read_text(&unique_sql).await.map_err(read)? {
        let name = r[0].clone().unwrap_or_default();
        let Some(column) = r[1].clone() else {
            expression.push(name);
            continue;
        };
        match t.unique.iter_mut().find(|u| u.name == name) {
            Some(u) => u.columns.push(column),
            None => t.unique.push(CopyUnique {
                name,
                columns: vec![column],
            }),
        }
    }
    t.unique.retain(|u| !expression.contains(&u.name));
    t.triggers = conn
        .read_text(&trig_sql)
        .await
        .map_err(read)?
        .into_iter()
        .filter_map(|r| r.into_iter().next().flatten())
        .collect();
    if rows {
        let select: Vec<String> = t
            .columns
            .iter()
            .map(|c| {
                if c.secret {
                    "NULL".to_string()
                } else {
                    format!("CAST({} AS TEXT)", quote_ident(&c.name))
                }
            })
            .collect();
        let sql = format!(
            "SELECT {} FROM {} LIMIT {}",
            select.join(", "),
            quote_ident(table),
            max_rows + 1
        );
        t.rows = conn.read_text(&sql).await.map_err(read)?;
        if t.rows.len() > max_rows {
            return Err(Error::invalid_input(format!(
                "table {table:?} has more than {max_rows} rows in {}: a sync reads whole tables (the rows to copy, their parents and the target's, to match them by natural key) and plans tables of up to {max_rows} rows; this one cannot be synced by envdeck yet: copy its rows with your own tooling",
                conn.display_url()
            )));
        }
    }
    Ok(t)
}

/// What the workspace declares that the database may not: a column acting as a foreign key
/// (`[workflows] owner`), and tables read for a few columns only (`[workflows]
/// credentials_table`: id, name and type, never the credential's data).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Extras {
    /// `(table, foreign key)`, added where the table declares no foreign key on that column.
    pub virtual_fks: Vec<(String, CopyFk)>,
    /// `(when, table, columns)`: when table `when` is read, `table` is read too, with
    /// these columns only, every row.
    pub narrow: Vec<(String, String, Vec<String>)>,
}

/// What a plan reads of one environment besides the tables it starts from: which tables
/// get their rows (configured ones, never the integrations table), which columns are never
/// read, at most how many rows, and the workspace's own relations.
#[derive(Debug, Clone, Copy)]
pub struct CopyScope<'a> {
    pub configured: &'a [String],
    pub integrations_table: &'a str,
    pub secret_columns: &'a [String],
    pub max_rows: usize,
    pub extras: &'a Extras,
}

/// `roots` and every table their foreign keys reach; rows only of configured tables (an
/// unconfigured parent, the integrations table included, is never read row by row).
pub async fn copy_closure(
    conn: &mut impl ReadText,
    roots: &[String],
    scope: &CopyScope<'_>,
) -> Result<Vec<CopyTable>> {
    let CopyScope {
        configured,
        integrations_table,
        secret_columns,
        max_rows,
        extras,
    } = *scope;
    let mut out: Vec<CopyTable> = Vec::new();
    let mut queue: Vec<String> = roots.to_vec();
    while let Some(t) = queue.pop() {
        if out.iter().any(|o| o.table == t) {
            continue;
        }
        let rows = configured.contains(&t) && t != integrations_table;
        let mut table = copy_table(conn, &t, secret_columns, rows, max_rows).await?;
        for (_, fk) in extras.virtual_fks.iter().filter(|(vt, _)| *vt == t) {
            if table.exists && !table.fks.iter().any(|f| f.column == fk.column) {
                table.fks.push(fk.clone());
            }
        }
        if rows {
            queue.extend(table.fks.iter().map(|f| f.parent.clone()));
        }
        out.push(table);
    }
    for (when, t, columns) in &extras.narrow {
        if out.iter().any(|o| &o.table == when) && !out.iter().any(|o| &o.table == t) {
            out.push(narrow_table(conn, t, columns, secret_columns, max_rows).await?);
        }
    }
    Ok(out)
}

/// `roots` and the configured parents their natural keys refer to, each with only what a
/// key needs: its key columns and the columns those foreign keys refer to, every row
/// (`keys`: each configured table's natural key). How the apply counts the rows still
/// missing once it committed, without reading whole rows; keys read as [`copy_closure`]
/// reads them, so a row is missing here exactly when a plan would find it missing.
pub async fn key_closure(
    conn: &mut impl ReadText,
    roots: &[String],
    keys: &[(String, Vec<String>)],
    scope: &CopyScope<'_>,
) -> Result<Vec<CopyTable>> {
    let key_of = |t: &str| keys.iter().find(|(k, _)| k == t).map(|(_, k)| k);
    let mut out: Vec<CopyTable> = Vec::new();
    let mut queue: Vec<String> = roots.to_vec();
    while let Some(t) = queue.pop() {
        if out.iter().any(|o| o.table == t) || t == scope.integrations_table {
            continue;
        }
        let Some(key) = key_of(&t) else {
            continue;
        };
        let mut table = copy_table(conn, &t, scope.secret_columns, false, 0).await?;
        for (_, fk) in scope.extras.virtual_fks.iter().filter(|(vt, _)| *vt == t) {
            if table.exists && !table.fks.iter().any(|f| f.column == fk.column) {
                table.fks.push(fk.clone());
            }
        }
        table.fks.retain(|f| key.contains(&f.column));
        queue.extend(table.fks.iter().map(|f| f.parent.clone()));
        out.push(table);
    }
    let referred: Vec<(String, String)> = out
        .iter()
        .flat_map(|t| t.fks.iter())
        .map(|f| (f.parent.clone(), f.parent_column.clone()))
        .collect();
    for t in &mut out {
        let key = key_of(&t.table).expect("only configured tables are read");
        t.columns.retain(|c| {
            !c.secret
                && (key.contains(&c.name)
                    || referred
                        .iter()
                        .any(|(p, pc)| *p == t.table && *pc == c.name))
        });
        t.unique.clear();
        if !t.exists || t.columns.is_empty() {
            continue;
        }
        let select: Vec<String> = t
            .columns
            .iter()
            .map(|c| format!("CAST({} AS TEXT)", quote_ident(&c.name)))
            .collect();
        let sql = format!(
            "SELECT {} FROM {} LIMIT {}",
            select.join(", "),
            quote_ident(&t.table),
            scope.max_rows + 1
        );
        t.rows = conn
            .read_text(&sql)
            .await
            .map_err(|e| e.while_reading(&t.table))?;
        if t.rows.len() > scope.max_rows {
            return Err(Error::invalid_input(format!(
                "table {:?} has more than {} rows in {}: the sync compares tables up to that size",
                t.table,
                scope.max_rows,
                conn.display_url()
            )));
        }
    }
    Ok(out)
}

/// `table` with only `columns` (those that exist and are not secret), every row.
async fn narrow_table(
    conn: &mut impl ReadText,
    table: &str,
    columns: &[String],
    secret_columns: &[String],
    max_rows: usize,
) -> Result<CopyTable> {
    let mut t = copy_table(conn, table, secret_columns, false, 0).await?;
    t.columns
        .retain(|c| !c.secret && columns.iter().any(|k| k == &c.name));
    t.fks.clear();
    t.unique.clear();
    if !t.exists || t.columns.is_empty() {
        return Ok(t);
    }
    let select: Vec<String> = t
        .columns
        .iter()
        .map(|c| format!("CAST({} AS TEXT)", quote_ident(&c.name)))
        .collect();
    let sql = format!(
        "SELECT {} FROM {} LIMIT {}",
        select.join(", "),
        quote_ident(table),
        max_rows + 1
    );
    t.rows = conn
        .read_text(&sql)
        .await
        .map_err(|e| e.while_reading(table))?;
    if t.rows.len() > max_rows {
        return Err(Error::invalid_input(format!(
            "table {table:?} has more than {max_rows} rows in {}: the sync plans tables up to that size",
            conn.display_url()
        )));
    }
    Ok(t)
}
