//! The real window, driven through tauri-driver + WebKitWebDriver under Xvfb.
//!
//! The test starts its own X server (`Xvfb -displayfd`, so it picks a free display) and its
//! own tauri-driver on free ports, opens a WebDriver session on the real `envdeck` binary
//! with a fresh data directory (so the app creates and opens the demo workspace), and checks
//! what a user sees. Whatever happens, the session is ended before tauri-driver is stopped,
//! and every process the test started (tauri-driver, WebKitWebDriver, envdeck and WebKit's
//! helpers, all in one process group, and Xvfb) is gone when the test ends.
//!
//! Needs `Xvfb` (xvfb), `WebKitWebDriver` (webkit2gtk-driver) and tauri-driver 2
//! (`cargo install tauri-driver --version '^2' --locked`).
#![cfg(all(target_os = "linux", feature = "gui"))]

use std::collections::BTreeSet;
use std::fs::File;
use std::io::{BufRead, BufReader};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, anyhow, bail, ensure};
use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::time::{sleep, timeout};

use crate::util;

/// How often a wait looks again, and for how long at most.
const POLL: Duration = Duration::from_millis(100);
const WAIT: Duration = Duration::from_secs(20);
/// Upper bound for the whole scenario, in case a WebDriver command itself hangs.
const SCENARIO_LIMIT: Duration = Duration::from_secs(60);

const GREEN: &str = "rgb(34, 197, 94)"; // development, #22c55e
const RED: &str = "rgb(239, 68, 68)"; // production, #ef4444
const DEV_PROVIDERS: [&str; 10] = [
    "facebook",
    "github",
    "google",
    "hubspot",
    "instagram",
    "linkedin",
    "notion",
    "slack",
    "stripe",
    "twitter",
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_window_opens_on_the_demo_workspace_and_shows_each_environment() -> Result<()> {
    let dir = util::Dir::new();
    let data_dir = dir.data_dir();
    with_window(&dir, async |c: &Client| scenario(c, &data_dir).await).await
}

/// The banner names the environment whose database URL holds a password; "Move to
/// keychain" puts the URL into the real Secret Service, rewrites envdeck.toml to read it
/// from there, and the warning goes away.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_banner_moves_a_password_url_into_the_keychain() -> Result<()> {
    util::require_private_keyring();
    let dir = util::Dir::new();
    // The window opens the demo in its data dir; write it first, with a staging database
    // whose URL carries a password, under a workspace name of its own in the keyring.
    let demo = dir.data_dir().join("demo");
    let out = dir.cmd(&["demo", "init", demo.to_str().unwrap()]).run();
    ensure!(out.ok(), "demo init: {}", out.stderr);
    let ws_name = format!("win{}", &util::planted("")[..10]);
    let password = util::planted("BannerPw");
    let url = format!("postgres://app:{password}@127.0.0.1:1/app");
    let file = demo.join("envdeck.toml");
    let text = std::fs::read_to_string(&file)?
        .replace("name = \"acme\"", &format!("name = \"{ws_name}\""))
        + &format!(
            "\n[environments.staging]\nkind = \"staging\"\ndatabase = {{ url = \"{url}\" }}\n"
        );
    std::fs::write(&file, text)?;

    with_window(&dir, async |c: &Client| {
        let banner = eventually("the password warning naming staging", async || {
            let b = c
                .find(Locator::Css("[data-testid='warnings-banner']"))
                .await
                .map_err(|e| e.to_string())?;
            let t = b.text().await.map_err(|e| e.to_string())?;
            if t.contains("database URL of staging") && t.contains("password") {
                Ok(t)
            } else {
                Err(t)
            }
        })
        .await?;
        ensure!(
            !banner.contains(&password),
            "the banner shows the password: {banner}"
        );
        c.find(Locator::Css("[data-testid='move-to-keychain-staging']"))
            .await?
            .click()
            .await
            .context("clicking Move to keychain")?;
        eventually("the warning to go away", async || {
            match c
                .find_all(Locator::Css("[data-testid='warnings-banner']"))
                .await
            {
                Ok(v) if v.is_empty() => Ok(()),
                Ok(v) => Err(v[0].text().await.unwrap_or_default()),
                Err(e) => Err(e.to_string()),
            }
        })
        .await?;
        save_screenshot(c, "window-moved-to-keychain.png").await?;
        Ok(())
    })
    .await?;

    let text = std::fs::read_to_string(&file)?;
    ensure!(
        !text.contains(&password),
        "the password is still in envdeck.toml"
    );
    ensure!(
        text.contains("database = { secret = \"DATABASE_URL\" }"),
        "envdeck.toml does not read staging's database from the keychain:\n{text}"
    );
    let account = format!("{ws_name}/staging/DATABASE_URL");
    let lookup = Command::new("secret-tool")
        .args(["lookup", "service", "envdeck", "username", &account])
        .output()?;
    let clear = Command::new("secret-tool")
        .args(["clear", "service", "envdeck", "username", &account])
        .status();
    ensure!(
        String::from_utf8_lossy(&lookup.stdout) == url,
        "the keychain does not hold the URL under {account}"
    );
    ensure!(
        clear.map(|s| s.success()).unwrap_or(false),
        "could not clean up {account}"
    );
    Ok(())
}

