//! The real window's harness: an X server, tauri-driver and a WebDriver session on the
//! `envdeck` binary, and waits on what the page shows.
//!
//! [`with_window`] starts its own X server (`Xvfb -displayfd`, so it picks a free display)
//! and its own tauri-driver on free ports, opens a WebDriver session on envdeck with the
//! test's data directory, and runs a scenario. Whatever happens, the session is ended
//! before tauri-driver is stopped, and every process it started (tauri-driver,
//! WebKitWebDriver, envdeck and WebKit's helpers, all in one process group, and Xvfb) is
//! gone when it returns.
//!
//! Needs `Xvfb` (xvfb), `WebKitWebDriver` (webkit2gtk-driver) and tauri-driver 2
//! (`cargo install tauri-driver --version '^2' --locked`).

use std::fs::File;
use std::io::{BufRead, BufReader};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, anyhow, bail, ensure};
use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use rustix::process::{Pid, Signal, kill_process, kill_process_group};
use tokio::time::{sleep, timeout};

use super::Dir;

/// How often a wait looks again, and for how long at most.
pub const POLL: Duration = Duration::from_millis(100);
pub const WAIT: Duration = Duration::from_secs(20);
/// Upper bound for the whole scenario, in case a WebDriver command itself hangs.
const SCENARIO_LIMIT: Duration = Duration::from_secs(60);

/// Starts Xvfb, tauri-driver and a WebDriver session on envdeck with `dir`'s data dir, runs
/// `scenario`, and always ends the session, then tauri-driver, then X.
pub async fn with_window(
    dir: &Dir,
    scenario: impl AsyncFnOnce(&Client) -> Result<()>,
) -> Result<()> {
    with_window_env(dir, &[], scenario).await
}

/// [`with_window`] with `env` added to envdeck's environment (e.g. `ENVDECK_BROWSER`).
pub async fn with_window_env(
    dir: &Dir,
    env: &[(&str, &str)],
    scenario: impl AsyncFnOnce(&Client) -> Result<()>,
) -> Result<()> {
    let started = Instant::now();
    let mut xvfb = Xvfb::start(dir.path())?;
    let t_xvfb = started.elapsed();
    let mut driver = TauriDriver::start(dir.path(), &dir.data_dir(), xvfb.display, env).await?;
    let t_driver = started.elapsed();

    let mut caps = serde_json::Map::new();
    caps.insert(
        "tauri:options".into(),
        serde_json::json!({ "application": env!("CARGO_BIN_EXE_envdeck") }),
    );
    let url = format!("http://127.0.0.1:{}", driver.port);
    let mut builder = ClientBuilder::new(HttpConnector::new());
    let connect = builder.capabilities(caps).connect(&url);
    // On an error the guards stop tauri-driver (and whatever it started) and Xvfb.
    let client = match timeout(WAIT, connect).await {
        Ok(Ok(c)) => c,
        Ok(Err(e)) => bail!(
            "could not open a WebDriver session on envdeck: {e}\n{}",
            driver.log_tail()
        ),
        Err(_) => bail!(
            "no WebDriver session on envdeck within {WAIT:?}\n{}",
            driver.log_tail()
        ),
    };
    let t_session = started.elapsed();

    let outcome = match timeout(SCENARIO_LIMIT, scenario(&client)).await {
        Ok(r) => r,
        Err(_) => Err(anyhow!(
            "the scenario did not finish within {SCENARIO_LIMIT:?}"
        )),
    };
    let t_scenario = started.elapsed();
    let mut alive = Vec::new();
    if outcome.is_err() {
        alive = group_members(driver.guard.pid());
        save_screenshot(&client, "window-failure.png").await.ok();
    }

    // Always in this order: end the session (envdeck exits), then stop tauri-driver, then X.
    let closed = timeout(Duration::from_secs(10), client.close()).await;
    // WebKitWebDriver closes the app after it answered the session's end: give it the time
    // to, so that stopping tauri-driver (and WebKitWebDriver with it) cannot cut that short
    // and orphan a running app.
    let app_gone = Instant::now() + Duration::from_secs(10);
    while Instant::now() < app_gone
        && group_members(driver.guard.pid())
            .iter()
            .any(|p| p.ends_with(" envdeck"))
    {
        sleep(POLL).await;
    }
    let leftovers = driver.guard.stop();
    xvfb.guard.stop();

    if let Err(e) = outcome {
        let gone = if alive.iter().any(|p| p.ends_with(" envdeck")) {
            ""
        } else {
            "envdeck was no longer running (it crashed or was killed)\n"
        };
        bail!(
            "{e:#}\n{gone}still running at the end of the scenario: {alive:?}\n{}",
            driver.log_tail()
        );
    }
    match closed {
        Ok(r) => r.context("ending the WebDriver session")?,
        Err(_) => bail!("ending the WebDriver session took more than 10 s"),
    }
    ensure!(
        leftovers.is_empty(),
        "processes outlived the WebDriver session and tauri-driver and had to be killed: {leftovers:?}"
    );
    eprintln!(
        "window: Xvfb :{} up at {:.2?}, tauri-driver ready at {:.2?}, session at {:.2?}, \
         scenario done at {:.2?}, all stopped at {:.2?}",
        xvfb.display,
        t_xvfb,
        t_driver,
        t_session,
        t_scenario,
        started.elapsed()
    );
    Ok(())
}

