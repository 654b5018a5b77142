//! The reconnect wizard's saved steps (`wizard_progress`), per workspace and environment.

use sqlx::Row;

use super::{Store, db_err};
use crate::error::Result;

/// One saved step. `step` is its status: `pending`, `waiting`, `landed`, `skipped`,
/// `failed`. Never holds a secret value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WizardStepRecord {
    pub provider: String,
    pub position: i64,
    pub account: Option<String>,
    pub reason: String,
    pub why: String,
    pub reference_env: Option<String>,
    pub step: String,
    pub outcome_json: Option<String>,
    pub updated_at: String,
}

impl Store {
    /// The saved steps of the wizard for `env`, in order.
    pub async fn wizard_steps(&self, workspace: &str, env: &str) -> Result<Vec<WizardStepRecord>> {
        let rows = sqlx::query(
            "SELECT provider, position, account, reason, why, reference_env, step, outcome_json, updated_at
               FROM wizard_progress WHERE workspace = ?1 AND env = ?2 ORDER BY position, provider",
        )
        .bind(workspace)
        .bind(env)
        .fetch_all(&self.pool)
        .await
        .map_err(|e| db_err(e, &self.path))?;
        Ok(rows
            .iter()
            .map(|r| WizardStepRecord {
                provider: r.get(0),
                position: r.get(1),
                account: r.get(2),
                reason: r.get(3),
                why: r.get(4),
                reference_env: r.get(5),
                step: r.get(6),
                outcome_json: r.get(7),
                updated_at: r.get(8),
            })
            .collect())
    }

    /// Inserts or replaces one step.
    pub async fn save_wizard_step(
        &self,
        workspace: &str,
        env: &str,
        s: &WizardStepRecord,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO wizard_progress (workspace, env, provider, step, updated_at, position, account, reason, why, reference_env, outcome_json)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)
             ON CONFLICT(workspace, env, provider) DO UPDATE SET step = excluded.step,
               updated_at = excluded.updated_at, position = excluded.position,
               account = excluded.account, reason = excluded.reason, why = excluded.why,
               reference_env = excluded.reference_env, outcome_json = excluded.outcome_json",
        )
        .bind(workspace)
        .bind(env)
        .bind(&s.provider)
        .bind(&s.step)
        .bind(&s.updated_at)
        .bind(s.position)
        .bind(&s.account)
        .bind(&s.reason)
        .bind(&s.why)
        .bind(&s.reference_env)
        .bind(&s.outcome_json)
        .execute(&self.pool)
        .await
        .map_err(|e| db_err(e, &self.path))?;
        Ok(())
    }

    /// Forgets the wizard of `env` (it ended, or the person starts over).
    pub async fn clear_wizard(&self, workspace: &str, env: &str) -> Result<()> {
        sqlx::query("DELETE FROM wizard_progress WHERE workspace = ?1 AND env = ?2")
            .bind(workspace)
            .bind(env)
            .execute(&self.pool)
            .await
            .map_err(|e| db_err(e, &self.path))?;
        Ok(())
    }
}
