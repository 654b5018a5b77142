//! The real window, driven through tauri-driver + WebKitWebDriver under Xvfb: what a user
//! sees on the demo workspace. Each scenario runs inside [`with_window`], which starts and
//! always stops every process (tests/util/window.rs).
#![cfg(all(target_os = "linux", feature = "gui"))]

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;
use std::time::Instant;

use anyhow::{Context, Result, anyhow, ensure};
use fantoccini::elements::Element;
use fantoccini::{Client, Locator};

use crate::util;
use crate::util::window::{eventually, page_text, save_screenshot, with_window};

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

/// Cancel on the Compare screen: while the reference data of a slow PostgreSQL database is
/// read, the card shows its progress; Cancel ends it within seconds as cancelled (not
/// failed) and the server stops the statement.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cancel_stops_a_slow_compare_in_the_window() -> Result<()> {
    let pg = crate::util::pg::cluster();
    let dir = util::Dir::new();
    // The window opens the demo's file when there is one: make that the slow workspace.
    let (text, slow) = crate::operations::slow_workspace_text(&pg);
    let demo = dir.data_dir().join("demo");
    std::fs::create_dir_all(&demo)?;
    std::fs::write(demo.join("envdeck.toml"), text)?;
    let card = "[data-testid='area-card'][data-area='reference_data']";

    with_window(&dir, async |c: &Client| {
        eventually("the Compare entry", async || {
            c.find(Locator::Css("[data-testid='nav-compare']"))
                .await
                .map_err(|e| format!("{e:?}"))
        })
        .await?
        .click()
        .await?;
        eventually("the slow area to show its progress", async || {
            let el = c
                .find(Locator::Css(&format!(
                    "{card} [data-testid='area-progress']"
                )))
                .await
                .map_err(|e| format!("{e:?}"))?;
            let t = el.text().await.map_err(|e| format!("{e:?}"))?;
            if t.contains("Reading dev and prod") {
                Ok(())
            } else {
                Err(t)
            }
        })
        .await?;
        eventually(
            "the slow read to reach the server",
            async || match crate::operations::active(&pg, &slow) {
                0 => Err("no statement yet".to_string()),
                _ => Ok(()),
            },
        )
        .await?;
        save_screenshot(c, "window-compare-running.png").await?;
        let t = Instant::now();
        c.find(Locator::Css("[data-testid='compare-cancel']"))
            .await
            .context("the Cancel button while comparing")?
            .click()
            .await?;
        eventually("the card to say cancelled", async || {
            let el = c
                .find(Locator::Css(card))
                .await
                .map_err(|e| format!("{e:?}"))?;
            let state = el.attr("data-state").await.map_err(|e| format!("{e:?}"))?;
            if state.as_deref() == Some("cancelled") {
                Ok(())
            } else {
                Err(format!("state {state:?}"))
            }
        })
        .await?;
        let took = t.elapsed();
        ensure!(
            took < std::time::Duration::from_secs(3),
            "the card said cancelled {took:?} after the click"
        );
        let summary = c
            .find(Locator::Css("[data-testid='compare-cancelled']"))
            .await
            .context("the cancelled count")?
            .text()
            .await?;
        ensure!(summary == "1 cancelled", "summary: {summary:?}");
        ensure!(
            c.find_all(Locator::Css(&format!("{card} [data-testid='error-card']")))
                .await?
                .is_empty(),
            "a cancel is not shown as a failure"
        );
        eventually(
            "the server to stop the statement",
            async || match crate::operations::active(&pg, &slow) {
                0 => Ok(()),
                n => Err(format!("{n} still active")),
            },
        )
        .await?;
        save_screenshot(c, "window-compare-cancelled.png").await?;
        Ok(())
    })
    .await
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
    // The demo's drift, from the one fixture the Rust, window and UI tests share.
    let drift = crate::fixtures::expected_drift();
    let expected: Vec<(String, String)> = [
        "integrations",
        "workflows",
        "schema",
        "migrations",
        "reference_data",
        "data",
        "config",
        "isolation",
    ]
    .iter()
    .map(|area| {
        let n = drift.iter().filter(|(a, ..)| a == area).count();
        (area.to_string(), n.to_string())
    })
    .collect();
    for (area, count) in &expected {
        let count = count.as_str();
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
    let on_screen: BTreeSet<_> = seen.iter().cloned().collect();
    let want: BTreeSet<_> = drift.iter().cloned().collect();
    ensure!(
        seen.len() == drift.len() && on_screen == want,
        "the findings on screen are not the demo's drift ({} expected, {} seen)\nmissing: {:?}\nextra: {:?}",
        drift.len(),
        seen.len(),
        want.difference(&on_screen).collect::<Vec<_>>(),
        on_screen.difference(&want).collect::<Vec<_>>()
    );
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

/// The guarded sync from the window, on the demo: tick prod's missing `manager` role and
/// `team_invitation` template, review the plan, type `prod` (for real; only the native
/// yes/no is answered by the test switch), and the rows are inserted, the re-compare no
/// longer finds them missing, and History lists the sync.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn copying_missing_reference_rows_to_prod_in_the_window() -> Result<()> {
    let dir = util::Dir::new();
    let picked = ["roles/manager", "notification_templates/team_invitation"];
    let row = |key: &str| {
        format!(
            "[data-testid='finding-row'][data-area='reference_data'][data-kind='missing'][data-key='{key}']"
        )
    };
    with_window(&dir, async |c: &Client| {
        eventually("the Compare entry", async || {
            c.find(Locator::Css("[data-testid='nav-compare']"))
                .await
                .map_err(|e| format!("{e:?}"))
        })
        .await?
        .click()
        .await?;
        // Every area read first: the findings table grows and re-sorts while areas arrive,
        // and a click aimed at a row that moves lands elsewhere.
        eventually("every area compared", async || {
            let cards = c
                .find_all(Locator::Css("[data-testid='area-card']"))
                .await
                .map_err(|e| format!("{e:?}"))?;
            let mut loading = 0;
            for card in &cards {
                let state = card
                    .attr("data-state")
                    .await
                    .map_err(|e| format!("{e:?}"))?;
                if !matches!(state.as_deref(), Some("done" | "skipped" | "error")) {
                    loading += 1;
                }
            }
            if cards.is_empty() || loading > 0 {
                Err(format!("{loading} of {} areas still loading", cards.len()))
            } else {
                Ok(())
            }
        })
        .await?;
        for key in picked {
            let pick = format!("{} [data-testid='finding-pick']", row(key));
            eventually(&format!("a checkbox on the missing {key}"), async || {
                let el = c
                    .find(Locator::Css(&pick))
                    .await
                    .map_err(|e| format!("{e:?}"))?;
                el.click().await.map_err(|e| format!("{e:?}"))
            })
            .await?;
        }
        let open = eventually("the Copy action once rows are ticked", async || {
            let el = c
                .find(Locator::Css("[data-testid='sync-open']"))
                .await
                .map_err(|e| format!("{e:?}"))?;
            let t = el.text().await.map_err(|e| format!("{e:?}"))?;
            if t == "Copy 2 to prod…" {
                Ok(el)
            } else {
                Err(t)
            }
        })
        .await?;
        ensure!(
            open.text().await? == "Copy 2 to prod…",
            "the action: {:?}",
            open.text().await?
        );
        open.click().await?;
        let fp = eventually("the plan's fingerprint", async || {
            let el = c
                .find(Locator::Css("[data-testid='sync-fingerprint']"))
                .await
                .map_err(|e| format!("{e:?}"))?;
            el.text().await.map_err(|e| format!("{e:?}"))
        })
        .await?;
        ensure!(
            fp.len() == 8 && fp.chars().all(|ch| ch.is_ascii_hexdigit()),
            "fingerprint {fp:?}"
        );
        let tables: BTreeSet<String> = {
            let mut t = BTreeSet::new();
            for el in c
                .find_all(Locator::Css("[data-testid='sync-table']"))
                .await?
            {
                t.insert(attr(&el, "data-table").await?);
            }
            t
        };
        ensure!(
            tables == BTreeSet::from(["notification_templates".into(), "roles".into()]),
            "tables in the plan: {tables:?}"
        );
        ensure!(
            c.find_all(Locator::Css("[data-testid='sync-blocker']"))
                .await?
                .is_empty(),
            "the demo's plan is not blocked: {}",
            page_text(c).await
        );
        let confirm = c.find(Locator::Css("[data-testid='sync-confirm']")).await?;
        ensure!(
            confirm.attr("disabled").await?.is_some(),
            "Confirm is enabled before the name is typed"
        );
        let typed = c.find(Locator::Css("[data-testid='sync-typed']")).await?;
        typed.send_keys("prod").await?;
        ensure!(
            confirm.attr("disabled").await?.is_none(),
            "Confirm stays disabled after typing prod"
        );
        // Only the native dialog is answered by the test; the typed name above was real.
        c.execute("window.__ENVDECK_TEST_ACCEPT_DIALOG__ = true;", vec![])
            .await?;
        confirm.click().await?;
        eventually("the sync to be applied", async || {
            let el = c
                .find(Locator::Css("[data-testid='sync-result']"))
                .await
                .map_err(|e| format!("{e:?}"))?;
            match el
                .attr("data-outcome")
                .await
                .map_err(|e| format!("{e:?}"))?
            {
                Some(o) if o == "applied" => Ok(()),
                o => Err(format!(
                    "outcome {o:?}: {}",
                    el.text().await.unwrap_or_default()
                )),
            }
        })
        .await?;
        eventually("the re-compare to find none of them missing", async || {
            let t = c
                .find(Locator::Css("[data-testid='sync-recompare']"))
                .await
                .map_err(|e| format!("{e:?}"))?
                .text()
                .await
                .map_err(|e| format!("{e:?}"))?;
            if t.contains("none of the copied rows is missing in prod") {
                Ok(())
            } else {
                Err(t)
            }
        })
        .await?;
        let png = save_screenshot(c, "window-sync-result.png").await?;
        eprintln!("window: screenshot of the sync result in {}", png.display());
        c.find(Locator::Css("[data-testid='sync-done']"))
            .await?
            .click()
            .await?;
        for key in picked {
            ensure!(
                c.find_all(Locator::Css(&row(key))).await?.is_empty(),
                "{key} is still listed as missing after the sync"
            );
        }

        c.find(Locator::Css("[data-testid='nav-history']"))
            .await
            .context("the History entry in the sidebar")?
            .click()
            .await?;
        let entry = eventually("the sync in History", async || {
            c.find(Locator::Css(
                "[data-testid='history-row'][data-outcome='applied']",
            ))
            .await
            .map_err(|e| format!("{e:?}"))
        })
        .await?;
        let text = entry.text().await?;
        ensure!(
            text.contains("dev → prod") && text.contains(&fp),
            "History row: {text}"
        );
        let rows = entry
            .find(Locator::Css("[data-testid='history-rows']"))
            .await?
            .text()
            .await?;
        ensure!(rows.starts_with('2'), "rows in History: {rows:?}");
        let png = save_screenshot(c, "window-sync-history.png").await?;
        eprintln!("window: screenshot of History in {}", png.display());

        // Undo it from History: its own preview and fingerprint, prod typed, confirmed.
        entry
            .find(Locator::Css("[data-testid='history-undo-button']"))
            .await
            .context("the Undo action on the applied sync")?
            .click()
            .await?;
        let undo_fp = eventually("the undo's fingerprint", async || {
            let el = c
                .find(Locator::Css("[data-testid='undo-fingerprint']"))
                .await
                .map_err(|e| format!("{e:?}"))?;
            el.text().await.map_err(|e| format!("{e:?}"))
        })
        .await?;
        ensure!(
            undo_fp.len() == 8 && undo_fp.chars().all(|ch| ch.is_ascii_hexdigit()),
            "undo fingerprint {undo_fp:?}"
        );
        let to_delete = c
            .find_all(Locator::Css("[data-testid='undo-row']"))
            .await?
            .len();
        ensure!(
            to_delete == 2,
            "rows the undo deletes: {to_delete}: {}",
            page_text(c).await
        );
        let confirm = c.find(Locator::Css("[data-testid='undo-confirm']")).await?;
        ensure!(
            confirm.attr("disabled").await?.is_some(),
            "the undo's Confirm is enabled before the name is typed"
        );
        c.find(Locator::Css("[data-testid='undo-typed']"))
            .await?
            .send_keys("prod")
            .await?;
        ensure!(
            confirm.attr("disabled").await?.is_none(),
            "the undo's Confirm stays disabled after typing prod"
        );
        confirm.click().await?;
        eventually("the sync to be undone", async || {
            let el = c
                .find(Locator::Css("[data-testid='undo-result']"))
                .await
                .map_err(|e| format!("{e:?}"))?;
            match el
                .attr("data-outcome")
                .await
                .map_err(|e| format!("{e:?}"))?
            {
                Some(o) if o == "undone" => Ok(()),
                o => Err(format!(
                    "outcome {o:?}: {}",
                    el.text().await.unwrap_or_default()
                )),
            }
        })
        .await?;
        c.find(Locator::Css("[data-testid='undo-done']"))
            .await?
            .click()
            .await?;
        eventually("History to mark the sync undone", async || {
            let el = c
                .find(Locator::Css(
                    "[data-testid='history-row'][data-outcome='applied'][data-undone='true']",
                ))
                .await
                .map_err(|e| format!("{e:?}"))?;
            let undo_buttons = el
                .find_all(Locator::Css("[data-testid='history-undo-button']"))
                .await
                .map_err(|e| format!("{e:?}"))?;
            if undo_buttons.is_empty() {
                Ok(())
            } else {
                Err("the undone sync still offers Undo".to_string())
            }
        })
        .await?;
        let png = save_screenshot(c, "window-sync-undone.png").await?;
        eprintln!("window: screenshot of the undone sync in {}", png.display());

        // Compared again, the role and the template are missing in prod once more.
        c.find(Locator::Css("[data-testid='nav-compare']"))
            .await?
            .click()
            .await?;
        eventually("a Compare to run again", async || {
            let run = c
                .find(Locator::Css("[data-testid='compare-run']"))
                .await
                .map_err(|e| format!("{e:?}"))?;
            if run
                .attr("disabled")
                .await
                .map_err(|e| format!("{e:?}"))?
                .is_some()
            {
                return Err("Compare is disabled".into());
            }
            run.click().await.map_err(|e| format!("{e:?}"))
        })
        .await?;
        for key in picked {
            eventually(&format!("{key} missing in prod again"), async || {
                c.find(Locator::Css(&row(key)))
                    .await
                    .map(drop)
                    .map_err(|e| format!("{e:?}"))
            })
            .await?;
        }
        Ok(())
    })
    .await
}
