//! The expiry watch in the window: on start and every interval (Settings), the open
//! workspace's integrations are checked ([`crate::api::expiry::check_current`]) and each
//! notice becomes a desktop notification. A click on one (or its "Reconnect…" button)
//! brings the window forward and emits [`RECONNECT_OPEN`] with the environment, which the
//! window answers by opening the reconnect wizard there.
//!
//! Notifications are a nicety: with no notification server (a headless session, the test
//! suite's private D-Bus) sending fails, is logged, and nothing else happens.

use std::sync::atomic::{AtomicI32, Ordering};
use std::time::Duration;

use serde::Serialize;
use tauri::{AppHandle, Emitter, Manager, Runtime};
use tauri_plugin_notification::{Action, ActionPerformed, ActionType, NotificationExt};
use tokio::time::Instant;

use crate::api::Context;
use crate::expiry::{Notice, NoticeKind};

/// Emitted to the window when a notification is clicked: `{ env }`.
pub const RECONNECT_OPEN: &str = "reconnect-open";

const ACTION_TYPE: &str = "envdeck-reconnect";
const ACTION_RECONNECT: &str = "reconnect";

/// How often the loop looks at the settings: a change takes effect within this long.
const TICK: Duration = Duration::from_secs(60);

#[derive(Debug, Clone, Serialize)]
struct ReconnectOpen {
    env: String,
    /// The notified integration: the wizard lists it even when it is only expiring.
    provider: Option<String>,
    account: Option<String>,
}

/// Registers the click handling, then runs the watch for as long as the app runs.
pub fn start<R: Runtime>(app: &AppHandle<R>, ctx: Context) {
    let notifications = app.notification();
    let reconnect = Action::builder(ACTION_RECONNECT, "Reconnect…").build();
    let kind = ActionType::builder(ACTION_TYPE)
        .actions(vec![reconnect])
        .build();
    if let Err(e) = notifications.register_action_types(vec![kind]) {
        tracing::warn!("notification actions unavailable: {e}");
    }
    // Registered before the first notification: only those shown after a handler exists
    // report their clicks.
    let handle = app.clone();
    let _ = notifications.on_action(move |a| on_action(&handle, a));
    tauri::async_runtime::spawn(run(app.clone(), ctx));
}

fn on_action<R: Runtime>(app: &AppHandle<R>, a: &ActionPerformed) {
    if !matches!(a.action_id(), "tap" | ACTION_RECONNECT) {
        return;
    }
    let Some(env) = a
        .notification()
        .and_then(|n| n.extra().get("env"))
        .and_then(|v| v.as_str())
    else {
        tracing::warn!(
            action = a.action_id(),
            "a notification was clicked but names no environment"
        );
        return;
    };
    tracing::info!(
        env,
        action = a.action_id(),
        "notification clicked: opening the reconnect wizard"
    );
    if let Some(w) = app.get_webview_window("main") {
        let _ = w.unminimize();
        let _ = w.show();
        let _ = w.set_focus();
    }
    let extra = |k: &str| {
        a.notification()
            .and_then(|n| n.extra().get(k))
            .and_then(|v| v.as_str())
            .map(str::to_string)
    };
    let payload = ReconnectOpen {
        env: env.to_string(),
        provider: extra("provider"),
        account: extra("account"),
    };
    if let Err(e) = app.emit_to("main", RECONNECT_OPEN, payload) {
        tracing::warn!("could not tell the window to open the wizard: {e}");
    }
}

async fn run<R: Runtime>(app: AppHandle<R>, ctx: Context) {
    let mut last: Option<Instant> = None;
    loop {
        match crate::api::expiry::settings(&ctx).await {
            Ok(s) if s.enabled => {
                let every = Duration::from_secs(u64::from(s.interval_minutes) * 60);
                if last.is_none_or(|t| t.elapsed() >= every) {
                    last = Some(Instant::now());
                    check(&app, &ctx).await;
                }
            }
            Ok(_) => {}
            Err(e) => tracing::warn!(code = %e.code, "expiry watch settings: {}", e.message),
        }
        tokio::time::sleep(TICK).await;
    }
}

async fn check<R: Runtime>(app: &AppHandle<R>, ctx: &Context) {
    match crate::api::expiry::check_current(ctx).await {
        Ok(notices) => {
            tracing::info!(count = notices.len(), "expiry check");
            for n in &notices {
                show(app, n);
            }
        }
        Err(e) => tracing::warn!(code = %e.code, "expiry check failed: {}", e.message),
    }
}

static NEXT_ID: AtomicI32 = AtomicI32::new(1);

fn show<R: Runtime>(app: &AppHandle<R>, n: &Notice) {
    let title = match n.kind {
        NoticeKind::Expiring => format!("{} on {} expires soon", n.provider, n.env),
        NoticeKind::Broken => format!("Reconnect {} on {}", n.provider, n.env),
    };
    let sent = app
        .notification()
        .builder()
        .id(NEXT_ID.fetch_add(1, Ordering::Relaxed))
        .title(title)
        .body(&n.sentence)
        .action_type_id(ACTION_TYPE)
        .extra("env", &n.env)
        .extra("provider", &n.provider)
        .extra("account", n.account.as_deref().unwrap_or_default())
        .show();
    match sent {
        Ok(()) => {
            tracing::info!(env = %n.env, provider = %n.provider, kind = n.kind.as_str(), "notification sent (the plugin does not report whether a server showed it)")
        }
        Err(e) => {
            tracing::warn!(env = %n.env, provider = %n.provider, "could not show a notification: {e}")
        }
    }
}
