//! The guarded sync's user actions. For now: the plan (a preview that writes nothing).

use super::Context;
use crate::connectors::Connection;
use crate::error::{Error, Result};
use crate::snapshot::{self, CopyTable};
use crate::sync::{Plan, Selection, Side, TableConf};
use crate::workspace::Workspace;

/// What a person asks to copy.
#[derive(Debug, Clone, Default)]
pub struct PlanRequest {
    pub from: String,
    pub to: String,
    pub selections: Vec<Selection>,
    pub with_parents: bool,
}

/// Rows read per table for a plan, at most.
const MAX_PLAN_ROWS: usize = snapshot::MAX_DATA_ROWS;

/// Reads both environments (the selected tables and, through their foreign keys, their
/// parents) and plans the copy. Reads only: both connections are the usual read sessions.
pub async fn plan(ctx: &Context, ws: &Workspace, req: &PlanRequest) -> Result<Plan> {
    let from = ws.environment(&req.from)?;
    let to = ws.environment(&req.to)?;
    if from.name == to.name {
        return Err(Error::invalid_input(
            "--from and --to are the same environment: pick the one to copy into",
        ));
    }
    let confs = TableConf::all(ws);
    for s in &req.selections {
        if s.table == ws.integrations.table
            || s.table.rsplit('.').next() == Some(ws.integrations.table.as_str())
        {
            return Err(Error::invalid_input(format!(
                "{:?} is the integrations table, and it can never be compared row by row or synced: tokens belong to the environment that received them: reconnect it in each environment instead (the reconnect wizard)",
                s.table
            )));
        }
        if !confs.iter().any(|c| c.table == s.table) {
            return Err(Error::invalid_input(format!(
                "table {:?} is not configured for syncing: add it to [[tables]] (or [[reference_data]]) in {} with its natural key",
                s.table,
                ws.path.display()
            )));
        }
    }
    let roots: Vec<String> = req.selections.iter().map(|s| s.table.clone()).collect();
    let mut a = ctx.connect(ws, from).await?;
    let mut b = ctx.connect(ws, to).await?;
    let read = async {
        let src = read_closure(&mut a, ws, &confs, &roots).await?;
        let dst = read_closure(&mut b, ws, &confs, &roots).await?;
        let identity = snapshot::identity(&mut b).await?;
        Ok::<_, Error>((src, dst, identity))
    };
    let read = read.await;
    a.close().await;
    b.close().await;
    let (src, dst, identity) = read?;
    Ok(crate::sync::plan(
        &confs,
        &req.selections,
        Side {
            env: &from.name,
            identity: &from.name,
            tables: &src,
        },
        Side {
            env: &to.name,
            identity: &identity,
            tables: &dst,
        },
        req.with_parents,
    ))
}

/// `roots` and every table their foreign keys reach; rows only of configured tables (an
/// unconfigured parent, the integrations table included, is never read row by row).
async fn read_closure(
    conn: &mut Connection,
    ws: &Workspace,
    confs: &[TableConf],
    roots: &[String],
) -> Result<Vec<CopyTable>> {
    let mut out: Vec<CopyTable> = Vec::new();
    let mut queue: Vec<String> = roots.to_vec();
    while let Some(t) = queue.pop() {
        if out.iter().any(|o| o.table == t) {
            continue;
        }
        let rows = confs.iter().any(|c| c.table == t) && t != ws.integrations.table;
        let table = snapshot::copy_table(
            conn,
            &t,
            &ws.integrations.secret_columns,
            rows,
            MAX_PLAN_ROWS,
        )
        .await?;
        if rows {
            queue.extend(table.fks.iter().map(|f| f.parent.clone()));
        }
        out.push(table);
    }
    Ok(out)
}
