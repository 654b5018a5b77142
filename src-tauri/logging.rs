//! Logs: a daily rolling file under `<data dir>/logs`, plus stderr for the CLI (`-v` for
//! more). Nothing logged carries a secret value: secrets are `Sensitive` and print
//! `<redacted>`, URLs are masked before they reach a message.

use std::path::Path;

use tracing_appender::non_blocking::WorkerGuard;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::{EnvFilter, Layer, fmt};

/// Keeps the file writer flushing; drop it last.
pub struct LogGuard(#[allow(dead_code)] Option<WorkerGuard>);

/// `stderr_verbosity`: `None` for no stderr output (the window), else 0 = warnings,
/// 1 = info, 2+ = debug.
pub fn init(data_dir: &Path, stderr_verbosity: Option<u8>) -> LogGuard {
    let logs = data_dir.join("logs");
    let file = std::fs::create_dir_all(&logs).ok().and_then(|_| {
        tracing_appender::rolling::Builder::new()
            .rotation(tracing_appender::rolling::Rotation::DAILY)
            .filename_prefix("envdeck")
            .filename_suffix("log")
            .max_log_files(14)
            .build(&logs)
            .ok()
    });
    let (file_layer, guard) = match file {
        Some(appender) => {
            let (w, g) = tracing_appender::non_blocking(appender);
            let layer = fmt::layer()
                .with_writer(w)
                .with_ansi(false)
                .with_filter(EnvFilter::new("warn,envdeck=info"));
            (Some(layer), Some(g))
        }
        None => (None, None),
    };
    let stderr_layer = stderr_verbosity.map(|v| {
        let level = match v {
            0 => "error,envdeck=warn",
            1 => "warn,envdeck=info",
            _ => "info,envdeck=debug",
        };
        fmt::layer()
            .with_writer(std::io::stderr)
            .with_target(false)
            .without_time()
            .with_filter(EnvFilter::new(level))
    });
    let _ = tracing_subscriber::registry()
        .with(file_layer)
        .with(stderr_layer)
        .try_init();
    LogGuard(guard)
}
