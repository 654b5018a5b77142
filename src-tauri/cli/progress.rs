//! A progress bar on stderr (hidden when stderr is not a terminal) and Ctrl-C → cancel.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::progress::{Cancel, Progress};

pub struct Bar(ProgressBar);

impl Bar {
    pub fn new() -> Bar {
        let pb = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
        Bar(pb)
    }
}

impl Progress for Bar {
    fn wants_total(&self) -> bool {
        !self.0.is_hidden()
    }

    fn start(&self, label: &str, total: Option<u64>) {
        if let Some(t) = total {
            self.0.set_length(t);
        }
        self.0.set_style(
            ProgressStyle::with_template("{msg:>12} [{bar:30}] {pos}/{len} {elapsed}")
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .progress_chars("=> "),
        );
        self.0.set_message(label.to_string());
    }

    fn advance(&self, done: u64) {
        self.0.set_position(done);
    }

    fn finish(&self) {
        self.0.finish_and_clear();
    }
}

/// Cancels `cancel` when the person presses Ctrl-C.
pub fn cancel_on_ctrl_c(cancel: &Cancel) {
    let c = cancel.clone();
    tokio::spawn(async move {
        if tokio::signal::ctrl_c().await.is_ok() {
            c.cancel();
        }
    });
}

/// A spinner on stderr with the elapsed time, for a wait whose length is unknown (hidden
/// when stderr is not a terminal).
pub struct Spinner(ProgressBar);

impl Spinner {
    pub fn new() -> Spinner {
        Spinner(ProgressBar::with_draw_target(
            None,
            ProgressDrawTarget::stderr(),
        ))
    }
}

impl Progress for Spinner {
    fn start(&self, label: &str, _total: Option<u64>) {
        self.0.set_style(
            ProgressStyle::with_template("{spinner} {msg}… {elapsed}")
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        );
        self.0.set_message(label.to_string());
        self.0
            .enable_steady_tick(std::time::Duration::from_millis(120));
    }

    fn finish(&self) {
        self.0.finish_and_clear();
    }
}
