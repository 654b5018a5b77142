//! The expiry watch's rule: which integrations deserve a desktop notification. Pure (no I/O,
//! no clock): the api reads each environment's integrations, asks [`notices`], and keeps the
//! "at most once per integration per day" record in the local store.
//!
//! The rule: a token expiring within 7 days (the one rule of
//! [`IntegrationHealth::Expiring`]) is worth a notice in any environment, since it still
//! works and can be renewed before it stops; an integration that already needs a reconnect
//! (expired or broken) is worth one only in a protected environment, where it means the
//! product is failing for real users. A dev token that lapsed is routine, not an alarm.

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::snapshot::{IntegrationHealth, IntegrationRow};

/// Why an integration is on the list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NoticeKind {
    /// Healthy, but its token expires within 7 days.
    Expiring,
    /// Expired or broken, in a protected environment: reconnect it now.
    Broken,
}

impl NoticeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            NoticeKind::Expiring => "expiring",
            NoticeKind::Broken => "broken",
        }
    }
}

/// One desktop notification: which integration, why, and the sentence it shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Notice {
    pub env: String,
    pub provider: String,
    pub account: Option<String>,
    pub kind: NoticeKind,
    /// What the notification says, e.g. "twitter (ana@acme.test) in prod expires in 3 days:
    /// reconnect it before it stops working."
    pub sentence: String,
    /// Seconds until the token expires (negative once expired), when known.
    pub expires_in_seconds: Option<i64>,
}

/// One environment's integrations, as the dashboard reads them.
#[derive(Debug, Clone, Copy)]
pub struct EnvIntegrations<'a> {
    pub env: &'a str,
    pub protected: bool,
    pub rows: &'a [IntegrationRow],
}