/// Polls `probe` every [`POLL`] until it succeeds, for at most [`WAIT`]; its errors describe
/// what it saw instead, and the last one ends up in the timeout message.
pub async fn eventually<T>(
    what: &str,
    mut probe: impl AsyncFnMut() -> Result<T, String>,
) -> Result<T> {
    let start = Instant::now();
    loop {
        match probe().await {
            Ok(v) => return Ok(v),
            Err(seen) if start.elapsed() >= WAIT => {
                bail!("timed out after {WAIT:?} waiting for {what}; last seen: {seen}")
            }
            Err(_) => sleep(POLL).await,
        }
    }
}

/// Saves a PNG of the window under the target's test tmp dir and returns its path.
pub async fn save_screenshot(c: &Client, name: &str) -> Result<PathBuf> {
    let png = timeout(Duration::from_secs(10), c.screenshot())
        .await
        .context("screenshot timed out")??;
    ensure!(
        png.starts_with(b"\x89PNG\r\n\x1a\n"),
        "the screenshot is not a PNG"
    );
    let path = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    std::fs::create_dir_all(env!("CARGO_TARGET_TMPDIR"))?;
    std::fs::write(&path, png)?;
    Ok(path)
}

/// The start of the visible text, for failure messages.
pub async fn page_text(c: &Client) -> String {
    match c.find(Locator::Css("body")).await {
        Ok(body) => body
            .text()
            .await
            .unwrap_or_default()
            .chars()
            .take(400)
            .collect(),
        Err(e) => format!("<no body: {e:?}>"),
    }
}

// ---------------------------------------------------------------------------------------
// Processes

/// A child process that is stopped (SIGTERM, then SIGKILL) when dropped. With `group`, it
/// leads its own process group, and whatever it started that is still in that group is
/// killed too.
struct ChildGuard {
    name: &'static str,
    child: Child,
    group: bool,
}

impl ChildGuard {
    fn spawn(name: &'static str, cmd: &mut Command, group: bool) -> Result<ChildGuard> {
        if group {
            cmd.process_group(0);
        }
        let child = cmd
            .spawn()
            .with_context(|| format!("starting {name} ({cmd:?})"))?;
        Ok(ChildGuard { name, child, group })
    }

    fn pid(&self) -> Pid {
        Pid::from_child(&self.child)
    }

    fn exited(&mut self) -> bool {
        self.child.try_wait().ok().flatten().is_some()
    }

