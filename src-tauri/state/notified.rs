//! The expiry watch's record of what it told (`notified`): at most once per integration
//! per day.

use super::{Store, db_err};
use crate::error::Result;
use crate::expiry::Notice;

impl Store {
    /// Records that `n`'s integration is told about on `day`; false when it already was that
    /// day (nothing is written then). One statement, so two checks at once cannot both win.
    pub async fn notify_once(
        &self,
        workspace: &str,
        n: &Notice,
        day: &str,
        now: &str,
    ) -> Result<bool> {
        let done = sqlx::query(
            "INSERT OR IGNORE INTO notified (workspace, env, provider, account, day, kind, at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )
        .bind(workspace)
        .bind(&n.env)
        .bind(&n.provider)
        .bind(n.account.as_deref().unwrap_or(""))
        .bind(day)
        .bind(n.kind.as_str())
        .bind(now)
        .execute(&self.pool)
        .await
        .map_err(|e| db_err(e, &self.path))?;
        Ok(done.rows_affected() == 1)
    }

    /// Forgets the workspace's records of days before `day` (they no longer hold anything back).
    pub async fn forget_notified_before(&self, workspace: &str, day: &str) -> Result<()> {
        sqlx::query("DELETE FROM notified WHERE workspace = ?1 AND day < ?2")
            .bind(workspace)
            .bind(day)
            .execute(&self.pool)
            .await
            .map_err(|e| db_err(e, &self.path))?;
        Ok(())
    }
}