/// The notices the rule gives, one per (environment, provider, account) at most (the most
/// urgent row wins when several users hold the same one), in the environments' order, then
/// by provider and account.
pub fn notices(envs: &[EnvIntegrations<'_>]) -> Vec<Notice> {
    let mut out: Vec<Notice> = Vec::new();
    for e in envs {
        let mut mine: Vec<Notice> = Vec::new();
        for row in e.rows {
            let Some(kind) = kind_of(row, e.protected) else {
                continue;
            };
            let notice = Notice {
                env: e.env.to_string(),
                provider: row.provider.clone(),
                account: row.account.clone(),
                kind,
                sentence: sentence(e.env, row, kind),
                expires_in_seconds: row.expires_in_seconds,
            };
            match mine
                .iter_mut()
                .find(|n| n.provider == notice.provider && n.account == notice.account)
            {
                Some(old) if urgency(&notice) < urgency(old) => *old = notice,
                Some(_) => {}
                None => mine.push(notice),
            }
        }
        mine.sort_by(|a, b| (&a.provider, &a.account).cmp(&(&b.provider, &b.account)));
        out.extend(mine);
    }
    out
}

fn kind_of(row: &IntegrationRow, protected: bool) -> Option<NoticeKind> {
    match row.health {
        IntegrationHealth::Expiring => Some(NoticeKind::Expiring),
        IntegrationHealth::Expired | IntegrationHealth::Broken if protected => {
            Some(NoticeKind::Broken)
        }
        _ => None,
    }
}

/// Lower is more urgent: broken first, then the soonest expiry.
fn urgency(n: &Notice) -> (u8, i64) {
    let k = match n.kind {
        NoticeKind::Broken => 0,
        NoticeKind::Expiring => 1,
    };
    (k, n.expires_in_seconds.unwrap_or(i64::MAX))
}

fn sentence(env: &str, row: &IntegrationRow, kind: NoticeKind) -> String {
    let who = match &row.account {
        Some(a) if !a.is_empty() => format!("{} ({a})", row.provider),
        _ => row.provider.clone(),
    };
    match (kind, row.health) {
        (NoticeKind::Expiring, _) => format!(
            "{who} in {env} expires {}: reconnect it before it stops working.",
            row.expires_in_seconds
                .map(|s| format!("in {}", span(s)))
                .unwrap_or_else(|| "soon".into())
        ),
        (NoticeKind::Broken, IntegrationHealth::Expired) => match row.expires_in_seconds {
            Some(s) if s < 0 => format!(
                "{who} in {env} expired {} ago: reconnect it on {env}.",
                span(-s)
            ),
            _ => format!("{who} in {env} has expired: reconnect it on {env}."),
        },
        (NoticeKind::Broken, _) => format!(
            "{who} in {env} is broken{}: reconnect it on {env}.",
            row.status
                .as_deref()
                .map(|s| format!(" (status {s})"))
                .unwrap_or_default()
        ),
    }
}

/// "3 days", "1 day", "5 hours", "12 minutes", "less than a minute".
fn span(secs: i64) -> String {
    let plural = |n: i64, unit: &str| format!("{n} {unit}{}", if n == 1 { "" } else { "s" });
    match secs {
        s if s >= 86_400 => plural(s / 86_400, "day"),
        s if s >= 3_600 => plural(s / 3_600, "hour"),
        s if s >= 60 => plural(s / 60, "minute"),
        _ => "less than a minute".into(),
    }
}

/// The day a notice counts against ("at most once per integration per day"): the UTC date.
pub fn day(now: DateTime<Utc>) -> String {
    now.format("%Y-%m-%d").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::snapshot::EXPIRING_SOON_SECS;

    const DAY: i64 = 86_400;

    fn row(provider: &str, status: &str, healthy: bool, expires_in: Option<i64>) -> IntegrationRow {
        IntegrationRow {
            provider: provider.into(),
            account: Some("ana@acme.test".into()),
            status: Some(status.into()),
            healthy,
            health: IntegrationHealth::of(healthy, Some(status), expires_in),
            expires_at: None,
            expires_in_seconds: expires_in,
            updated_at: None,
        }
    }

    fn run(protected: bool, rows: &[IntegrationRow]) -> Vec<Notice> {
        notices(&[EnvIntegrations {
            env: if protected { "prod" } else { "dev" },
            protected,
            rows,
        }])
    }

    #[test]
    fn a_token_expiring_within_7_days_is_noticed_in_any_environment() {
        let rows = [row("twitter", "connected", true, Some(3 * DAY))];
        for protected in [false, true] {
            let n = run(protected, &rows);
            assert_eq!(n.len(), 1, "{n:?}");
            assert_eq!(n[0].kind, NoticeKind::Expiring);
            assert_eq!(n[0].expires_in_seconds, Some(3 * DAY));
        }
        assert_eq!(
            run(true, &rows)[0].sentence,
            "twitter (ana@acme.test) in prod expires in 3 days: reconnect it before it stops working."
        );
    }

    #[test]
    fn a_token_expiring_later_or_never_is_not_noticed() {
        let rows = [
            row("twitter", "connected", true, Some(30 * DAY)),
            row("slack", "connected", true, Some(EXPIRING_SOON_SECS)),
            row("github", "connected", true, None),
        ];
        assert!(run(true, &rows).is_empty());
        assert!(run(false, &rows).is_empty());
    }

    #[test]
    fn broken_or_expired_is_noticed_only_in_a_protected_environment() {
        let rows = [
            row("stripe", "revoked", false, Some(10 * DAY)),
            row("twitter", "connected", true, Some(-2 * DAY)),
        ];
        assert!(
            run(false, &rows).is_empty(),
            "dev's broken tokens are routine"
        );
        let n = run(true, &rows);
        assert_eq!(n.len(), 2);
        assert!(n.iter().all(|n| n.kind == NoticeKind::Broken));
        assert_eq!(
            n[0].sentence,
            "stripe (ana@acme.test) in prod is broken (status revoked): reconnect it on prod."
        );
        assert_eq!(
            n[1].sentence,
            "twitter (ana@acme.test) in prod expired 2 days ago: reconnect it on prod."
        );
    }

    #[test]
    fn one_notice_per_integration_the_most_urgent_row_wins() {
        let rows = [
            row("twitter", "connected", true, Some(5 * DAY)),
            row("twitter", "connected", true, Some(2 * 3600)),
            row("twitter", "revoked", false, None),
        ];
        let n = run(true, &rows);
        assert_eq!(n.len(), 1, "{n:?}");
        assert_eq!(n[0].kind, NoticeKind::Broken);
        let n = run(false, &rows);
        assert_eq!(n.len(), 1);
        assert_eq!(n[0].expires_in_seconds, Some(2 * 3600));
        assert!(
            n[0].sentence.contains("expires in 2 hours"),
            "{}",
            n[0].sentence
        );
    }

    #[test]
    fn the_day_is_the_utc_date() {
        let t: DateTime<Utc> = "2030-01-01T23:59:59Z".parse().unwrap();
        assert_eq!(day(t), "2030-01-01");
    }
}
