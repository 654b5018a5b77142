//! `envdeck table-diff --from A --to B` of a `[[tables]]` table with its configured key and a
//! foreign key to another configured table: rows matched as `check` matches them, a foreign
//! key read through its parent's natural key (a note of customer 17 in dev is the note of
//! the customer with the same email in prod), never by the environments' surrogate ids.

use super::Context;
use crate::compare::KeyPart;
use crate::compare::reference::{RowDiff, each_row_diff};
use crate::error::Result;
use crate::progress::Cancel;
use crate::snapshot;
use crate::tablediff::{DiffKind, DiffRow, Spec, TableDiff};
use crate::workspace::{Environment, Workspace};

/// The diff asked by `asked` when its table is a `[[tables]]` entry compared with its
/// configured key (every column) and linked to a configured parent; `None` otherwise (the
/// streaming diff applies).
pub async fn configured(
    ctx: &Context,
    ws: &Workspace,
    from: &Environment,
    to: &Environment,
    asked: &Spec,
    cancel: &Cancel,
) -> Result<Option<TableDiff>> {
    let (table, limit) = (asked.table.as_str(), asked.row_cap);
    let Some(spec) = ws.tables.iter().find(|t| t.table == table) else {
        return Ok(None);
    };
    if spec.key != asked.key || asked.columns.is_some() {
        return Ok(None);
    }
    let mut a = ctx.connect_watched(ws, from, cancel).await?;
    let linked = snapshot::has_links(&mut a, ws, table).await;
    if !matches!(linked, Ok(true)) {
        a.close().await;
        return linked.map(|_| None);
    }
    let mut b = ctx.connect_watched(ws, to, cancel).await?;
    let (ta, tb) = futures::join!(
        snapshot::data_table(&mut a, ws, spec),
        snapshot::data_table(&mut b, ws, spec)
    );
    a.close().await;
    b.close().await;
    let (ta, tb) = (ta?, tb?);
    let mut rows = Vec::new();
    let counts = each_row_diff(&from.name, &to.name, &ta, &tb, |k, d| {
        if rows.len() >= limit {
            return;
        }
        let (kind, columns) = match d {
            RowDiff::OnlyInFrom => (DiffKind::OnlyInA, Vec::new()),
            RowDiff::OnlyInTo => (DiffKind::OnlyInB, Vec::new()),
            RowDiff::Changed(c) => (DiffKind::Changed, c.iter().map(|c| c.to_string()).collect()),
        };
        rows.push(DiffRow {
            kind,
            key: k.iter().map(|c| c.to_text()).collect(),
            key_parts: k.iter().map(KeyPart::from_cell).collect(),
            columns,
        });
    })?;
    let secret = |t: &snapshot::RefTable| -> Vec<String> {
        t.columns
            .iter()
            .zip(&t.hashed)
            .filter(|(_, h)| **h)
            .map(|(c, _)| c.clone())
            .collect()
    };
    Ok(Some(TableDiff {
        table: table.to_string(),
        // `customer_id (as customers.email)`: what the key's values are.
        key: ta
            .key
            .iter()
            .map(
                |k| match ta.via.iter().find(|v| v.starts_with(&format!("{k} as "))) {
                    Some(v) => format!("{k} ({})", v.trim_start_matches(&format!("{k} "))),
                    None => k.clone(),
                },
            )
            .collect(),
        columns: ta.columns.clone(),
        only_in_a: counts.only_in_from as u64,
        only_in_b: counts.only_in_to as u64,
        changed: counts.changed as u64,
        rows_a: ta.rows.len() as u64,
        rows_b: tb.rows.len() as u64,
        rows,
        rows_cap: limit,
        hashing: "client".into(),
        secret_columns: secret(&ta),
        skipped_secret_columns: ta.skipped_secret.clone(),
    }))
}