    /// Stops the process; returns the processes of its group that were left and killed.
    fn stop(&mut self) -> Vec<String> {
        let pid = self.pid();
        if !self.exited() {
            kill_process(pid, Signal::TERM).ok();
            let deadline = Instant::now() + Duration::from_secs(5);
            while !self.exited() && Instant::now() < deadline {
                std::thread::sleep(Duration::from_millis(20));
            }
            if !self.exited() {
                eprintln!("window: {} ignored SIGTERM, killing it", self.name);
                self.child.kill().ok();
                self.child.wait().ok();
            }
        }
        if !self.group {
            return Vec::new();
        }
        // Processes whose parent just died can take a moment to notice, and WebKit's
        // teardown takes seconds on a loaded 2-core machine: a process still there after
        // 15 s did not exit by itself.
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            let left = group_members(pid);
            if left.is_empty() {
                return Vec::new();
            }
            if Instant::now() >= deadline {
                kill_process_group(pid, Signal::KILL).ok();
                return left;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for ChildGuard {
    fn drop(&mut self) {
        let left = self.stop();
        if !left.is_empty() {
            eprintln!("window: killed what {} left behind: {left:?}", self.name);
        }
    }
}

/// Live (not zombie) processes in process group `pgid`, as "pid name". No crate in the
/// tree lists processes, so this reads /proc.
fn group_members(pgid: Pid) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    let pgid = pgid.as_raw_nonzero().get();
    let mut out = Vec::new();
    for entry in entries.flatten() {
        let Some(pid) = entry
            .file_name()
            .to_str()
            .and_then(|s| s.parse::<i32>().ok())
        else {
            continue;
        };
        let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
            continue;
        };
        // "pid (comm) state ppid pgrp ...": comm may contain anything, so split at the last ')'.
        let (Some(open), Some(close)) = (stat.find('('), stat.rfind(')')) else {
            continue;
        };
        let mut rest = stat[close + 1..].split_whitespace();
        let (Some(state), Some(_ppid), Some(pgrp)) = (rest.next(), rest.next(), rest.next()) else {
            continue;
        };
        if pgrp.parse() == Ok(pgid) && state != "Z" && state != "X" {
            out.push(format!("{pid} {}", &stat[open + 1..close]));
        }
    }
    out
}

/// An X server on a display it picked itself.
struct Xvfb {
    display: u32,
    guard: ChildGuard,
}

impl Xvfb {
    fn start(dir: &Path) -> Result<Xvfb> {
        let log = File::create(dir.join("xvfb.log"))?;
        let mut cmd = Command::new("Xvfb");
        // -displayfd: Xvfb finds a free display and writes its number once it accepts clients.
        cmd.args([
            "-displayfd",
            "1",
            "-screen",
            "0",
            "2560x1440x24",
            "-nolisten",
            "tcp",
        ])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(log);
        let mut guard = ChildGuard::spawn("Xvfb", &mut cmd, false)
            .context("is Xvfb installed (Debian package xvfb)?")?;
        let stdout = guard.child.stdout.take().expect("piped stdout");
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            let mut line = String::new();
            let read = reader.read_line(&mut line).map(|_| line);
            tx.send(read).ok();
            // Keep the pipe open (and drained) for as long as Xvfb runs.
            std::io::copy(&mut reader, &mut std::io::sink()).ok();
        });
        let line = match rx.recv_timeout(Duration::from_secs(10)) {
            Ok(Ok(line)) => line,
            Ok(Err(e)) => bail!("reading Xvfb's display number: {e}"),
            Err(_) => bail!(
                "Xvfb did not report a display within 10 s (see {}/xvfb.log)",
                dir.display()
            ),
        };
        let display = line.trim().parse().with_context(|| {
            let log = std::fs::read_to_string(dir.join("xvfb.log")).unwrap_or_default();
            format!("Xvfb reported display {line:?}; its log:\n{log}")
        })?;
        Ok(Xvfb { display, guard })
    }
}

/// tauri-driver (and, in its process group, WebKitWebDriver and the app it launches).
struct TauriDriver {
    port: u16,
    log: PathBuf,
    guard: ChildGuard,
}

