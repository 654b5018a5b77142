//! The workspaces opened lately, newest first, for the window's sidebar. Kept as one JSON
//! setting: a handful of `(path, name)` pairs needs no table of its own.

use serde::{Deserialize, Serialize};

use super::Store;
use crate::error::Result;

const KEY: &str = "recent_workspaces";

/// How many workspaces the list keeps.
pub const RECENT_LIMIT: usize = 6;

/// A workspace as it was when last opened; its file may be gone since.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecentEntry {
    pub path: String,
    pub name: String,
}

impl Store {
    /// The workspaces opened lately, newest first. A list this version cannot read (written
    /// by a newer one, or damaged) is an empty list, not an error: it is only a convenience.
    pub async fn recent_workspaces(&self) -> Result<Vec<RecentEntry>> {
        let text = self.setting(KEY).await?;
        Ok(text
            .and_then(|t| serde_json::from_str(&t).ok())
            .unwrap_or_default())
    }

    /// Puts `path` first in the list (once), keeping at most [`RECENT_LIMIT`].
    pub async fn remember_workspace(&self, path: &str, name: &str) -> Result<()> {
        let mut list = self.recent_workspaces().await?;
        list.retain(|e| e.path != path);
        list.insert(
            0,
            RecentEntry {
                path: path.to_string(),
                name: name.to_string(),
            },
        );
        list.truncate(RECENT_LIMIT);
        let text = serde_json::to_string(&list)
            .map_err(|e| crate::error::Error::internal(format!("could not encode JSON: {e}")))?;
        self.set_setting(KEY, &text).await
    }
}
