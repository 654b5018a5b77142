//! The optional log table in the target (`[sync] log_table`): one row per apply or undo,
//! inserted in the same transaction. envdeck never creates it: when the target has no such
//! table, nothing is logged there. Columns are filled by name, any subset:
//!
//! | column                                  | value                                        |
//! |-----------------------------------------|----------------------------------------------|
//! | `sync_id`; `id` when it is a text column | the sync's (or undo's) id                    |
//! | `kind`, `action`                        | `apply` or `undo`                            |
//! | `created_at`, `at`, `time`, `logged_at` | when (UTC, RFC 3339)                         |
//! | `user`, `os_user`, `created_by`, `actor`| the OS user                                  |
//! | `from_env`, `source`                    | the source environment (undo: the target)    |
//! | `to_env`, `target`                      | the target environment                       |
//! | `fingerprint`                           | the confirmed fingerprint                    |
//! | `rows`, `row_count`                     | rows inserted (apply) or deleted (undo)      |
//! | `detail`, `details`, `json`, `payload`  | all of the above as JSON, rows per table     |

use std::collections::BTreeMap;

use serde::Serialize;

use crate::connectors::{WriteTx, quote_ident};
use crate::error::{Error, Result};

/// Who and when, as the api knows it.
#[derive(Debug, Clone)]
pub struct LogHead<'a> {
    pub table: &'a str,
    pub sync_id: &'a str,
    pub at: &'a str,
    pub user: &'a str,
}

/// One row of the log table.
#[derive(Debug, Clone, Serialize)]
pub(super) struct LogEntry<'a> {
    pub sync_id: &'a str,
    pub kind: &'a str,
    pub at: &'a str,
    pub user: &'a str,
    pub from: &'a str,
    pub to: &'a str,
    pub fingerprint: &'a str,
    pub rows: usize,
    pub tables: BTreeMap<String, usize>,
}

fn lit(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

/// Inserts `e` into `table` when the target has it; `false` when it does not.
pub(super) async fn write(tx: &mut WriteTx<'_>, table: &str, e: &LogEntry<'_>) -> Result<bool> {
    let t = crate::snapshot::copy_table(tx, table, &[], false, 0).await?;
    if !t.exists {
        return Ok(false);
    }
    let detail = serde_json::to_string(e).unwrap_or_default();
    let mut cols = Vec::new();
    let mut vals = Vec::new();
    for c in &t.columns {
        let text_like = {
            let ty = c.ty.to_ascii_lowercase();
            ty.is_empty() || ty.contains("text") || ty.contains("char")
        };
        let v = match c.name.to_ascii_lowercase().as_str() {
            "sync_id" => e.sync_id.to_string(),
            "id" if text_like => e.sync_id.to_string(),
            "kind" | "action" => e.kind.to_string(),
            "created_at" | "at" | "time" | "logged_at" => e.at.to_string(),
            "user" | "os_user" | "created_by" | "actor" => e.user.to_string(),
            "from_env" | "source" => e.from.to_string(),
            "to_env" | "target" => e.to.to_string(),
            "fingerprint" => e.fingerprint.to_string(),
            "rows" | "row_count" => e.rows.to_string(),
            "detail" | "details" | "json" | "payload" => detail.clone(),
            _ => continue,
        };
        cols.push(quote_ident(&c.name));
        vals.push(lit(&v));
    }
    if cols.is_empty() {
        return Err(Error::invalid_input(format!(
            "the log table {table} in {} has none of the columns envdeck fills (sync_id, created_at, detail, …): add them, or remove [sync] log_table",
            e.to
        )));
    }
    // Untyped literals: PostgreSQL converts each to its column's type (timestamptz, jsonb,
    // integer); SQLite applies the column's affinity.
    tx.execute(
        &format!(
            "INSERT INTO {} ({}) VALUES ({})",
            quote_ident(table),
            cols.join(", "),
            vals.join(", ")
        ),
        &[],
    )
    .await?;
    Ok(true)
}