/// Starts Xvfb, tauri-driver and a WebDriver session on envdeck with `dir`'s data dir, runs
/// `scenario`, and always ends the session, then tauri-driver, then X.
async fn with_window(
    dir: &util::Dir,
    scenario: impl AsyncFnOnce(&Client) -> Result<()>,
) -> Result<()> {
    let started = Instant::now();
    let mut xvfb = Xvfb::start(dir.path())?;
    let t_xvfb = started.elapsed();
    let mut driver = TauriDriver::start(dir.path(), &dir.data_dir(), xvfb.display).await?;
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
        alive = group_members(driver.guard.child.id() as i32);
        save_screenshot(&client, "window-failure.png").await.ok();
    }

    // Always in this order: end the session (envdeck exits), then stop tauri-driver, then X.
    let closed = timeout(Duration::from_secs(10), client.close()).await;
    let leftovers = driver.stop();
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

/// What a user sees, from the first paint to the Settings page and back.
async fn scenario(c: &Client, data_dir: &Path) -> Result<()> {
    // The app opened the demo workspace it created in its fresh data directory.
    eventually(
        "the window to load a workspace (body[data-ready=\"true\"])",
        async || match c.find(Locator::Css("body[data-ready='true']")).await {
            Ok(_) => Ok(()),
            Err(_) => Err(format!("page text: {:?}", page_text(c).await)),
        },
    )
    .await?;
    let tag = c
        .find(Locator::Css("[data-testid='demo-tag']"))
        .await
        .context("the demo tag")?;
    let tag = tag.text().await?;
    ensure!(
        tag.eq_ignore_ascii_case("demo"),
        "the sidebar's demo tag reads {tag:?}"
    );

    // The sidebar: dev then prod, each in its kind's colour; only prod carries the lock.
    let items = c.find_all(Locator::Css("[data-testid='env-item']")).await?;
    let mut seen = Vec::new();
    for item in &items {
        seen.push((
            attr(item, "data-env").await?,
            attr(item, "data-kind").await?,
            item.css_value("border-left-color").await?,
        ));
    }
    let expected = [("dev", "development", GREEN), ("prod", "production", RED)];
    ensure!(
        seen.iter()
            .map(|(e, k, c)| (e.as_str(), k.as_str(), c.as_str()))
            .eq(expected),
        "sidebar environments (name, kind, border-left-color): {seen:?}, expected {expected:?}"
    );
    let dev = env_item(c, "dev").await?;
    let prod = env_item(c, "prod").await?;
    let lock = prod
        .find(Locator::Css(
            "[data-testid='env-lock'] svg[data-icon='lock']",
        ))
        .await
        .context("prod's lock icon")?;
    ensure!(
        lock.is_displayed().await?,
        "prod's lock icon is not displayed"
    );
    let label = lock.attr("aria-label").await?;
    ensure!(
        label.as_deref() == Some("Protected (read-only)"),
        "prod's lock is labelled {label:?}"
    );
    let dev_locks = dev
        .find_all(Locator::Css("[data-testid='env-lock']"))
        .await?;
    ensure!(
        dev_locks.is_empty(),
        "dev, which is not protected, shows a lock"
    );

    // Both SQLite databases are reached.
    let since = Instant::now();
    eventually(
        "dev and prod to be reachable (data-reachable=\"true\")",
        async || {
            let mut states = Vec::new();
            for env in ["dev", "prod"] {
                let item = env_item(c, env).await.map_err(|e| format!("{e:?}"))?;
                states.push((
                    env,
                    item.attr("data-reachable")
                        .await
                        .map_err(|e| format!("{e:?}"))?,
                ));
            }
            if states.iter().all(|(_, r)| r.as_deref() == Some("true")) {
                Ok(())
            } else {
                Err(format!("{states:?}"))
            }
        },
    )
    .await?;
    eprintln!(
        "window: both environments reachable {:.2?} after the first paint",
        since.elapsed()
    );

    // The first environment is selected: dev's page lists its 12 integrations.
    let providers = integrations(c, "dev", 12).await?;
    ensure!(
        attr(&env_item(c, "dev").await?, "aria-current").await? == "page",
        "dev is not marked as the current page in the sidebar"
    );
    let distinct: BTreeSet<&str> = providers.iter().map(String::as_str).collect();
    ensure!(
        distinct == BTreeSet::from(DEV_PROVIDERS),
        "dev's providers: {providers:?}, expected each of {DEV_PROVIDERS:?}"
    );

    // prod: read-only, no twitter, and its slack connection has expired.
    prod.click().await.context("clicking prod in the sidebar")?;
    let providers = integrations(c, "prod", 11).await?;
    ensure!(
        !providers.iter().any(|p| p == "twitter"),
        "prod lists a twitter integration: {providers:?}"
    );
    let page = c
        .find(Locator::Css("[data-testid='env-page'][data-env='prod']"))
        .await?;
    let read_only = page
        .find(Locator::Css("[data-testid='read-only']"))
        .await
        .context("prod's read-only tag")?;
    ensure!(
        read_only.is_displayed().await?,
        "prod's read-only tag is not displayed"
    );
    let slack = page
        .find_all(Locator::Css(
            "[data-testid='integration-row'][data-provider='slack']",
        ))
        .await?;
    ensure!(
        slack.len() == 1,
        "prod has {} slack rows, expected 1",
        slack.len()
    );
    let status = slack[0]
        .find(Locator::Css("td:nth-child(3)"))
        .await?
        .text()
        .await?;
    ensure!(
        status.trim() == "expired",
        "prod's slack status reads {status:?}, expected \"expired\""
    );

    // Settings lists both environments, with prod read-only, from the demo in our data dir.
    c.find(Locator::Css("[data-testid='nav-settings']"))
        .await?
        .click()
        .await
        .context("clicking Settings")?;
    let rows = eventually("the Settings page to list the environments", async || {
        let rows = c
            .find_all(Locator::Css(
                "[data-testid='settings-page'] [data-testid='settings-env']",
            ))
            .await
            .map_err(|e| format!("{e:?}"))?;
        let mut envs = Vec::new();
        for row in &rows {
            let env = attr(row, "data-env").await.map_err(|e| format!("{e:?}"))?;
            envs.push((env, row.text().await.map_err(|e| format!("{e:?}"))?));
        }
        if envs.len() == 2 {
            Ok(envs)
        } else {
            Err(format!(
                "rows: {envs:?}; page text: {:?}",
                page_text(c).await
            ))
        }
    })
    .await?;
    ensure!(
        rows[0].0 == "dev" && rows[0].1.contains("development") && rows[0].1.contains("read-write"),
        "Settings' first environment row: {:?}",
        rows[0]
    );
    ensure!(
        rows[1].0 == "prod" && rows[1].1.contains("production") && rows[1].1.contains("read-only"),
        "Settings' second environment row: {:?}",
        rows[1]
    );
    let path = c
        .find(Locator::Css("[data-testid='workspace-path']"))
        .await?
        .text()
        .await?;
    ensure!(
        Path::new(&path) == data_dir.join("demo/envdeck.toml"),
        "the workspace file is {path:?}, expected the demo in the test's data dir {}",
        data_dir.display()
    );

    // Back to dev (its detail is kept), and a picture for people.
    env_item(c, "dev")
        .await?
        .click()
        .await
        .context("clicking dev in the sidebar")?;
    integrations(c, "dev", 12).await?;
    let png = save_screenshot(c, "window-dev.png").await?;
    eprintln!("window: screenshot of the dev page in {}", png.display());
    compare_scenario(c).await
}

