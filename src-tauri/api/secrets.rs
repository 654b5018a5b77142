//! Listing, setting and deleting an environment's secrets. Values go into the keychain and
//! never come back out through here: callers learn "set" / "not set" only.

use super::Context;
use super::views::SecretEntry;
use crate::error::Result;
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
    let set = ctx
        .with_keychain_blocking(move |k| {
            refs.iter()
                .map(|r| k.is_set(r))
                .collect::<Result<Vec<bool>>>()
        })
        .await?;
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

/// Stores `value` under `<workspace>/<env>/<name>`.
pub async fn set(
    ctx: &Context,
    ws: &Workspace,
    env: &str,
    name: &str,
    value: Sensitive<String>,
) -> Result<()> {
    ws.environment(env)?;
    let r = SecretRef::new(&ws.name, env, name)?;
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
