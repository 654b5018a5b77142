//! What the dashboard and the comparison read about an environment's integrations and
//! workflows. No secret value: token columns are never selected.

use serde::Serialize;
use ts_rs::TS;

/// How soon an integration that is healthy counts as expiring.
pub const EXPIRING_SOON_SECS: i64 = 7 * 24 * 3600;

/// What an integration needs, computed once here and shown by the window as is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export_to = "IntegrationHealth.ts")]
pub enum IntegrationHealth {
    Healthy,
    /// Healthy, but its token expires within 7 days.
    Expiring,
    /// Its token expired (by `expires_at`, or its status says `expired`): reconnect.
    Expired,
    /// Its status is not a healthy one (revoked, error, needs_reauthorization…): reconnect.
    Broken,
}

impl IntegrationHealth {
    /// `healthy`: the status is one the mapping calls healthy (or there is no status).
    pub fn of(healthy: bool, status: Option<&str>, expires_in_seconds: Option<i64>) -> Self {
        let expired_status = status.is_some_and(|s| s.trim().eq_ignore_ascii_case("expired"));
        if expires_in_seconds.is_some_and(|s| s < 0) || expired_status {
            IntegrationHealth::Expired
        } else if !healthy {
            IntegrationHealth::Broken
        } else if expires_in_seconds.is_some_and(|s| s < EXPIRING_SOON_SECS) {
            IntegrationHealth::Expiring
        } else {
            IntegrationHealth::Healthy
        }
    }

    /// Usable now (healthy or expiring).
    pub fn usable(self) -> bool {
        matches!(
            self,
            IntegrationHealth::Healthy | IntegrationHealth::Expiring
        )
    }

    pub fn as_str(self) -> &'static str {
        match self {
            IntegrationHealth::Healthy => "healthy",
            IntegrationHealth::Expiring => "expiring",
            IntegrationHealth::Expired => "expired",
            IntegrationHealth::Broken => "broken",
        }
    }
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export_to = "IntegrationRow.ts")]
pub struct IntegrationRow {
    pub provider: String,
    pub account: Option<String>,
    pub status: Option<String>,
    /// The status is one the mapping calls healthy (or there is no status column).
    pub healthy: bool,
    pub health: IntegrationHealth,
    pub expires_at: Option<String>,
    /// Negative once expired.
    #[ts(type = "number | null")]
    pub expires_in_seconds: Option<i64>,
    pub updated_at: Option<String>,
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export_to = "WorkflowRow.ts")]
pub struct WorkflowRow {
    pub key: String,
    pub name: String,
    pub active: Option<bool>,
    pub updated_at: Option<String>,
    #[ts(type = "number | null")]
    pub runs: Option<u64>,
    #[ts(type = "number | null")]
    pub failures: Option<u64>,
    pub last_run_at: Option<String>,
    pub last_run_status: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::IntegrationHealth as H;

    #[test]
    fn one_rule_decides_an_integrations_health() {
        assert_eq!(H::of(true, Some("connected"), Some(30 * 86400)), H::Healthy);
        assert_eq!(H::of(true, Some("connected"), None), H::Healthy);
        assert_eq!(H::of(true, Some("connected"), Some(3600)), H::Expiring);
        assert_eq!(H::of(true, Some("connected"), Some(-1)), H::Expired);
        // A status that says expired wins over a future expires_at (the dashboard and the
        // parity grid used to disagree here).
        assert_eq!(H::of(false, Some("expired"), Some(86400)), H::Expired);
        assert_eq!(H::of(false, Some("revoked"), Some(86400)), H::Broken);
        assert_eq!(H::of(false, Some("needs_reauthorization"), None), H::Broken);
    }
}