/// The Compare screen on first open shows the demo's seeded drift, area by area, and the
/// parity grid marks what to reconnect in prod.
async fn compare_scenario(c: &Client) -> Result<()> {
    c.find(Locator::Css("[data-testid='nav-compare']"))
        .await
        .context("the Compare entry in the sidebar")?
        .click()
        .await?;
    let expected = [
        ("integrations", "3"),
        ("workflows", "3"),
        ("schema", "1"),
        ("migrations", "1"),
        ("reference_data", "3"),
        ("config", "3"),
        ("isolation", "4"),
    ];
    for (area, count) in expected {
        let css = format!("[data-testid='area-card'][data-area='{area}']");
        eventually(
            &format!("the {area} card to show {count} findings"),
            async || {
                let card = c
                    .find(Locator::Css(&css))
                    .await
                    .map_err(|e| format!("{e:?}"))?;
                let state = card
                    .attr("data-state")
                    .await
                    .map_err(|e| format!("{e:?}"))?;
                let n = card
                    .attr("data-count")
                    .await
                    .map_err(|e| format!("{e:?}"))?;
                if state.as_deref() == Some("done") && n.as_deref() == Some(count) {
                    Ok(())
                } else {
                    Err(format!("state {state:?}, count {n:?}"))
                }
            },
        )
        .await?;
    }
    let rows = c
        .find_all(Locator::Css("[data-testid='finding-row']"))
        .await?;
    let mut seen = Vec::new();
    for r in &rows {
        seen.push((
            attr(r, "data-area").await?,
            attr(r, "data-kind").await?,
            attr(r, "data-key").await?,
            attr(r, "data-severity").await?,
        ));
    }
    ensure!(
        seen.len() == 18,
        "18 findings on screen, saw {}: {seen:?}",
        seen.len()
    );
    for (area, kind, key) in [
        ("integrations", "missing", "twitter/ana@acme.test"),
        ("integrations", "expired", "slack/ana@acme.test"),
        ("workflows", "changed", "Stripe failed payment follow-up"),
        ("reference_data", "missing", "roles/manager"),
        ("migrations", "pending", "20261112153000_add_api_keys"),
        ("isolation", "shared_backend", "CONVEX_DEPLOYMENT"),
    ] {
        ensure!(
            seen.iter()
                .any(|(a, k, y, _)| a == area && k == kind && y == key),
            "{area}/{kind}/{key} is not on screen: {seen:?}"
        );
    }
    ensure!(
        seen[0].3 == "critical" && seen[0].0 == "isolation",
        "critical isolation findings come first: {:?}",
        seen[0]
    );
    let png = save_screenshot(c, "window-compare.png").await?;
    eprintln!(
        "window: screenshot of the Compare screen in {}",
        png.display()
    );

    c.find(Locator::Css("[data-testid='tab-parity']"))
        .await?
        .click()
        .await?;
    let cell = "[data-testid='parity-cell'][data-provider='twitter'][data-env='prod']";
    eventually(
        "the parity grid to mark Twitter missing in prod",
        async || {
            let el = c
                .find(Locator::Css(cell))
                .await
                .map_err(|e| format!("{e:?}"))?;
            let state = el.attr("data-state").await.map_err(|e| format!("{e:?}"))?;
            let reconnect = el
                .attr("data-reconnect")
                .await
                .map_err(|e| format!("{e:?}"))?;
            if state.as_deref() == Some("missing") && reconnect.as_deref() == Some("true") {
                Ok(())
            } else {
                Err(format!("state {state:?}, reconnect {reconnect:?}"))
            }
        },
    )
    .await?;
    let slack = c
        .find(Locator::Css(
            "[data-testid='parity-cell'][data-provider='slack'][data-env='prod']",
        ))
        .await?;
    ensure!(
        attr(&slack, "data-state").await? == "expired",
        "Slack in prod is expired"
    );
    let dev_twitter = c
        .find(Locator::Css(
            "[data-testid='parity-cell'][data-provider='twitter'][data-env='dev']",
        ))
        .await?;
    ensure!(
        attr(&dev_twitter, "data-state").await? == "healthy",
        "Twitter in dev is healthy"
    );
    Ok(())
}

