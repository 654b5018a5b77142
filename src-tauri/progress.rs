//! Long work reports progress to a sink and stops when cancelled. The window adapts the sink
//! to a Tauri channel, the CLI to a progress bar on stderr.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

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

/// A flag shared between the one who may cancel and the work that checks it.
#[derive(Debug, Clone, Default)]
pub struct Cancel(Arc<AtomicBool>);

impl Cancel {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn cancel(&self) {
        self.0.store(true, Ordering::SeqCst);
    }

    pub fn is_cancelled(&self) -> bool {
        self.0.load(Ordering::SeqCst)
    }

    /// `Err(cancelled)` once cancelled: nothing was changed, the work can be started again.
    pub fn check(&self) -> Result<()> {
        if self.is_cancelled() {
            Err(Error::new(
                ErrorCode::Cancelled,
                "cancelled: nothing was changed; run it again when you are ready",
            ))
        } else {
            Ok(())
        }
    }
}
