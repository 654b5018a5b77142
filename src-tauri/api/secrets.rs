//! Listing, setting and deleting an environment's secrets. Values go into the keychain and
//! never come back out through here: callers learn "set" / "not set" only.

use super::Context;
use super::views::SecretEntry;
use crate::error::{Error, Result};
use crate::secrets::{SecretRef, Sensitive};
use crate::workspace::{DatabaseSource, Workspace};

/// Secrets the workspace names (database sources) and those set through envdeck, with
/// whether each is set. `env` narrows to one environment.
pub async fn list(ctx: &Context, ws: &Workspace, env: Option<&str>) -> Result<Vec<SecretEntry>> {
    if let Some(e) = env {
        ws.environment(e)?;
    }
    let mut wanted: Vec<(String, String, Option<String>)> = Vec::new();
    for e in &ws.environments {
        if let DatabaseSource::Secret(n) = &e.database {
            wanted.push((e.name.clone(), n.clone(), Some("database".into())));
        }
    }
    for (e, n) in ctx.store.secret_names(&ws.name).await? {
        if !wanted.iter().any(|(we, wn, _)| *we == e && *wn == n) {
            wanted.push((e, n, None));
        }
    }
    wanted.retain(|(e, _, _)| env.is_none_or(|x| x == e));
    wanted.sort_by(|a, b| (&a.0, &a.1).cmp(&(&b.0, &b.1)));
    let refs: Vec<SecretRef> = wanted
        .iter()
        .map(|(e, n, _)| SecretRef::new(&ws.name, e, n))
        .collect::<Result<_>>()?;
    let set = ctx.keychain_has(refs).await?;
    Ok(wanted
        .into_iter()
        .zip(set)
        .map(|((env, name, used_by), is_set)| SecretEntry {
            env,
            name,
            is_set,
            used_by,
        })
        .collect())
}

/// Stores `value` under `<workspace>/<env>/<name>`. A secret that holds a database URL
/// must be one: anything else is refused before it is stored.
pub async fn set(
    ctx: &Context,
    ws: &Workspace,
    env: &str,
    name: &str,
    value: Sensitive<String>,
) -> Result<()> {
    ws.environment(env)?;
    let r = SecretRef::new(&ws.name, env, name)?;
    if holds_database_url(ws, name) {
        check_database_url(name, value.expose())?;
    }
    let account = r.account();
    ctx.with_keychain_blocking(move |k| k.set(&r, &value))
        .await?;
    let now = ctx.now_text();
    ctx.store
        .remember_secret_name(&ws.name, env, name, &now)
        .await?;
    ctx.store
        .audit(
            &now,
            &ws.name,
            Some(env),
            "secret_set",
            &format!("set {account} in the OS keychain"),
        )
        .await?;
    tracing::info!(%account, "secret set");
    Ok(())
}

/// Removes a secret. Returns false when it was not set.
pub async fn delete(ctx: &Context, ws: &Workspace, env: &str, name: &str) -> Result<bool> {
    ws.environment(env)?;
    let r = SecretRef::new(&ws.name, env, name)?;
    let account = r.account();
    let existed = ctx.with_keychain_blocking(move |k| k.delete(&r)).await?;
    ctx.store.forget_secret_name(&ws.name, env, name).await?;
    let now = ctx.now_text();
    ctx.store
        .audit(
            &now,
            &ws.name,
            Some(env),
            "secret_delete",
            &format!("deleted {account}"),
        )
        .await?;
    tracing::info!(%account, existed, "secret deleted");
    Ok(existed)
}

/// `DATABASE_URL`, and any name an environment reads its database from
/// (`database = { secret = "…" }`).
fn holds_database_url(ws: &Workspace, name: &str) -> bool {
    name == "DATABASE_URL"
        || ws
            .environments
            .iter()
            .any(|e| matches!(&e.database, DatabaseSource::Secret(n) if n == name))
}

/// A PostgreSQL or SQLite URL envdeck can open. The message never repeats the value: it
/// may be a password pasted into the wrong prompt.
fn check_database_url(name: &str, value: &str) -> Result<()> {
    let ok = if value.starts_with("sqlite:") {
        crate::connectors::sqlite_path(value, std::path::Path::new(".")).is_some()
    } else if value.starts_with("postgres://") || value.starts_with("postgresql://") {
        postgres_url_parses(value)
    } else {
        false
    };
    if ok {
        return Ok(());
    }
    Err(Error::invalid_input(format!(
        "the value given for {name} is not a database URL, so nothing was stored: give a URL like postgres://user:password@host:5432/dbname (or postgresql://…) or sqlite://path/to/file.db"
    )))
}

fn postgres_url_parses(value: &str) -> bool {
    use std::str::FromStr;
    let parses = |v: &str| sqlx::postgres::PgConnectOptions::from_str(v).is_ok();
    if parses(value) {
        return true;
    }
    // libpq also takes several hosts (`h1:5432,h2:5433`), which a URL parser refuses:
    // check the URL as it would be with the first host only.
    let Some((scheme, rest)) = value.split_once("://") else {
        return false;
    };
    let end = rest.find(['/', '?']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(end);
    let (user, hosts) = match authority.rsplit_once('@') {
        Some((u, h)) => (format!("{u}@"), h),
        None => (String::new(), authority),
    };
    match hosts.split_once(',') {
        Some((first, _)) => parses(&format!("{scheme}://{user}{first}{tail}")),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn database_urls_of_both_engines_pass_and_anything_else_is_refused() {
        for ok in [
            "postgres://app:pw@db.test:5432/app?sslmode=require",
            "postgresql://app@db.test/app",
            "postgres://app@h1:5432,h2:5433/app",
            "sqlite://dev.db",
            "sqlite:///tmp/x.db",
        ] {
            assert!(check_database_url("DATABASE_URL", ok).is_ok(), "{ok}");
        }
        for bad in [
            "hunter2",
            "https://db.test/app",
            "postgres://u:pw@[bad/db",
            "sqlite:?mode=ro",
            "sqlite::memory:",
        ] {
            let e = check_database_url("DATABASE_URL", bad).unwrap_err();
            assert_eq!(e.code, crate::error::ErrorCode::InvalidInput);
            assert!(!e.message.contains(bad), "{}", e.message);
        }
    }
}
