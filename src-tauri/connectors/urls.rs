//! Database URLs for people: masked passwords, SQLite paths resolved against the workspace.

use std::path::{Path, PathBuf};

/// `postgres://user:****@host/db` — the password (and any `password=` query value) hidden.
/// Anything that does not parse as a URL is shown as `<unparseable URL>` so no part leaks.
pub fn mask_url(raw: &str) -> String {
    if raw.starts_with("sqlite:") {
        return raw.to_string();
    }
    if split_hosts(raw).len() > 1 && !raw.contains(char::is_whitespace) {
        // `postgres://u:pw@h1:5432,h2:5433/db`: no URL parser takes it, but its userinfo
        // is where the text masker looks.
        return crate::secrets::redact::mask_urls_in_text(raw);
    }
    match url::Url::parse(raw) {
        Ok(mut u) => {
            if u.password().is_some() {
                let _ = u.set_password(Some("****"));
            }
            let pairs: Vec<(String, String)> = u
                .query_pairs()
                .map(|(k, v)| {
                    let secret = is_password_param(&k);
                    (
                        k.into_owned(),
                        if secret {
                            "****".into()
                        } else {
                            v.into_owned()
                        },
                    )
                })
                .collect();
            if !pairs.is_empty() {
                u.query_pairs_mut().clear().extend_pairs(pairs);
            }
            u.to_string()
        }
        Err(_) => "<unparseable URL>".to_string(),
    }
}

/// A query parameter that carries a password (libpq's `password`, `sslpassword`).
fn is_password_param(k: &str) -> bool {
    k.eq_ignore_ascii_case("password") || k.eq_ignore_ascii_case("sslpassword")
}

/// Whether a URL carries a password (in userinfo or as a query parameter).
pub fn url_has_password(raw: &str) -> bool {
    let single = split_hosts(raw).into_iter().next().unwrap_or_default();
    match url::Url::parse(&single) {
        Ok(u) => {
            u.password().is_some_and(|p| !p.is_empty())
                || u.query_pairs().any(|(k, _)| is_password_param(&k))
        }
        Err(_) => false,
    }
}

/// The file a `sqlite:` URL names, relative paths resolved against `base`.
/// Accepts `sqlite://dev.db`, `sqlite:dev.db`, `sqlite:///abs/dev.db`, with or without `?…`.
pub fn sqlite_path(raw: &str, base: &Path) -> Option<PathBuf> {
    let rest = raw
        .strip_prefix("sqlite://")
        .or_else(|| raw.strip_prefix("sqlite:"))?;
    let rest = rest.split('?').next().unwrap_or("");
    if rest.is_empty() || rest == ":memory:" {
        return None;
    }
    let p = PathBuf::from(rest);
    Some(if p.is_absolute() { p } else { base.join(p) })
}

/// One URL per host of a PostgreSQL URL that lists several (`postgres://u@h1:5432,h2/db`),
/// in order, as libpq tries them; the URL itself when it names one host.
pub(crate) fn split_hosts(raw: &str) -> Vec<String> {
    let Some(i) = raw.find("://") else {
        return vec![raw.to_string()];
    };
    let auth_start = i + 3;
    let auth_end = raw[auth_start..]
        .find(['/', '?', '#'])
        .map(|e| auth_start + e)
        .unwrap_or(raw.len());
    let authority = &raw[auth_start..auth_end];
    let (userinfo, hosts) = match authority.rfind('@') {
        Some(at) => (&authority[..=at], &authority[at + 1..]),
        None => ("", authority),
    };
    if !hosts.contains(',') {
        return vec![raw.to_string()];
    }
    hosts
        .split(',')
        .filter(|h| !h.is_empty())
        .map(|h| format!("{}{userinfo}{h}{}", &raw[..auth_start], &raw[auth_end..]))
        .collect()
}

/// Every non-trivial piece of a secret URL that must not appear in a message. A URL with
/// no password has none: its path, host and port are what a person needs to see.
pub(crate) fn secret_fragments(raw: &str) -> Vec<String> {
    let mut out = Vec::new();
    let single = split_hosts(raw).into_iter().next().unwrap_or_default();
    if let Ok(u) = url::Url::parse(&single) {
        if let Some(p) = u.password() {
            out.push(p.to_string());
            if let Ok(d) = percent_encoding::percent_decode_str(p).decode_utf8() {
                out.push(d.into_owned());
            }
        }
        for (k, v) in u.query_pairs() {
            if is_password_param(&k) {
                out.push(v.into_owned());
            }
        }
    }
    if !out.is_empty() {
        // The whole URL too, in case a message quotes it with a password too short to
        // replace on its own.
        out.push(raw.to_string());
    }
    out.retain(|s| s.len() >= 4);
    out
}

