//! The expiry watch: which integrations the window tells about with a desktop notification
//! (the rule is [`crate::expiry`]), told at most once per integration per day, and the
//! watch's settings. The window calls [`check_current`] on start and every interval; nothing
//! here shows a notification, so tests run the check without a window.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::Context;
use crate::error::{Error, Result};
use crate::expiry::{EnvIntegrations, Notice};
use crate::workspace::Workspace;

/// Whether the window checks integrations, and how often.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export_to = "WatchSettings.ts")]
pub struct WatchSettings {
    /// Check on start and every `interval_minutes`.
    pub enabled: bool,
    pub interval_minutes: u32,
}

impl Default for WatchSettings {
    fn default() -> Self {
        WatchSettings {
            enabled: true,
            interval_minutes: DEFAULT_INTERVAL_MINUTES,
        }
    }
}

pub const DEFAULT_INTERVAL_MINUTES: u32 = 30;
/// The shortest and longest interval the setting accepts.
pub const INTERVAL_RANGE: std::ops::RangeInclusive<u32> = 5..=24 * 60;

const KEY_ENABLED: &str = "expiry_watch.enabled";
const KEY_INTERVAL: &str = "expiry_watch.interval_minutes";

/// The saved settings; a value that does not read (a hand-edited store) falls back to the
/// default.
pub async fn settings(ctx: &Context) -> Result<WatchSettings> {
    let d = WatchSettings::default();
    let enabled = ctx.store.setting(KEY_ENABLED).await?;
    let interval = ctx.store.setting(KEY_INTERVAL).await?;
    Ok(WatchSettings {
        enabled: enabled.map_or(d.enabled, |v| v != "false"),
        interval_minutes: interval
            .and_then(|v| v.parse().ok())
            .filter(|m| INTERVAL_RANGE.contains(m))
            .unwrap_or(d.interval_minutes),
    })
}

/// Saves the settings; answers them as saved.
pub async fn set_settings(ctx: &Context, s: WatchSettings) -> Result<WatchSettings> {
    if !INTERVAL_RANGE.contains(&s.interval_minutes) {
        return Err(Error::invalid_input(format!(
            "check every {} minutes is out of range: pick between {} and {} minutes",
            s.interval_minutes,
            INTERVAL_RANGE.start(),
            INTERVAL_RANGE.end()
        )));
    }
    let store = &ctx.store;
    store
        .set_setting(KEY_ENABLED, if s.enabled { "true" } else { "false" })
        .await?;
    store
        .set_setting(KEY_INTERVAL, &s.interval_minutes.to_string())
        .await?;
    settings(ctx).await
}

/// The integrations worth a notification now that were not told about yet today; what it
/// answers is recorded as told. An environment that cannot be read is skipped (logged):
/// the dashboard shows why, and a notification about an unreachable database would fire
/// on every laptop that is offline.
pub async fn expiry_check(ctx: &Context, ws: &Workspace) -> Result<Vec<Notice>> {
    let loads = ws
        .environments
        .iter()
        .map(|e| super::parity::env_integrations(ctx, ws, e));
    let results = futures::future::join_all(loads).await;
    let mut read = Vec::new();
    for (env, r) in ws.environments.iter().zip(results) {
        match r {
            Ok(rows) => read.push((env, rows)),
            Err(e) => {
                tracing::info!(env = %env.name, code = %e.code, "expiry check skipped: {}", e.message)
            }
        }
    }
    let envs: Vec<EnvIntegrations<'_>> = read
        .iter()
        .map(|(env, rows)| EnvIntegrations {
            env: &env.name,
            protected: env.protected,
            rows,
        })
        .collect();
    let candidates = crate::expiry::notices(&envs);
    let day = crate::expiry::day(ctx.now());
    let now = ctx.now_text();
    ctx.store.forget_notified_before(&ws.name, &day).await?;
    let mut out = Vec::new();
    for n in candidates {
        let fresh = ctx.store.notify_once(&ws.name, &n, &day, &now).await?;
        if fresh {
            out.push(n);
        }
    }
    Ok(out)
}

/// [`expiry_check`] on the workspace the window has open (the last one opened), when the
/// watch is on. The demo is never checked: its tokens are made up. Before any workspace was
/// opened there is nothing to check (and the window, not the watch, writes the demo out).
pub async fn check_current(ctx: &Context) -> Result<Vec<Notice>> {
    if !settings(ctx).await?.enabled {
        return Ok(Vec::new());
    }
    let opened = ctx.store.setting(super::workspace::LAST_WORKSPACE).await?;
    if opened.is_none() {
        return Ok(Vec::new());
    }
    let ws = super::workspace::current(ctx).await?;
    if super::workspace::view(ctx, &ws).is_demo {
        return Ok(Vec::new());
    }
    expiry_check(ctx, &ws).await
}
