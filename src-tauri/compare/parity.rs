//! The integration parity grid: every provider against every environment, and what to
//! reconnect where. Pure: built from the rows each environment's snapshot read.

use std::collections::BTreeSet;

use serde::Serialize;
use ts_rs::TS;

use crate::error::AppError;
use crate::snapshot::{IntegrationHealth, IntegrationRow};

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

impl From<IntegrationHealth> for ParityState {
    fn from(h: IntegrationHealth) -> Self {
        match h {
            IntegrationHealth::Healthy => ParityState::Healthy,
            IntegrationHealth::Expiring => ParityState::Expiring,
            IntegrationHealth::Expired => ParityState::Expired,
            IntegrationHealth::Broken => ParityState::Broken,
        }
    }
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

/// The state of one provider's connections in one environment: the worst account decides
/// (a broken or expired one needs a reconnect). `None` when the provider has no row there.
pub fn parity_state(rows: &[&IntegrationRow]) -> Option<IntegrationHealth> {
    rows.iter().map(|r| r.health).max()
}

/// The grid over `environments` (in order). An environment whose rows could not be read is
/// in `errors`, and its column stays empty.
pub fn grid(
    environments: Vec<String>,
    read: Vec<(String, Result<Vec<IntegrationRow>, AppError>)>,
) -> ParityGrid {
    let mut errors = Vec::new();
    let mut per_env: Vec<(String, Vec<IntegrationRow>)> = Vec::new();
    for (env, r) in read {
        match r {
            Ok(rows) => per_env.push((env, rows)),
            Err(error) => errors.push(EnvError { env, error }),
        }
    }
    let providers: BTreeSet<&str> = per_env
        .iter()
        .flat_map(|(_, rows)| rows.iter().map(|r| r.provider.as_str()))
        .collect();
    let rows = providers
        .into_iter()
        .map(|p| {
            let states: Vec<(&str, Option<IntegrationHealth>, Vec<&IntegrationRow>)> = per_env
                .iter()
                .map(|(env, rows)| {
                    let mine: Vec<&IntegrationRow> =
                        rows.iter().filter(|r| r.provider == p).collect();
                    (env.as_str(), parity_state(&mine), mine)
                })
                .collect();
            let usable_somewhere = states
                .iter()
                .any(|(_, s, _)| s.is_some_and(IntegrationHealth::usable));
            let cells = states
                .into_iter()
                .map(|(env, s, mine)| cell(env, s, &mine, usable_somewhere))
                .collect();
            ParityRow {
                provider: p.to_string(),
                cells,
            }
        })
        .collect();
    ParityGrid {
        environments,
        rows,
        errors,
    }
}

fn cell(
    env: &str,
    health: Option<IntegrationHealth>,
    mine: &[&IntegrationRow],
    usable_somewhere: bool,
) -> ParityCell {
    let state = health
        .map(ParityState::from)
        .unwrap_or(ParityState::Missing);
    let needs_reconnect = usable_somewhere
        && matches!(
            state,
            ParityState::Missing | ParityState::Expired | ParityState::Broken
        );
    let soonest = mine.iter().filter_map(|r| r.expires_in_seconds).min();
    let detail = match state {
        ParityState::Missing => Some("never connected here".to_string()),
        ParityState::Expired => match soonest {
            Some(s) if s < 0 => Some(format!("expired {} ago", human_duration(-s))),
            _ => Some("status expired".to_string()),
        },
        ParityState::Broken => mine
            .iter()
            .find(|r| r.health == IntegrationHealth::Broken)
            .and_then(|r| r.status.clone())
            .map(|s| format!("status {s}")),
        ParityState::Expiring => soonest.map(|s| format!("expires in {}", human_duration(s))),
        ParityState::Healthy => None,
    };
    ParityCell {
        env: env.to_string(),
        state,
        accounts: mine.len() as u32,
        needs_reconnect,
        detail,
    }
}

/// "3 days", "5 hours", "12 minutes".
pub(crate) fn human_duration(secs: i64) -> String {
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
