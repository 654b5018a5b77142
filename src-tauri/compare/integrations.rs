//! Integrations by (provider, account): what must be reconnected where.

use std::collections::BTreeMap;

use super::{Area, Finding, FindingKind, KeyPart, KeyParts, Severity};
use crate::snapshot::{IntegrationHealth, IntegrationRow};

/// `provider` and `account` (when there is one): the parts behind [`key`].
fn parts(r: &IntegrationRow) -> KeyParts {
    let mut p = vec![KeyPart::text(&r.provider)];
    if let Some(a) = r.account.as_ref().filter(|a| !a.is_empty()) {
        p.push(KeyPart::text(a));
    }
    KeyParts::of(None, p)
}

fn key(r: &IntegrationRow) -> String {
    match &r.account {
        Some(a) if !a.is_empty() => format!("{}/{a}", r.provider),
        _ => r.provider.clone(),
    }
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
            None if fr.health.usable() => out.push(Finding::new(
                Area::Integrations,
                FindingKind::Missing,
                k,
                Severity::Warning,
                format!(
                    "{} is connected in {from_env} but has no connection in {to_env}: connect it in {to_env} (tokens are never copied between environments)",
                    fr.provider
                ),
            ).with_parts(parts(fr))),
            _ => {}
        }
    }
    for (k, tr) in &b {
        if tr.health == IntegrationHealth::Expired {
            let detail = match tr.expires_in_seconds {
                Some(s) if s < 0 => {
                    let days = -s / 86400;
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
                    )
                }
                _ => format!(
                    "{}'s connection in {to_env} has status expired: reconnect it in {to_env}",
                    tr.provider
                ),
            };
            out.push(
                Finding::new(
                    Area::Integrations,
                    FindingKind::Expired,
                    k,
                    Severity::Warning,
                    detail,
                )
                .with_parts(parts(tr)),
            );
        } else if tr.health == IntegrationHealth::Broken {
            out.push(
                Finding::new(
                    Area::Integrations,
                    FindingKind::Broken,
                    k,
                    Severity::Warning,
                    format!(
                        "{} in {to_env} has status {:?}: reconnect it in {to_env}",
                        tr.provider,
                        tr.status.as_deref().unwrap_or("")
                    ),
                )
                .with_parts(parts(tr)),
            );
        }
        if !a.contains_key(k) {
            out.push(
                Finding::new(
                    Area::Integrations,
                    FindingKind::Extra,
                    k,
                    Severity::Info,
                    format!("{} is connected in {to_env} only", tr.provider),
                )
                .with_parts(parts(tr)),
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(p: &str, status: &str, healthy: bool, exp: Option<i64>) -> IntegrationRow {
        IntegrationRow {
            provider: p.into(),
            account: Some("ana@acme.test".into()),
            health: IntegrationHealth::of(healthy, Some(status), exp),
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
