//! The integration parity grid (provider × every environment) and the two JSON values
//! behind a workflow or reference-data finding.

use std::collections::BTreeMap;

use serde::Serialize;
use ts_rs::TS;

use super::Context;
use crate::api::views::IntegrationRow;
use crate::compare::{self, Area};
use crate::error::{AppError, Error, Result};
use crate::workspace::{Environment, Workspace};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export_to = "ParityState.ts")]
pub enum ParityState {
    Healthy,
    Expiring,
    Expired,
    Broken,
    Missing,
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export_to = "ParityCell.ts")]
pub struct ParityCell {
    pub env: String,
    pub state: ParityState,
    pub accounts: u32,
    /// Connected somewhere else but not usable here: the reconnect wizard's to-do list.
    pub needs_reconnect: bool,
    pub detail: Option<String>,
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export_to = "ParityRow.ts")]
pub struct ParityRow {
    pub provider: String,
    pub cells: Vec<ParityCell>,
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export_to = "EnvError.ts")]
pub struct EnvError {
    pub env: String,
    pub error: AppError,
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export_to = "ParityGrid.ts")]
pub struct ParityGrid {
    pub environments: Vec<String>,
    pub rows: Vec<ParityRow>,
    pub errors: Vec<EnvError>,
}

async fn env_integrations(
    ctx: &Context,
    ws: &Workspace,
    env: &Environment,
) -> Result<Vec<IntegrationRow>> {
    let mut c = ctx.connect(ws, env).await?;
    let rows = crate::snapshot::integrations(&mut c, &ws.integrations, ctx.now()).await;
    c.close().await;
    rows
}

/// Every provider against every environment; an unreachable environment is listed in
/// `errors` and its column stays empty.
pub async fn integration_parity(ctx: &Context, ws: &Workspace) -> ParityGrid {
    let loads = ws.environments.iter().map(|e| env_integrations(ctx, ws, e));
    let results = futures::future::join_all(loads).await;
    let mut errors = Vec::new();
    let mut per_env: Vec<(String, Vec<IntegrationRow>)> = Vec::new();
    for (e, r) in ws.environments.iter().zip(results) {
        match r {
            Ok(rows) => per_env.push((e.name.clone(), rows)),
            Err(err) => errors.push(EnvError {
                env: e.name.clone(),
                error: err.to_wire(),
            }),
        }
    }
    let mut providers: BTreeMap<String, ()> = BTreeMap::new();
    for (_, rows) in &per_env {
        for r in rows {
            providers.insert(r.provider.clone(), ());
        }
    }
    let rows = providers
        .keys()
        .map(|p| {
            let states: Vec<(String, Option<&'static str>, Vec<&IntegrationRow>)> = per_env
                .iter()
                .map(|(env, rows)| {
                    let mine: Vec<&IntegrationRow> =
                        rows.iter().filter(|r| &r.provider == p).collect();
                    (env.clone(), compare::parity_state(&mine), mine)
                })
                .collect();
            let healthy_somewhere = states
                .iter()
                .any(|(_, s, _)| matches!(s, Some("healthy" | "expiring")));
            let cells = states
                .into_iter()
                .map(|(env, s, mine)| {
                    let state = match s {
                        None => ParityState::Missing,
                        Some("healthy") => ParityState::Healthy,
                        Some("expiring") => ParityState::Expiring,
                        Some("expired") => ParityState::Expired,
                        _ => ParityState::Broken,
                    };
                    let needs_reconnect = healthy_somewhere
                        && matches!(
                            state,
                            ParityState::Missing | ParityState::Expired | ParityState::Broken
                        );
                    let soonest = mine.iter().filter_map(|r| r.expires_in_seconds).min();
                    let detail = match state {
                        ParityState::Missing => Some("never connected here".to_string()),
                        ParityState::Expired => {
                            soonest.map(|s| format!("expired {} ago", human_duration(-s)))
                        }
                        ParityState::Broken => mine
                            .iter()
                            .find(|r| !r.healthy)
                            .and_then(|r| r.status.clone())
                            .map(|s| format!("status {s}")),
                        ParityState::Expiring => {
                            soonest.map(|s| format!("expires in {}", human_duration(s)))
                        }
                        ParityState::Healthy => None,
                    };
                    ParityCell {
                        env,
                        state,
                        accounts: mine.len() as u32,
                        needs_reconnect,
                        detail,
                    }
                })
                .collect();
            ParityRow {
                provider: p.clone(),
                cells,
            }
        })
        .collect();
    ParityGrid {
        environments: ws.environments.iter().map(|e| e.name.clone()).collect(),
        rows,
        errors,
    }
}

/// "3 days", "5 hours", "12 minutes".
fn human_duration(secs: i64) -> String {
    let s = secs.max(0);
    let (n, unit) = if s >= 86400 {
        (s / 86400, "day")
    } else if s >= 3600 {
        (s / 3600, "hour")
    } else {
        ((s / 60).max(1), "minute")
    };
    format!("{n} {unit}{}", if n == 1 { "" } else { "s" })
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export_to = "ValuePair.ts")]
pub struct ValuePair {
    pub from_json: Option<String>,
    pub to_json: Option<String>,
}

