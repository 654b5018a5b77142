//! Isolation faults (always critical): two environments on one database, a protected
//! environment pointing at the other's backend, localhost in a protected environment, one
//! secret used in both. Details say which variable, never its value.

use super::{Area, Finding, FindingKind, Severity};
use crate::snapshot::EnvFile;

/// What the isolation checks need from each side.
pub struct IsolationInput<'a> {
    pub env: &'a str,
    pub protected: bool,
    pub app_url: Option<&'a str>,
    /// The database's identity (see `snapshot::identity`), when it could be read.
    pub database: Option<&'a str>,
    pub env_file: Option<&'a EnvFile>,
}

/// Variable names that point at a backend (a database, Supabase, Convex, …).
fn names_a_backend(name: &str) -> bool {
    let n = name.to_ascii_uppercase();
    [
        "DATABASE",
        "POSTGRES",
        "PGHOST",
        "MYSQL",
        "MONGO",
        "REDIS",
        "SUPABASE",
        "CONVEX",
        "FIREBASE",
        "NEON",
        "PLANETSCALE",
        "TURSO",
        "DB_URL",
        "DB_HOST",
        "BACKEND",
        "DEPLOYMENT",
        "API_URL",
    ]
    .iter()
    .any(|w| n.contains(w))
}

/// localhost, 127.0.0.1, 0.0.0.0, `*.local`, ngrok.
pub fn is_local_url(value: &str) -> bool {
    let v = value.to_ascii_lowercase();
    let host = url::Url::parse(&v)
        .ok()
        .and_then(|u| u.host_str().map(String::from));
    let hit = |h: &str| {
        h == "localhost"
            || h.ends_with(".localhost")
            || h.starts_with("127.")
            || h == "0.0.0.0"
            || h == "[::1]"
            || h == "::1"
            || h.ends_with(".local")
            || h.contains("ngrok")
    };
    match host {
        Some(h) => hit(&h),
        None => {
            v.contains("localhost")
                || v.contains("127.0.0.1")
                || v.contains("0.0.0.0")
                || v.contains("ngrok")
        }
    }
}

pub fn isolation(from: &IsolationInput, to: &IsolationInput) -> Vec<Finding> {
    let mut out = Vec::new();
    if let (Some(a), Some(b)) = (from.database, to.database)
        && a == b
    {
        out.push(Finding::new(
            Area::Isolation,
            FindingKind::SharedDatabase,
            "database",
            Severity::Critical,
            format!(
                "{} and {} resolve to the same database, even if their URLs are written differently: point each environment at its own database",
                from.env, to.env
            ),
        ));
    }
    for side in [from, to] {
        if !side.protected {
            continue;
        }
        if let Some(u) = side.app_url
            && is_local_url(u)
        {
            out.push(Finding::new(
                Area::Isolation,
                FindingKind::LocalUrlInProtected,
                "app_url",
                Severity::Critical,
                format!("{}'s app_url points at a local address; a protected environment must use its public URL", side.env),
            ));
        }
        if let Some(f) = side.env_file {
            for (k, v) in &f.vars {
                if is_local_url(v.expose()) {
                    out.push(Finding::new(
                        Area::Isolation,
                        FindingKind::LocalUrlInProtected,
                        k,
                        Severity::Critical,
                        format!(
                            "{k} in {} points at a local address (localhost, 127.0.0.1, *.local or ngrok): links and callbacks from {} will break",
                            side.env, side.env
                        ),
                    ));
                }
            }
        }
    }
    if let (Some(a), Some(b)) = (from.env_file, to.env_file) {
        for (k, va) in &a.vars {
            let Some(vb) = b.vars.get(k) else { continue };
            if va.expose().is_empty() || va != vb {
                continue;
            }
            if crate::secrets::looks_secret(k) {
                out.push(Finding::new(
                    Area::Isolation,
                    FindingKind::SameSecret,
                    k,
                    Severity::Critical,
                    format!(
                        "{k} has the same value in {} and {}: give each environment its own secret",
                        from.env, to.env
                    ),
                ));
            } else if names_a_backend(k) && (to.protected || from.protected) {
                let (p, o) = if to.protected {
                    (to.env, from.env)
                } else {
                    (from.env, to.env)
                };
                out.push(Finding::new(
                    Area::Isolation,
                    FindingKind::SharedBackend,
                    k,
                    Severity::Critical,
                    format!(
                        "{k} has the same value in {o} and {p}: {p} is talking to {o}'s backend"
                    ),
                ));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_addresses_are_recognised() {
        for u in [
            "http://localhost:3000",
            "http://127.0.0.1:5678/api",
            "http://0.0.0.0",
            "https://box.local/x",
            "https://abc.ngrok-free.app",
            "postgres://u@localhost/db",
        ] {
            assert!(is_local_url(u), "{u}");
        }
        for u in [
            "https://app.acme.test",
            "postgres://u@db.prod.acme.test/app",
            "dev:quiet-otter-412",
        ] {
            assert!(!is_local_url(u), "{u}");
        }
    }
}
