//! One function per user action: the only thing the window's commands and the CLI call.
//! Nothing here knows about tauri or clap.

pub mod compare;
pub mod parity;
pub mod secrets;
pub mod session;
pub mod status;
pub mod views;
pub mod workspace;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::{DateTime, Utc};
use tokio::sync::Mutex;

use crate::error::{Error, ErrorCode, Result};
use crate::secrets::{Keychain, SecretRef, Sensitive};
use crate::state::Store;
use crate::workspace::{DatabaseSource, Environment, Workspace};

/// Everything an action needs from the outside world, opened once per process.
#[derive(Clone)]
pub struct Context {
    pub data_dir: PathBuf,
    pub store: Store,
    /// Opened on first use; a failure is not kept, so "Retry" works once the keychain is up.
    keychain: Arc<Mutex<Option<Keychain>>>,
    clock: fn() -> DateTime<Utc>,
}

impl std::fmt::Debug for Context {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Context")
            .field("data_dir", &self.data_dir)
            .finish()
    }
}

impl Context {
    /// Opens the local store under `data_dir`. The keychain is opened on first use.
    pub async fn open(data_dir: &Path) -> Result<Context> {
        let store = Store::open(data_dir).await?;
        Ok(Context {
            data_dir: data_dir.to_path_buf(),
            store,
            keychain: Arc::new(Mutex::new(None)),
            clock: Utc::now,
        })
    }

    /// Uses `keychain` instead of the OS one (tests).
    pub fn with_keychain(mut self, keychain: Keychain) -> Self {
        self.keychain = Arc::new(Mutex::new(Some(keychain)));
        self
    }

    pub fn now(&self) -> DateTime<Utc> {
        (self.clock)()
    }

    pub fn now_text(&self) -> String {
        self.now()
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
    }

    /// The OS keychain, opened once. Fails closed with `keychain_unavailable`.
    pub async fn keychain(&self) -> Result<Keychain> {
        let mut slot = self.keychain.lock().await;
        if let Some(k) = slot.as_ref() {
            return Ok(k.clone());
        }
        let k = tokio::task::spawn_blocking(Keychain::open_platform)
            .await
            .map_err(|e| Error::internal(format!("keychain task failed: {e}")))??;
        *slot = Some(k.clone());
        Ok(k)
    }

    /// Runs a blocking keychain call off the async runtime.
    pub async fn with_keychain_blocking<T: Send + 'static>(
        &self,
        f: impl FnOnce(&Keychain) -> Result<T> + Send + 'static,
    ) -> Result<T> {
        let k = self.keychain().await?;
        tokio::task::spawn_blocking(move || f(&k))
            .await
            .map_err(|e| Error::internal(format!("keychain task failed: {e}")))?
    }

    /// The environment's database URL, from the file, the keychain or the process env.
    pub async fn database_url(
        &self,
        ws: &Workspace,
        env: &Environment,
    ) -> Result<Sensitive<String>> {
        match &env.database {
            DatabaseSource::Url(u) => Ok(Sensitive::new(u.clone())),
            DatabaseSource::Env(var) => match std::env::var(var) {
                Ok(v) if !v.is_empty() => Ok(Sensitive::new(v)),
                _ => Err(Error::new(
                    ErrorCode::SecretMissing,
                    format!(
                        "environment variable {var} (the database of {}) is not set: export it before running envdeck",
                        env.name
                    ),
                )),
            },
            DatabaseSource::Secret(name) => {
                let r = SecretRef::new(&ws.name, &env.name, name)?;
                let got = self.with_keychain_blocking(move |k| k.get(&r)).await?;
                got.ok_or_else(|| {
                    Error::new(
                        ErrorCode::SecretMissing,
                        format!(
                            "the keychain has no {name} for {}: set it with `envdeck secret set {} {name}` or in Settings",
                            env.name, env.name
                        ),
                    )
                })
            }
        }
    }

    /// Opens an environment's database, read-only when it is protected.
    pub async fn connect(
        &self,
        ws: &Workspace,
        env: &Environment,
    ) -> Result<crate::connectors::Connection> {
        let url = self.database_url(ws, env).await?;
        crate::connectors::Connection::open(&url, &ws.dir(), env.protected).await
    }
}
