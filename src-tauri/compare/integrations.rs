//! Integrations by (provider, account): what must be reconnected where.

use std::collections::BTreeMap;

use super::{Area, Finding, Severity};
use crate::api::views::IntegrationRow;

const EXPIRING_SOON_SECS: i64 = 7 * 24 * 3600;

fn key(r: &IntegrationRow) -> String {
    match &r.account {
        Some(a) if !a.is_empty() => format!("{}/{a}", r.provider),
        _ => r.provider.clone(),
    }
}

fn expired(r: &IntegrationRow) -> bool {
    r.expires_in_seconds.is_some_and(|s| s < 0)
}

pub fn integrations(
    from_env: &str,
    to_env: &str,
    from: &[IntegrationRow],
    to: &[IntegrationRow],
) -> Vec<Finding> {
    let a: BTreeMap<String, &IntegrationRow> = from.iter().map(|r| (key(r), r)).collect();
    let b: BTreeMap<String, &IntegrationRow> = to.iter().map(|r| (key(r), r)).collect();
    let mut out = Vec::new();
    for (k, fr) in &a {
        match b.get(k) {
            None if fr.healthy && !expired(fr) => out.push(Finding::new(
                Area::Integrations,
                "missing",
                k,
                Severity::Warning,
                format!(
                    "{} is connected in {from_env} but has no connection in {to_env}: connect it in {to_env} (tokens are never copied between environments)",
                    fr.provider
                ),
            )),
            _ => {}
        }
    }
    for (k, tr) in &b {
        if expired(tr) {
            let days = (-tr.expires_in_seconds.unwrap_or(0)) / 86400;
            out.push(Finding::new(
                Area::Integrations,
                "expired",
                k,
                Severity::Warning,
                format!(
                    "{}'s token in {to_env} expired {} ago{}: reconnect it in {to_env}",
                    tr.provider,
                    if days >= 1 {
                        format!("{days} day(s)")
                    } else {
                        "less than a day".into()
                    },
                    tr.status
                        .as_deref()
                        .map(|s| format!(" (status {s})"))
                        .unwrap_or_default()
                ),
            ));
        } else if !tr.healthy {
            out.push(Finding::new(
                Area::Integrations,
                "broken",
                k,
                Severity::Warning,
                format!(
                    "{} in {to_env} has status {:?}: reconnect it in {to_env}",
                    tr.provider,
                    tr.status.as_deref().unwrap_or("")
                ),
            ));
        }
        if !a.contains_key(k) {
            out.push(Finding::new(
                Area::Integrations,
                "extra",
                k,
                Severity::Info,
                format!("{} is connected in {to_env} only", tr.provider),
            ));
        }
    }
    out
}

/// The state of one provider's connections in one environment, for the parity grid.
/// `None` when the provider has no row there.
pub fn parity_state(rows: &[&IntegrationRow]) -> Option<&'static str> {
    if rows.is_empty() {
        return None;
    }
    // The worst account decides: a broken or expired one needs a reconnect.
    let mut state = "healthy";
    for r in rows {
        let s = if expired(r) {
            "expired"
        } else if !r.healthy {
            "broken"
        } else if r.expires_in_seconds.is_some_and(|s| s < EXPIRING_SOON_SECS) {
            "expiring"
        } else {
            "healthy"
        };
        let rank = |x: &str| match x {
            "broken" => 3,
            "expired" => 2,
            "expiring" => 1,
            _ => 0,
        };
        if rank(s) > rank(state) {
            state = s;
        }
    }
    Some(state)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(p: &str, status: &str, healthy: bool, exp: Option<i64>) -> IntegrationRow {
        IntegrationRow {
            provider: p.into(),
            account: Some("ana@acme.test".into()),
            status: Some(status.into()),
            healthy,
            expires_at: None,
            expires_in_seconds: exp,
            updated_at: None,
        }
    }

    #[test]
    fn each_kind_is_found_once() {
        let from = [
            row("twitter", "connected", true, Some(86400)),
            row("slack", "connected", true, None),
        ];
        let to = [
            row("slack", "expired", false, Some(-600_000)),
            row("instagram", "needs_reauthorization", false, Some(86400)),
        ];
        let f = integrations("dev", "prod", &from, &to);
        let kinds: Vec<(&str, &str)> = f
            .iter()
            .map(|f| (f.kind.as_str(), f.key.as_str()))
            .collect();
        assert_eq!(
            kinds,
            [
                ("missing", "twitter/ana@acme.test"),
                ("broken", "instagram/ana@acme.test"),
                ("extra", "instagram/ana@acme.test"),
                ("expired", "slack/ana@acme.test"),
            ]
        );
        assert!(f[3].detail.contains("6 day(s)"), "{}", f[3].detail);
    }
}