/// Replaces every secret fragment in `msg` with `****`.
pub(crate) fn scrub(msg: &str, fragments: &[String]) -> String {
    let mut out = msg.to_string();
    for f in fragments {
        if !f.is_empty() {
            out = out.replace(f.as_str(), "****");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_masked_wherever_they_sit() {
        assert_eq!(
            mask_url("postgres://app:s3cret@db.acme.test:5432/app?sslmode=require"),
            "postgres://app:****@db.acme.test:5432/app?sslmode=require"
        );
        let m = mask_url("postgresql://app@db/app?password=s3cret&sslmode=require");
        assert!(!m.contains("s3cret"), "{m}");
        assert_eq!(mask_url("not a url s3cret"), "<unparseable URL>");
        assert!(url_has_password("postgres://a:b@h/d"));
        assert!(!url_has_password("postgres://a@h/d"));
    }

    #[test]
    fn sqlite_paths_resolve_against_the_workspace() {
        let base = Path::new("/ws");
        assert_eq!(
            sqlite_path("sqlite://dev.db", base).unwrap(),
            Path::new("/ws/dev.db")
        );
        assert_eq!(
            sqlite_path("sqlite:dev.db?mode=ro", base).unwrap(),
            Path::new("/ws/dev.db")
        );
        assert_eq!(
            sqlite_path("sqlite:///tmp/x.db", base).unwrap(),
            Path::new("/tmp/x.db")
        );
        assert!(sqlite_path("sqlite::memory:", base).is_none());
    }

    #[test]
    fn several_hosts_become_one_url_each_and_stay_masked() {
        assert_eq!(
            split_hosts("postgres://u:pw@h1:5432,h2:5433/db?sslmode=disable"),
            vec![
                "postgres://u:pw@h1:5432/db?sslmode=disable",
                "postgres://u:pw@h2:5433/db?sslmode=disable"
            ]
        );
        assert_eq!(split_hosts("postgres://u@h/db"), vec!["postgres://u@h/db"]);
        let m = mask_url("postgres://u:s3cret@h1:5432,h2:5433/db");
        assert_eq!(m, "postgres://u:****@h1:5432,h2:5433/db");
        assert!(secret_fragments("sqlite://dev.db").is_empty());
        assert!(secret_fragments("postgres://u@h/db").is_empty());
    }

    #[test]
    fn scrub_removes_encoded_and_decoded_passwords() {
        let f = secret_fragments("postgres://u:p%40ss-word@h/d");
        let s = scrub("auth failed for p@ss-word and p%40ss-word", &f);
        assert!(!s.contains("ss-word"), "{s}");
    }
}

/// Whether a PostgreSQL URL goes through a transaction-mode pooler (Supabase's port 6543,
/// or `pgbouncer=true`): session settings, advisory locks and prepared statements do not
/// hold there, so the guarded sync refuses to write through it.
pub fn is_transaction_pooler(raw: &str) -> bool {
    let lower = raw.to_ascii_lowercase();
    if !(lower.starts_with("postgres://") || lower.starts_with("postgresql://")) {
        return false;
    }
    let rest = &lower[lower.find("://").map_or(0, |i| i + 3)..];
    let (authority, query) = match rest.find(['/', '?']) {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, ""),
    };
    let hosts = authority.rsplit('@').next().unwrap_or("");
    let port_6543 = hosts.split(',').any(|h| h.ends_with(":6543"));
    let query = query.split_once('?').map_or("", |(_, q)| q);
    let bouncer = query
        .split('&')
        .any(|kv| kv == "pgbouncer=true" || kv == "pgbouncer=1");
    port_6543 || bouncer
}

#[cfg(test)]
mod pooler_tests {
    use super::is_transaction_pooler;

    #[test]
    fn supabase_transaction_pooler_urls_are_recognised() {
        assert!(is_transaction_pooler(
            "postgresql://u:p@aws-0-eu.pooler.supabase.com:6543/postgres"
        ));
        assert!(is_transaction_pooler(
            "postgres://u:p@h:5432/db?sslmode=require&pgbouncer=true"
        ));
        assert!(!is_transaction_pooler("postgres://u:p@h:5432/db"));
        assert!(!is_transaction_pooler("postgres://u:6543@h:5432/db"));
        assert!(!is_transaction_pooler("sqlite://a.db"));
    }
}