/// Replaces the value of every field whose name looks secret (`crate::secrets::looks_secret`).
fn redact(v: &mut serde_json::Value) {
    match v {
        serde_json::Value::Object(m) => {
            for (k, val) in m.iter_mut() {
                if crate::secrets::looks_secret(k)
                    && !val.is_object()
                    && !val.is_array()
                    && !val.is_null()
                {
                    *val = serde_json::Value::String("<redacted>".into());
                } else {
                    redact(val);
                }
            }
        }
        serde_json::Value::Array(a) => a.iter_mut().for_each(redact),
        _ => {}
    }
}

fn pretty(mut v: serde_json::Value) -> String {
    redact(&mut v);
    serde_json::to_string_pretty(&v).unwrap_or_default()
}

/// The two values behind a `workflows` or `reference_data` finding, secrets redacted.
pub async fn finding_values(
    ctx: &Context,
    ws: &Workspace,
    from: &str,
    to: &str,
    area: Area,
    key: &str,
) -> Result<ValuePair> {
    let (fe, te) = (ws.environment(from)?, ws.environment(to)?);
    let (mut a, mut b) = futures::try_join!(ctx.connect(ws, fe), ctx.connect(ws, te))?;
    match area {
        Area::Workflows => {
            let (x, y) = futures::try_join!(
                crate::snapshot::workflow_records(
                    &mut a,
                    &ws.workflows,
                    &ws.integrations.secret_columns
                ),
                crate::snapshot::workflow_records(
                    &mut b,
                    &ws.workflows,
                    &ws.integrations.secret_columns
                )
            )?;
            let pick = |rs: &[crate::snapshot::WorkflowRecord]| {
                rs.iter().find(|r| r.key == key).map(|r| {
                    let mut obj = serde_json::Map::new();
                    if let Some(act) = r.active {
                        obj.insert("active".into(), act.into());
                    }
                    for (c, v) in &r.columns {
                        obj.insert(
                            c.clone(),
                            v.clone().map(Into::into).unwrap_or(serde_json::Value::Null),
                        );
                    }
                    if let Some(d) = &r.definition {
                        obj.insert(
                            "definition".into(),
                            compare::normalise_workflow_definition(d),
                        );
                    }
                    pretty(serde_json::Value::Object(obj))
                })
            };
            Ok(ValuePair {
                from_json: pick(&x),
                to_json: pick(&y),
            })
        }
        Area::ReferenceData => {
            let table = ws
                .reference_data
                .iter()
                .filter(|r| key.starts_with(&format!("{}/", r.table)))
                .max_by_key(|r| r.table.len())
                .ok_or_else(|| {
                    Error::invalid_input(format!(
                        "{key:?} does not name a row of a [[reference_data]] table"
                    ))
                })?;
            let parts: Vec<&str> = key[table.table.len() + 1..]
                .splitn(table.key.len(), '/')
                .collect();
            let (x, y) = futures::try_join!(
                crate::tablediff::row_json(
                    &mut a,
                    &table.table,
                    &table.key,
                    &parts,
                    &table.ignore,
                    &ws.integrations.secret_columns
                ),
                crate::tablediff::row_json(
                    &mut b,
                    &table.table,
                    &table.key,
                    &parts,
                    &table.ignore,
                    &ws.integrations.secret_columns
                )
            )?;
            Ok(ValuePair {
                from_json: x.map(pretty),
                to_json: y.map(pretty),
            })
        }
        other => Err(Error::invalid_input(format!(
            "findings in {other} have no values to show side by side (only workflows and reference_data do)"
        ))),
    }
}
