//! Handing a URL to the person's browser: `ENVDECK_BROWSER` when set (a shell command the
//! URL is appended to), else the system browser. Never waits for the browser to finish.

use std::process::{Command, Stdio};
use std::time::Duration;

use crate::error::{Error, ErrorCode, Result};

/// The variable that replaces the system browser: a shell command, run as
/// `sh -c "$ENVDECK_BROWSER \"$1\"" sh URL`.
pub const BROWSER_VAR: &str = "ENVDECK_BROWSER";

/// How long a browser command may take to fail before envdeck stops watching it.
const GRACE: Duration = Duration::from_secs(2);

/// Whether a browser can be shown: always on macOS and Windows, on Linux only with
/// `DISPLAY` or `WAYLAND_DISPLAY`.
pub fn has_display() -> bool {
    if cfg!(target_os = "linux") {
        ["DISPLAY", "WAYLAND_DISPLAY"]
            .iter()
            .any(|v| std::env::var_os(v).is_some_and(|s| !s.is_empty()))
    } else {
        true
    }
}

/// Opens `url` with `browser_command` (the value of [`BROWSER_VAR`]) or, when `None`, the
/// system browser. Returns once the browser started (at most about 2 s): a command that
/// fails within that time is an error saying to open the URL by hand.
pub async fn open_browser(url: &str, browser_command: Option<String>) -> Result<()> {
    let url = url.to_string();
    let run = move || {
        match browser_command {
        Some(cmd) => run_command(&cmd, &url),
        None => opener::open_browser(&url).map_err(|e| {
            Error::new(
                ErrorCode::Io,
                format!("could not open the system browser ({e}): open {url} yourself, or set {BROWSER_VAR} to a browser command"),
            )
        }),
    }
    };
    tokio::task::spawn_blocking(run)
        .await
        .map_err(|e| Error::internal(format!("the browser task failed: {e}")))?
}

fn run_command(cmd: &str, url: &str) -> Result<()> {
    let mut child = Command::new("sh")
        .arg("-c")
        .arg(format!("{cmd} \"$1\""))
        .arg("sh")
        .arg(url)
        // Detached from envdeck's output: a browser that lingers must not hold --json's
        // stdout open, nor print into it.
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| {
            Error::new(
                ErrorCode::Io,
                format!("could not run {BROWSER_VAR} ({e}): fix it, or open {url} yourself"),
            )
        })?;
    let start = std::time::Instant::now();
    loop {
        match child.try_wait() {
            Ok(Some(status)) if status.success() => return Ok(()),
            Ok(Some(status)) => {
                return Err(Error::new(
                    ErrorCode::Io,
                    format!(
                        "{BROWSER_VAR} exited with {status}: fix the command, or open {url} yourself"
                    ),
                ));
            }
            Ok(None) if start.elapsed() < GRACE => std::thread::sleep(Duration::from_millis(50)),
            _ => {
                // Still running: a browser that stays open. Reap it whenever it ends.
                std::thread::spawn(move || {
                    let _ = child.wait();
                });
                return Ok(());
            }
        }
    }
}