impl TauriDriver {
    async fn start(
        dir: &Path,
        data_dir: &Path,
        display: u32,
        env: &[(&str, &str)],
    ) -> Result<TauriDriver> {
        let program = find_tauri_driver()?;
        let native = which("WebKitWebDriver")
            .or_else(|| Some(PathBuf::from("/usr/bin/WebKitWebDriver")).filter(|p| p.exists()))
            .context("WebKitWebDriver not found: install the Debian package webkit2gtk-driver")?;
        let log = dir.join("tauri-driver.log");
        // Two free ports, released just before tauri-driver binds them: another process may
        // take one meanwhile, and tauri-driver then exits, so try again with new ones.
        let mut failures = Vec::new();
        for _ in 0..3 {
            let (port, native_port) = free_ports()?;
            let out = File::options().create(true).append(true).open(&log)?;
            let mut cmd = Command::new(&program);
            cmd.arg("--port")
                .arg(port.to_string())
                .arg("--native-port")
                .arg(native_port.to_string())
                .arg("--native-driver")
                .arg(&native)
                .env("DISPLAY", format!(":{display}"))
                .env("GDK_BACKEND", "x11")
                .env_remove("WAYLAND_DISPLAY")
                .env("ENVDECK_DATA_DIR", data_dir)
                .env_remove("ENVDECK_WORKSPACE")
                .envs(env.iter().copied())
                .stdin(Stdio::null())
                .stdout(out.try_clone()?)
                .stderr(out);
            // The app must never reach the keychain of the person running the tests: it gets
            // the suite's private bus (tests/run-suite.sh) or none. Unset, GLib would
            // autolaunch a session bus (dbus-launch) that outlives the test.
            if std::env::var("ENVDECK_TEST_KEYRING").as_deref() != Ok("1") {
                cmd.env("DBUS_SESSION_BUS_ADDRESS", "disabled:");
            }
            let mut guard = ChildGuard::spawn("tauri-driver", &mut cmd, true)?;
            let start = Instant::now();
            while start.elapsed() < Duration::from_secs(10) {
                if guard.exited() {
                    break;
                }
                // /status goes through tauri-driver to WebKitWebDriver: both are up.
                if status_ok(port).await {
                    return Ok(TauriDriver { port, log, guard });
                }
                sleep(POLL).await;
            }
            failures.push(format!(
                "ports {port}/{native_port}: exited or not ready within 10 s"
            ));
            drop(guard);
        }
        bail!(
            "tauri-driver ({}) did not start: {failures:?}\n{}",
            program.display(),
            tail(&log)
        )
    }

    fn log_tail(&self) -> String {
        tail(&self.log)
    }
}

fn tail(log: &Path) -> String {
    let text = std::fs::read_to_string(log).unwrap_or_default();
    let skip = text.chars().count().saturating_sub(4000);
    format!(
        "--- {} (end) ---\n{}",
        log.display(),
        text.chars().skip(skip).collect::<String>()
    )
}

/// `GET /status` answers 200.
async fn status_ok(port: u16) -> bool {
    let client =
        hyper_util::client::legacy::Client::builder(TokioExecutor::new()).build_http::<String>();
    let uri = format!("http://127.0.0.1:{port}/status")
        .parse()
        .expect("a valid URI");
    matches!(
        timeout(Duration::from_secs(2), client.get(uri)).await,
        Ok(Ok(r)) if r.status() == 200
    )
}

fn free_ports() -> Result<(u16, u16)> {
    let a = std::net::TcpListener::bind("127.0.0.1:0")?;
    let b = std::net::TcpListener::bind("127.0.0.1:0")?;
    Ok((a.local_addr()?.port(), b.local_addr()?.port()))
}

fn find_tauri_driver() -> Result<PathBuf> {
    let cargo_home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::home_dir().map(|h| h.join(".cargo")));
    which("tauri-driver")
        .or_else(|| {
            cargo_home
                .map(|h| h.join("bin/tauri-driver"))
                .filter(|p| p.is_file())
        })
        .context("tauri-driver not found: `cargo install tauri-driver --version '^2' --locked`")
}

/// The first `name` on PATH. No crate in the dependency tree searches PATH (no `which`).
fn which(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|d| d.join(name))
        .find(|p| p.is_file())
}