/// Waits for `env`'s page to list `count` integrations and returns their providers, in order.
async fn integrations(c: &Client, env: &str, count: usize) -> Result<Vec<String>> {
    let page = format!("[data-testid='env-page'][data-env='{env}']");
    let row = format!("{page} [data-testid='integration-row']");
    eventually(
        &format!("{env}'s page to list {count} integrations"),
        async || {
            if c.find(Locator::Css(&page)).await.is_err() {
                return Err(format!(
                    "no {env} page; page text: {:?}",
                    page_text(c).await
                ));
            }
            let rows = c
                .find_all(Locator::Css(&row))
                .await
                .map_err(|e| format!("{e:?}"))?;
            let mut providers = Vec::new();
            for row in &rows {
                providers.push(
                    attr(row, "data-provider")
                        .await
                        .map_err(|e| format!("{e:?}"))?,
                );
            }
            if providers.len() == count {
                Ok(providers)
            } else {
                Err(format!("{} rows: {providers:?}", providers.len()))
            }
        },
    )
    .await
}

async fn env_item(c: &Client, env: &str) -> Result<Element> {
    let css = format!("[data-testid='env-item'][data-env='{env}']");
    c.find(Locator::Css(&css))
        .await
        .with_context(|| format!("the sidebar item of {env}"))
}

