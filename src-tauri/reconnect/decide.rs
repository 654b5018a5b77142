//! Deciding, from one poll of every watched environment, whether the connection landed,
//! landed as another account, or landed in the wrong environment. Pure: the rows and the
//! time come in as arguments.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::watch::{Mark, Watched};
use crate::workspace::IntegrationsMap;

/// How a step ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export_to = "ReconnectOutcomeKind.ts", rename = "ReconnectOutcomeKind")]
pub enum OutcomeKind {
    /// A healthy row for the provider and the expected account is new or changed here.
    Landed,
    /// It landed here, healthy, but as another account: accept it or retry.
    AccountMismatch,
    /// A fresh row appeared in another environment instead.
    WrongEnvironment,
    /// Nothing landed within the step's time.
    Timeout,
    /// The person skipped the step.
    Skipped,
}

impl OutcomeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            OutcomeKind::Landed => "landed",
            OutcomeKind::AccountMismatch => "account_mismatch",
            OutcomeKind::WrongEnvironment => "wrong_environment",
            OutcomeKind::Timeout => "timeout",
            OutcomeKind::Skipped => "skipped",
        }
    }
}

/// A fresh row seen during the step, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Seen {
    pub env: String,
    pub app_url: Option<String>,
    pub mark: Mark,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    /// Nothing conclusive yet. `note`: something seen that did not count (a row that
    /// changed but is not healthy), for the timeout's message.
    Wait {
        note: Option<String>,
    },
    Landed(Seen),
    AccountMismatch(Seen),
    WrongEnvironment(Seen),
}

/// Rows of `now` that are not in `baseline` as they are (new, or changed in place).
fn fresh<'a>(baseline: &[Mark], now: &'a [Mark]) -> Vec<&'a Mark> {
    now.iter().filter(|m| !baseline.contains(m)).collect()
}

fn same_account(a: Option<&str>, b: Option<&str>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => a.trim().eq_ignore_ascii_case(b.trim()),
        _ => true,
    }
}

/// One poll's verdict. `target` and `others` pair each watched environment with the rows
/// read now. A landing in the target wins over a fresh row elsewhere in the same poll.
pub fn decide(
    map: &IntegrationsMap,
    target: (&Watched, &[Mark]),
    others: &[(&Watched, &[Mark])],
    expected_account: Option<&str>,
    now: DateTime<Utc>,
) -> Decision {
    let (t, rows) = target;
    let fresh_here = fresh(&t.baseline, rows);
    let seen = |w: &Watched, m: &Mark| Seen {
        env: w.env.clone(),
        app_url: w.app_url.clone(),
        mark: m.clone(),
    };
    let healthy: Vec<&&Mark> = fresh_here
        .iter()
        .filter(|m| m.health(map, now).usable())
        .collect();
    if let Some(m) = healthy
        .iter()
        .find(|m| same_account(m.account.as_deref(), expected_account))
    {
        return Decision::Landed(seen(t, m));
    }
    if let Some(m) = healthy.first() {
        return Decision::AccountMismatch(seen(t, m));
    }
    for (w, rows) in others {
        let fresh_there = fresh(&w.baseline, rows);
        let pick = fresh_there
            .iter()
            .find(|m| m.health(map, now).usable())
            .or(fresh_there.first());
        if let Some(m) = pick {
            return Decision::WrongEnvironment(seen(w, m));
        }
    }
    let note = fresh_here.first().map(|m| {
        format!(
            "a row{} changed in {} but it is not usable (status {}{})",
            m.account
                .as_deref()
                .map(|a| format!(" for {a}"))
                .unwrap_or_default(),
            t.env,
            m.status.as_deref().unwrap_or("none"),
            match m.expires_in(now) {
                Some(s) if s < 0 => ", already expired",
                _ => "",
            }
        )
    });
    Decision::Wait { note }
}

