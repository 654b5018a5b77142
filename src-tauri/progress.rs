//! Long work reports progress to a sink and stops when cancelled. The window adapts the sink
//! to a Tauri channel, the CLI to a progress bar on stderr.

use std::sync::{Arc, Mutex};

use futures::future::BoxFuture;

use crate::error::{Error, ErrorCode, Result};

/// Receives progress. `total` is known up front when it can be counted.
pub trait Progress: Send + Sync {
    /// Whether a total is worth an extra query to compute (someone sees a bar).
    fn wants_total(&self) -> bool {
        false
    }
    fn start(&self, _label: &str, _total: Option<u64>) {}
    fn advance(&self, _done: u64) {}
    fn finish(&self) {}
}

/// Progress that goes nowhere.
pub struct NoProgress;
impl Progress for NoProgress {}

/// Work to do when a cancel arrives, e.g. asking a server to stop a running statement.
pub type CancelHook = Box<dyn FnOnce() -> BoxFuture<'static, ()> + Send>;

/// An awaitable cancellation (tokio-util's `CancellationToken`) shared between the one who
/// may cancel and the work, plus what must happen outside this process when it is raised
/// (server-side statements to stop, see [`Cancel::on_cancel`]).
#[derive(Clone)]
pub struct Cancel(Arc<Inner>);

struct Inner {
    token: tokio_util::sync::CancellationToken,
    hooks: Mutex<Vec<CancelHook>>,
}

impl std::fmt::Debug for Cancel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Cancel")
            .field("cancelled", &self.is_cancelled())
            .finish()
    }
}

impl Default for Cancel {
    fn default() -> Self {
        Cancel(Arc::new(Inner {
            token: tokio_util::sync::CancellationToken::new(),
            hooks: Mutex::new(Vec::new()),
        }))
    }
}

impl Cancel {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn cancel(&self) {
        self.0.token.cancel();
    }

    pub fn is_cancelled(&self) -> bool {
        self.0.token.is_cancelled()
    }

    /// Resolves once [`Cancel::cancel`] was called.
    pub async fn cancelled(&self) {
        self.0.token.cancelled().await;
    }

    /// Registers work to run when the cancel arrives (see [`until_cancelled`]).
    pub fn on_cancel(&self, hook: CancelHook) {
        if let Ok(mut h) = self.0.hooks.lock() {
            h.push(hook);
        }
    }

    /// Runs every registered hook, concurrently, once.
    pub async fn run_hooks(&self) {
        let hooks: Vec<CancelHook> = match self.0.hooks.lock() {
            Ok(mut h) => h.drain(..).collect(),
            Err(_) => Vec::new(),
        };
        futures::future::join_all(hooks.into_iter().map(|h| h())).await;
    }

    /// `Err(cancelled)` once cancelled: nothing was changed, the work can be started again.
    pub fn check(&self) -> Result<()> {
        if self.is_cancelled() {
            Err(cancelled())
        } else {
            Ok(())
        }
    }
}

/// The error a cancelled operation ends with.
pub fn cancelled() -> Error {
    Error::new(
        ErrorCode::Cancelled,
        "cancelled: nothing was changed; run it again when you are ready",
    )
}

/// Runs `work` until it ends or `cancel` is raised. On cancel the work is dropped at once,
/// after the registered hooks ran (stopping server-side statements).
pub async fn until_cancelled<T>(
    cancel: &Cancel,
    work: impl std::future::Future<Output = Result<T>>,
) -> Result<T> {
    let mut work = std::pin::pin!(work);
    tokio::select! {
        r = &mut work => return r,
        _ = cancel.cancelled() => {}
    }
    // The work (and the connections it holds) stays alive until the hooks ran: a hook
    // only acts for a connection that is still open. It is dropped on return.
    cancel.run_hooks().await;
    Err(cancelled())
}
