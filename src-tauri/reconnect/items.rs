//! The wizard's to-do list for one environment. Pure: built from the rows each
//! environment's snapshot read.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::snapshot::{IntegrationHealth, IntegrationRow};
use crate::workspace::{EnvKind, Workspace};

/// Why a provider is on the list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export_to = "ReconnectReason.ts", rename = "ReconnectReason")]
pub enum Reason {
    /// Healthy in the reference environment, absent here.
    Missing,
    /// Its token expired here.
    Expired,
    /// Its status here is not a healthy one.
    Broken,
    /// The person asked for it (`--provider`, or added in the window).
    Asked,
}

/// One provider to reconnect here.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export_to = "ReconnectItem.ts", rename = "ReconnectItem")]
pub struct Item {
    pub provider: String,
    /// The account expected to land: the reference row's, else the expired/broken row's.
    pub account: Option<String>,
    pub reason: Reason,
    /// "never connected here", "expired 3 days ago", "status revoked".
    pub why: String,
}

/// The environment the wizard compares with: `from` when given, else the first
/// development environment that is not `env`. `None` when there is none.
pub fn reference_env(ws: &Workspace, env: &str, from: Option<&str>) -> Result<Option<String>> {
    if let Some(f) = from {
        ws.environment(f)?;
        if f == env {
            return Err(Error::invalid_input(format!(
                "--from {f} is the environment being reconnected: compare with another one (e.g. the development environment where the integration works)"
            )));
        }
        return Ok(Some(f.to_string()));
    }
    Ok(ws
        .environments
        .iter()
        .find(|e| e.kind == EnvKind::Development && e.name != env)
        .map(|e| e.name.clone()))
}

/// What to reconnect in `env`: providers healthy in the reference environment but absent
/// here, and those expired or broken here. `asked` adds providers, and when it is not empty
/// the list is limited to them.
pub fn items(
    env: &str,
    reference_env: Option<&str>,
    rows_env: &[IntegrationRow],
    rows_ref: &[IntegrationRow],
    asked: &[String],
) -> Vec<Item> {
    let mut out: Vec<Item> = Vec::new();
    let mut providers: Vec<&str> = rows_env
        .iter()
        .chain(rows_ref)
        .map(|r| r.provider.as_str())
        .collect();
    providers.sort();
    providers.dedup();
    for p in providers {
        let here: Vec<&IntegrationRow> = rows_env.iter().filter(|r| r.provider == p).collect();
        let there: Vec<&IntegrationRow> = rows_ref
            .iter()
            .filter(|r| r.provider == p && r.health.usable())
            .collect();
        let ref_account = there.iter().find_map(|r| r.account.clone());
        if here.is_empty() {
            if let (Some(re), false) = (reference_env, there.is_empty()) {
                out.push(Item {
                    provider: p.to_string(),
                    account: ref_account,
                    reason: Reason::Missing,
                    why: format!("never connected in {env}; healthy in {re}"),
                });
            }
            continue;
        }
        if here.iter().any(|r| r.health.usable()) {
            continue;
        }
        // Every row here needs a reconnect: the worst one says why.
        let Some(worst) = here.iter().max_by_key(|r| r.health) else {
            continue;
        };
        let (reason, why) = match worst.health {
            IntegrationHealth::Expired => (
                Reason::Expired,
                match worst.expires_in_seconds {
                    Some(s) if s < 0 => {
                        format!("expired {} ago", crate::compare::parity::human_duration(-s))
                    }
                    _ => "status expired".to_string(),
                },
            ),
            _ => (
                Reason::Broken,
                format!(
                    "status {}",
                    worst.status.as_deref().unwrap_or("not a healthy one")
                ),
            ),
        };
        out.push(Item {
            provider: p.to_string(),
            account: ref_account.or_else(|| worst.account.clone()),
            reason,
            why,
        });
    }
    if !asked.is_empty() {
        out.retain(|i| asked.iter().any(|a| a.eq_ignore_ascii_case(&i.provider)));
        for a in asked {
            if !out.iter().any(|i| i.provider.eq_ignore_ascii_case(a)) {
                let account = rows_ref
                    .iter()
                    .chain(rows_env)
                    .find(|r| r.provider.eq_ignore_ascii_case(a))
                    .and_then(|r| r.account.clone());
                out.push(Item {
                    provider: a.clone(),
                    account,
                    reason: Reason::Asked,
                    why: "asked for".to_string(),
                });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(provider: &str, account: &str, health: IntegrationHealth) -> IntegrationRow {
        IntegrationRow {
            provider: provider.into(),
            account: Some(account.into()),
            status: Some(
                if health == IntegrationHealth::Broken {
                    "revoked"
                } else {
                    "connected"
                }
                .into(),
            ),
            healthy: health != IntegrationHealth::Broken,
            health,
            expires_at: None,
            expires_in_seconds: (health == IntegrationHealth::Expired).then_some(-86400 * 3),
            updated_at: None,
        }
    }

    #[test]
    fn missing_expired_and_broken_providers_are_listed_with_the_expected_account() {
        use IntegrationHealth as H;
        let dev = vec![
            row("twitter", "ana@x", H::Healthy),
            row("github", "ana@x", H::Healthy),
            row("slack", "ana@x", H::Healthy),
            row("notion", "ana@x", H::Broken),
        ];
        let prod = vec![
            row("github", "ops@x", H::Expired),
            row("slack", "ana@x", H::Healthy),
            row("stripe", "bob@x", H::Broken),
        ];
        let got = items("prod", Some("dev"), &prod, &dev, &[]);
        let summary: Vec<(&str, Option<&str>, Reason)> = got
            .iter()
            .map(|i| (i.provider.as_str(), i.account.as_deref(), i.reason))
            .collect();
        assert_eq!(
            summary,
            vec![
                ("github", Some("ana@x"), Reason::Expired),
                ("stripe", Some("bob@x"), Reason::Broken),
                ("twitter", Some("ana@x"), Reason::Missing),
            ]
        );
        assert_eq!(got[0].why, "expired 3 days ago");
        // --provider limits the list, and adds a provider nobody has.
        let asked = items(
            "prod",
            Some("dev"),
            &prod,
            &dev,
            &["twitter".into(), "linkedin".into()],
        );
        let names: Vec<&str> = asked.iter().map(|i| i.provider.as_str()).collect();
        assert_eq!(names, vec!["twitter", "linkedin"]);
        assert_eq!(asked[1].reason, Reason::Asked);
    }
}
