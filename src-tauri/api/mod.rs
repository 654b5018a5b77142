//! One function per user action: the only thing the window's commands and the CLI call.
//! Nothing here knows about tauri or clap.

pub mod compare;
pub mod details;
pub mod expiry;
pub mod export;
pub mod ipc;
pub mod ops;
pub mod parity;
pub mod reconnect;
mod reconnect_watch;
pub mod secrets;
pub mod session;
pub mod session_reconnect;
pub mod status;
pub mod sync;
pub mod sync_undo;
pub mod table_diff;
pub mod views;
pub mod workspace;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::{DateTime, Utc};
use tokio::sync::Mutex;
use tokio::time::Instant;

use crate::error::{Error, ErrorCode, Result};
use crate::secrets::{Keychain, SecretRef, Sensitive};
use crate::state::Store;
use crate::workspace::{DatabaseSource, Environment, Workspace};

/// Everything an action needs from the outside world, opened once per process.
#[derive(Clone)]
pub struct Context {
    pub data_dir: PathBuf,
    pub store: Store,
    /// The window's running operations, by id, so `cancel_operation` can stop them.
    pub operations: ops::Operations,
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
            operations: ops::Operations::default(),
            keychain: Arc::new(Mutex::new(None)),
            clock: Utc::now,
        })
    }

    /// Uses `keychain` instead of the OS one (tests).
    pub fn with_keychain(mut self, keychain: Keychain) -> Self {
        self.keychain = Arc::new(Mutex::new(Some(keychain)));
        self
    }

    /// Reads the time from `clock` instead of the system clock (tests: expiry at a fixed now).
    pub fn with_clock(self, clock: fn() -> DateTime<Utc>) -> Self {
        Context { clock, ..self }
    }

    pub fn now(&self) -> DateTime<Utc> {
        (self.clock)()
    }

    pub fn now_text(&self) -> String {
        self.now()
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
    }

    /// The OS keychain, opened once. Fails closed with `keychain_unavailable`, also when it
    /// does not answer within [`KEYCHAIN_TIMEOUT`].
    pub async fn keychain(&self) -> Result<Keychain> {
        self.keychain_by(Instant::now() + KEYCHAIN_TIMEOUT).await
    }

    async fn keychain_by(&self, deadline: Instant) -> Result<Keychain> {
        // Waiting behind another caller's open counts against this call's time too.
        let mut slot = tokio::time::timeout_at(deadline, self.keychain.lock())
            .await
            .map_err(|_| keychain_timeout())?;
        if let Some(k) = slot.as_ref() {
            return Ok(k.clone());
        }
        let k = off_thread(deadline, Keychain::open_platform).await?;
        *slot = Some(k.clone());
        Ok(k)
    }

    /// Runs a blocking keychain call off the async runtime; opening the keychain and the
    /// call together get [`KEYCHAIN_TIMEOUT`].
    pub async fn with_keychain_blocking<T: Send + 'static>(
        &self,
        f: impl FnOnce(&Keychain) -> Result<T> + Send + 'static,
    ) -> Result<T> {
        let deadline = Instant::now() + KEYCHAIN_TIMEOUT;
        let k = self.keychain_by(deadline).await?;
        off_thread(deadline, move || f(&k)).await
    }

    /// Whether each of `refs` has a value in the keychain, in one blocking call.
    pub async fn keychain_has(&self, refs: Vec<SecretRef>) -> Result<Vec<bool>> {
        self.with_keychain_blocking(move |k| refs.iter().map(|r| k.is_set(r)).collect())
            .await
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

    /// Opens an environment's database, read-only when it is protected, with the
    /// workspace's timeouts.
    pub async fn connect(
        &self,
        ws: &Workspace,
        env: &Environment,
    ) -> Result<crate::connectors::Connection> {
        let url = self.database_url(ws, env).await?;
        let label = format!("the database URL of {}", env.name);
        let dir = ws.dir();
        let opts = crate::connectors::OpenOptions {
            base: &dir,
            protected: env.protected,
            label: &label,
            limits: limits(ws),
        };
        crate::connectors::Connection::open_with(&url, &opts).await
    }

    /// [`Context::connect`], and a cancel of `cancel` also stops the statement this
    /// connection's server session is running.
    pub async fn connect_watched(
        &self,
        ws: &Workspace,
        env: &Environment,
        cancel: &crate::progress::Cancel,
    ) -> Result<crate::connectors::Connection> {
        let conn = self.connect(ws, env).await?;
        if let Some(h) = conn.cancel_hook() {
            cancel.on_cancel(h);
        }
        Ok(conn)
    }
}

/// How long envdeck waits for the OS keychain to answer (D-Bus alone would wait 25 s, or
/// for ever on a hung Secret Service).
pub const KEYCHAIN_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(5);

fn keychain_timeout() -> Error {
    Error::new(
        ErrorCode::KeychainUnavailable,
        format!(
            "the OS keychain did not answer within {} s: it may be locked behind a prompt or hung. Unlock it or restart it (on Linux, the Secret Service such as GNOME Keyring; on macOS, the login keychain), then try again",
            KEYCHAIN_TIMEOUT.as_secs()
        ),
    )
}

/// Runs a blocking keychain call on a thread of its own and waits for it until `deadline`.
/// A call that does not answer is left behind, not waited for: a thread of tokio's blocking
/// pool would keep the process from exiting until the call returns.
async fn off_thread<T: Send + 'static>(
    deadline: Instant,
    f: impl FnOnce() -> Result<T> + Send + 'static,
) -> Result<T> {
    let (tx, rx) = tokio::sync::oneshot::channel();
    std::thread::Builder::new()
        .name("envdeck-keychain".into())
        .spawn(move || {
            let _ = tx.send(f());
        })
        .map_err(|e| Error::internal(format!("could not start the keychain thread: {e}")))?;
    match tokio::time::timeout_at(deadline, rx).await {
        Ok(Ok(result)) => result,
        Ok(Err(_)) => Err(Error::internal(
            "the keychain call stopped without an answer",
        )),
        Err(_) => Err(keychain_timeout()),
    }
}

/// The workspace's `[timeouts]` as connection limits.
pub fn limits(ws: &Workspace) -> crate::connectors::Limits {
    let s = std::time::Duration::from_secs;
    crate::connectors::Limits {
        connect: s(ws.timeouts.connect),
        statement: s(ws.timeouts.statement),
        scan: s(ws.timeouts.scan),
        lock: s(ws.timeouts.lock),
    }
}