/// "landed in prod at 14:03:12: connected, expires in 59 days", and the instant (RFC 3339)
/// it landed: the row's change stamp, else `seen_at`.
pub fn proof(seen: &Seen, seen_at: DateTime<Utc>, now: DateTime<Utc>) -> (String, String) {
    let at = seen
        .mark
        .stamp
        .as_deref()
        .and_then(crate::snapshot::parse_timestamp)
        .unwrap_or(seen_at);
    let local = at.with_timezone(&chrono::Local).format("%H:%M:%S");
    let mut what = seen
        .mark
        .status
        .clone()
        .unwrap_or_else(|| "connected".to_string());
    if let Some(s) = seen.mark.expires_in(now) {
        what.push_str(&format!(
            ", expires in {}",
            crate::compare::parity::human_duration(s)
        ));
    }
    if let Some(a) = &seen.mark.account {
        what.push_str(&format!(", as {a}"));
    }
    (
        format!("landed in {} at {local}: {what}", seen.env),
        at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
    )
}

/// Scopes the reference row has and the landed row lacks (space- or comma-separated).
pub fn missing_scopes(reference: Option<&str>, granted: Option<&str>) -> Vec<String> {
    let split = |s: &str| -> Vec<String> {
        s.split(|c: char| c.is_whitespace() || c == ',')
            .filter(|x| !x.is_empty())
            .map(str::to_string)
            .collect()
    };
    let Some(r) = reference else {
        return Vec::new();
    };
    let have = granted.map(split).unwrap_or_default();
    split(r).into_iter().filter(|s| !have.contains(s)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mark(id: &str, account: &str, status: &str, stamp: &str) -> Mark {
        Mark {
            id: id.into(),
            account: Some(account.into()),
            status: Some(status.into()),
            expires_at: Some("2099-01-01T00:00:00Z".into()),
            stamp: Some(stamp.into()),
            scopes: None,
        }
    }

    fn watched(env: &str, baseline: Vec<Mark>) -> Watched {
        Watched {
            env: env.into(),
            app_url: Some(format!("https://{env}.test")),
            baseline,
        }
    }

    #[test]
    fn a_fresh_healthy_row_lands_and_a_fresh_row_elsewhere_is_the_wrong_environment() {
        let map = IntegrationsMap::default();
        let now = Utc::now();
        let old = mark("1", "ana@x", "expired", "2026-01-01 10:00:00+00");
        let prod = watched("prod", vec![old.clone()]);
        let dev = watched("dev", vec![]);
        let wait = decide(
            &map,
            (&prod, std::slice::from_ref(&old)),
            &[(&dev, &[])],
            Some("ana@x"),
            now,
        );
        assert_eq!(wait, Decision::Wait { note: None });

        let updated = mark("1", "ana@x", "connected", "2026-01-02 10:00:00+00");
        let d = decide(
            &map,
            (&prod, std::slice::from_ref(&updated)),
            &[],
            Some("ANA@x"),
            now,
        );
        assert!(
            matches!(d, Decision::Landed(ref s) if s.env == "prod"),
            "{d:?}"
        );

        let bob = mark("2", "bob@x", "connected", "2026-01-02 10:00:00+00");
        let d = decide(&map, (&prod, &[old.clone(), bob]), &[], Some("ana@x"), now);
        assert!(matches!(d, Decision::AccountMismatch(_)), "{d:?}");

        let in_dev = mark("9", "ana@x", "connected", "2026-01-02 10:00:00+00");
        let d = decide(
            &map,
            (&prod, std::slice::from_ref(&old)),
            &[(&dev, &[in_dev])],
            Some("ana@x"),
            now,
        );
        assert!(
            matches!(d, Decision::WrongEnvironment(ref s) if s.env == "dev"),
            "{d:?}"
        );

        let broken = mark("1", "ana@x", "error", "2026-01-03 10:00:00+00");
        let d = decide(&map, (&prod, &[broken]), &[], Some("ana@x"), now);
        assert!(
            matches!(d, Decision::Wait { note: Some(ref n) } if n.contains("status error")),
            "{d:?}"
        );
    }

    #[test]
    fn missing_scopes_are_those_the_reference_has_and_the_landed_row_lacks() {
        assert_eq!(
            missing_scopes(
                Some("tweet.read tweet.write,users.read"),
                Some("tweet.read")
            ),
            vec!["tweet.write", "users.read"]
        );
        assert!(missing_scopes(None, Some("a")).is_empty());
    }
}