async fn attr(el: &Element, name: &str) -> Result<String> {
    el.attr(name)
        .await?
        .ok_or_else(|| anyhow!("the element has no {name} attribute"))
}

/// The start of the visible text, for failure messages.
async fn page_text(c: &Client) -> String {
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

async fn save_screenshot(c: &Client, name: &str) -> Result<PathBuf> {
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

/// Polls `probe` every [`POLL`] until it succeeds, for at most [`WAIT`]; its errors describe
/// what it saw instead, and the last one ends up in the timeout message.
async fn eventually<T>(what: &str, mut probe: impl AsyncFnMut() -> Result<T, String>) -> Result<T> {
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

// ---------------------------------------------------------------------------------------
// Processes

const SIGKILL: i32 = 9;
const SIGTERM: i32 = 15;

unsafe extern "C" {
    /// kill(2); a negative pid signals that process group.
    safe fn kill(pid: i32, sig: i32) -> i32;
}

/// A child process that is stopped (SIGTERM, then SIGKILL) when dropped. With `group`, it
/// leads its own process group, and whatever it started that is still in that group is
/// killed too.
struct Guard {
    name: &'static str,
    child: Child,
    group: bool,
}

impl Guard {
    fn spawn(name: &'static str, cmd: &mut Command, group: bool) -> Result<Guard> {
        if group {
            cmd.process_group(0);
        }
        let child = cmd
            .spawn()
            .with_context(|| format!("starting {name} ({cmd:?})"))?;
        Ok(Guard { name, child, group })
    }

    fn exited(&mut self) -> bool {
        self.child.try_wait().ok().flatten().is_some()
    }

    /// Stops the process; returns the processes of its group that were left and killed.
    fn stop(&mut self) -> Vec<String> {
        let pid = self.child.id() as i32;
        if !self.exited() {
            kill(pid, SIGTERM);
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
        // Processes whose parent just died can take a moment to notice.
        let deadline = Instant::now() + Duration::from_secs(5);
        loop {
            let left = group_members(pid);
            if left.is_empty() {
                return Vec::new();
            }
            if Instant::now() >= deadline {
                kill(-pid, SIGKILL);
                return left;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Guard {
    fn drop(&mut self) {
        let left = self.stop();
        if !left.is_empty() {
            eprintln!("window: killed what {} left behind: {left:?}", self.name);
        }
    }
}

/// Live (not zombie) processes in process group `pgid`, as "pid name".
fn group_members(pgid: i32) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
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
    guard: Guard,
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
            "1280x1024x24",
            "-nolisten",
            "tcp",
        ])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(log);
        let mut guard = Guard::spawn("Xvfb", &mut cmd, false)
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
    guard: Guard,
}

impl TauriDriver {
    async fn start(dir: &Path, data_dir: &Path, display: u32) -> Result<TauriDriver> {
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
                .stdin(Stdio::null())
                .stdout(out.try_clone()?)
                .stderr(out);
            // The app must never reach the keychain of the person running the tests: it gets
            // the suite's private bus (tests/run-suite.sh) or none. Unset, GLib would
            // autolaunch a session bus (dbus-launch) that outlives the test.
            if std::env::var("ENVDECK_TEST_KEYRING").as_deref() != Ok("1") {
                cmd.env("DBUS_SESSION_BUS_ADDRESS", "disabled:");
            }
            let mut guard = Guard::spawn("tauri-driver", &mut cmd, true)?;
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

    fn stop(&mut self) -> Vec<String> {
        self.guard.stop()
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
    let probe = async {
        let mut s = tokio::net::TcpStream::connect(("127.0.0.1", port)).await?;
        let req =
            format!("GET /status HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n");
        s.write_all(req.as_bytes()).await?;
        let mut head = Vec::new();
        let mut buf = [0u8; 256];
        while head.len() < 12 {
            let n = s.read(&mut buf).await?;
            if n == 0 {
                break;
            }
            head.extend_from_slice(&buf[..n]);
        }
        std::io::Result::Ok(head.starts_with(b"HTTP/1.1 200"))
    };
    matches!(timeout(Duration::from_secs(2), probe).await, Ok(Ok(true)))
}

fn free_ports() -> Result<(u16, u16)> {
    let a = std::net::TcpListener::bind("127.0.0.1:0")?;
    let b = std::net::TcpListener::bind("127.0.0.1:0")?;
    Ok((a.local_addr()?.port(), b.local_addr()?.port()))
}

fn find_tauri_driver() -> Result<PathBuf> {
    let cargo_home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")));
    which("tauri-driver")
        .or_else(|| {
            cargo_home
                .map(|h| h.join("bin/tauri-driver"))
                .filter(|p| p.is_file())
        })
        .context("tauri-driver not found: `cargo install tauri-driver --version '^2' --locked`")
}

fn which(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|d| d.join(name))
        .find(|p| p.is_file())
}
