//! Logs: a daily file under `<data dir>/logs` (owner-only, 0600 on Unix), plus stderr for
//! the CLI (`-v` for more). Nothing logged carries a secret value: secrets are `Sensitive`
//! and print `<redacted>`, URLs are masked before they reach a message.

use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use tracing_appender::non_blocking::WorkerGuard;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::{EnvFilter, Layer, fmt};

/// How many daily log files are kept.
const KEEP_FILES: usize = 14;

/// Keeps the file writer flushing; drop it last.
pub struct LogGuard(#[allow(dead_code)] Option<WorkerGuard>);

/// `stderr_verbosity`: `None` for no stderr output (the window), else 0 = warnings,
/// 1 = info, 2+ = debug.
pub fn init(data_dir: &Path, stderr_verbosity: Option<u8>) -> LogGuard {
    let logs = data_dir.join("logs");
    let file = crate::paths::create_private_dir(data_dir)
        .and_then(|_| crate::paths::create_private_dir(&logs))
        .ok()
        .and_then(|_| DailyFile::open(logs).ok());
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

/// `logs/envdeck.YYYY-MM-DD.log` (UTC day), switched at midnight, the oldest beyond
/// [`KEEP_FILES`] removed. tracing-appender's rolling writer creates its files with the
/// process umask (often world-readable) and has no option for the mode, hence this one.
struct DailyFile {
    dir: PathBuf,
    day: NaiveDate,
    file: File,
}

impl DailyFile {
    fn open(dir: PathBuf) -> std::io::Result<DailyFile> {
        let day = chrono::Utc::now().date_naive();
        let file = crate::paths::open_private_file(&dir.join(file_name(day)))?;
        prune(&dir);
        Ok(DailyFile { dir, day, file })
    }
}

fn file_name(day: NaiveDate) -> String {
    format!("envdeck.{}.log", day.format("%Y-%m-%d"))
}

/// Removes the oldest daily files beyond [`KEEP_FILES`]; failures only cost disk space.
fn prune(dir: &Path) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    let mut names: Vec<String> = rd
        .flatten()
        .filter_map(|e| e.file_name().into_string().ok())
        .filter(|n| n.starts_with("envdeck.") && n.ends_with(".log"))
        .collect();
    // The date in the name sorts the same as the day.
    names.sort();
    let excess = names.len().saturating_sub(KEEP_FILES);
    for n in &names[..excess] {
        let _ = std::fs::remove_file(dir.join(n));
    }
}

impl Write for DailyFile {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let today = chrono::Utc::now().date_naive();
        if today != self.day {
            let _ = self.file.flush();
            self.file = crate::paths::open_private_file(&self.dir.join(file_name(today)))?;
            self.day = today;
            prune(&self.dir);
        }
        self.file.write(buf)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.file.flush()
    }
}
