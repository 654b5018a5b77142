//! Long work the window may cancel, by an operation id the window picks: one Compare runs
//! one call per area under the same id, and `cancel_operation(id)` stops all of them.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};

use serde::Serialize;
use ts_rs::TS;

use crate::progress::Cancel;

/// How many cancelled ids are remembered after their calls ended (or before any started):
/// a call that reaches the backend after its operation was cancelled stops at once.
const REMEMBERED: usize = 64;

/// The running operations, shared by every command of the process.
#[derive(Clone, Default)]
pub struct Operations(Arc<Mutex<Registry>>);

#[derive(Default)]
struct Registry {
    next: u64,
    running: HashMap<String, Vec<(u64, Cancel)>>,
    cancelled: VecDeque<String>,
}

impl std::fmt::Debug for Operations {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let ids: Vec<String> = self.lock().running.keys().cloned().collect();
        f.debug_struct("Operations").field("running", &ids).finish()
    }
}

impl Operations {
    fn lock(&self) -> std::sync::MutexGuard<'_, Registry> {
        // A panic while holding the lock leaves a consistent map: keep using it.
        self.0.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Joins operation `id` with a cancel of its own (each call runs its own server-side
    /// cancel hooks). Already cancelled when `id` was. Leaves the operation on drop.
    pub fn begin(&self, id: &str) -> Running {
        let cancel = Cancel::new();
        let mut r = self.lock();
        if r.cancelled.iter().any(|c| c == id) {
            cancel.cancel();
        }
        r.next += 1;
        let key = r.next;
        r.running
            .entry(id.to_string())
            .or_default()
            .push((key, cancel.clone()));
        Running {
            ops: self.clone(),
            id: id.to_string(),
            key,
            cancel,
        }
    }

    /// Cancels every call running under `id`, and the ones that arrive later.
    pub fn cancel(&self, id: &str) {
        let mut r = self.lock();
        if let Some(calls) = r.running.get(id) {
            for (_, c) in calls {
                c.cancel();
            }
        }
        if !r.cancelled.iter().any(|c| c == id) {
            if r.cancelled.len() == REMEMBERED {
                r.cancelled.pop_front();
            }
            r.cancelled.push_back(id.to_string());
        }
        tracing::info!(operation = id, "cancel requested");
    }

    /// How many calls run under `id` (tests).
    pub fn running(&self, id: &str) -> usize {
        self.lock().running.get(id).map_or(0, Vec::len)
    }
}

/// One call's membership in an operation.
pub struct Running {
    ops: Operations,
    id: String,
    key: u64,
    cancel: Cancel,
}

impl Running {
    pub fn cancel(&self) -> &Cancel {
        &self.cancel
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let mut r = self.ops.lock();
        if let Some(calls) = r.running.get_mut(&self.id) {
            calls.retain(|(k, _)| *k != self.key);
            if calls.is_empty() {
                r.running.remove(&self.id);
            }
        }
    }
}

/// What long work streams to the window while it runs (a `Channel` per call).
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export_to = "ProgressEvent.ts")]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum ProgressEvent {
    /// A step began; `total` is the number of units when it is known.
    Started {
        label: String,
        total: Option<u64>,
    },
    /// `done` units of the current step are finished.
    Advanced {
        done: u64,
    },
    Finished,
}
