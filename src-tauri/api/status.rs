//! Is each environment reachable, how fast, and what does the mapping find there.

use super::Context;
use super::views::{EnvDetail, EnvStatus, StatusReport};
use crate::error::{Error, Result};
use crate::workspace::{Environment, Workspace};

/// Every environment's status, checked concurrently; one failing does not stop the others.
pub async fn status(ctx: &Context, ws: &Workspace) -> StatusReport {
    let checks = ws
        .environments
        .iter()
        .map(|e| environment_status(ctx, ws, e));
    StatusReport {
        workspace: ws.name.clone(),
        environments: futures::future::join_all(checks).await,
    }
}

/// One environment's status. Never fails: errors are part of the answer.
pub async fn environment_status(ctx: &Context, ws: &Workspace, env: &Environment) -> EnvStatus {
    let mut s = EnvStatus {
        name: env.name.clone(),
        kind: env.kind,
        protected: env.protected,
        reachable: false,
        latency_ms: None,
        server_version: None,
        integrations: None,
        workflows: None,
        migrations: None,
        error: None,
        error_code: None,
        error_detail: None,
    };
    let fail = |s: &mut EnvStatus, e: Error| {
        tracing::warn!(env = %s.name, code = %e.code, "{}", e.message);
        if s.error.is_none() {
            // As an error crosses IPC: the sentence, and the technical part on its own.
            let wire = e.to_wire();
            s.error = Some(wire.message);
            s.error_code = Some(wire.code);
            s.error_detail = wire.detail;
        }
    };
    let mut conn = match ctx.connect(ws, env).await {
        Ok(c) => c,
        Err(e) => {
            fail(&mut s, e);
            return s;
        }
    };
    match conn.ping().await {
        Ok(d) => {
            s.reachable = true;
            s.latency_ms = Some(d.as_millis().min(u32::MAX as u128) as u32);
        }
        Err(e) => {
            fail(&mut s, e);
            conn.close().await;
            return s;
        }
    }
    match conn.server_version().await {
        Ok(v) => s.server_version = Some(v),
        Err(e) => fail(&mut s, e),
    }
    for (table, key, slot) in [
        (&ws.integrations.table, "[integrations] table", 0),
        (&ws.workflows.table, "[workflows] table", 1),
    ] {
        let n = match conn.require_table(table, key).await {
            Ok(()) => conn.count(table).await,
            Err(e) => Err(e),
        };
        match n {
            Ok(n) if slot == 0 => s.integrations = Some(n),
            Ok(n) => s.workflows = Some(n),
            Err(e) => fail(&mut s, e),
        }
    }
    match crate::snapshot::migrations(&mut conn).await {
        Ok(m) => {
            s.migrations = m.map(|m| super::views::MigrationHealth {
                table: m.table,
                applied: m.applied.len() as u32,
            })
        }
        Err(e) => fail(&mut s, e),
    }
    conn.close().await;
    s
}

/// Integrations and workflows read live; each section carries its own error.
pub async fn environment_detail(
    ctx: &Context,
    ws: &Workspace,
    env: &Environment,
) -> Result<EnvDetail> {
    let mut conn = ctx.connect(ws, env).await?;
    let integrations = crate::snapshot::integrations(&mut conn, &ws.integrations, ctx.now()).await;
    let workflows = crate::snapshot::workflows(&mut conn, &ws.workflows).await;
    conn.close().await;
    let (integrations, integrations_error) = match integrations {
        Ok(v) => (v, None),
        Err(e) => (Vec::new(), Some(e.to_wire())),
    };
    let (workflows, workflows_error) = match workflows {
        Ok(v) => (v, None),
        Err(e) => (Vec::new(), Some(e.to_wire())),
    };
    Ok(EnvDetail {
        name: env.name.clone(),
        integrations,
        workflows,
        integrations_error,
        workflows_error,
    })
}
