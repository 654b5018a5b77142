//! The real window's layout at 900×560, 1024×700, 1240×800, 1440×900 and 2560×1440, on the
//! demo and on an eight-environment workspace with 40-character names, light and dark:
//! no grid cell, reconnect panel, findings Detail or Key cell, area card, status stat or
//! drawer hides text by overflowing its box, the dashboard uses the window's width, the
//! parity grid scrolls sideways to its last column with the provider column in view, row
//! drawers open by click and close on Escape, and Ctrl+K's palette reaches Settings. Every
//! page is saved as a screenshot under `$CARGO_TARGET_TMPDIR/window-shots/`
//! (`target/tmp/window-shots/`, e.g. `eight-1440x900-light-parity.png`).
#![cfg(all(target_os = "linux", feature = "gui"))]

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, anyhow, ensure};
use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::key::Key;
use fantoccini::{Client, Locator};
use serde_json::{Value, json};

use crate::util;
use crate::util::window::{eventually, page_text, with_window};

const SIZES: [(u32, u32); 5] = [
    (900, 560),
    (1024, 700),
    (1240, 800),
    (1440, 900),
    (2560, 1440),
];

/// Eight environments, at least two of each kind, every name 40 characters long.
const EIGHT: [(&str, &str, &str); 8] = [
    (
        "customer-success-sandbox-eu-west-1-alpha",
        "development",
        "dev",
    ),
    (
        "growth-experiments-preview-us-east-2-bot",
        "development",
        "dev",
    ),
    ("release-candidate-staging-eu-central-1-a", "staging", "dev"),
    (
        "partner-integrations-staging-ap-south-1x",
        "staging",
        "prod",
    ),
    (
        "production-primary-cluster-eu-west-1-big",
        "production",
        "prod",
    ),
    (
        "production-disaster-recovery-us-west-2-z",
        "production",
        "prod",
    ),
    (
        "integration-tests-ephemeral-eu-north-1-q",
        "development",
        "dev",
    ),
    ("load-testing-staging-replica-sa-east-1-k", "staging", "dev"),
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_lays_out_at_every_size() -> Result<()> {
    let dir = util::Dir::new();
    with_window(&dir, async |c: &Client| walk(c, "demo", 2, false).await).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn eight_environments_with_long_names_lay_out_at_every_size() -> Result<()> {
    let dir = util::Dir::new();
    eight_environment_workspace(&dir)?;
    with_window(&dir, async |c: &Client| walk(c, "eight", 8, true).await).await
}

/// The demo's databases and env files, under eight long names: the window opens the
/// workspace in `<data dir>/demo` when there is one.
fn eight_environment_workspace(dir: &util::Dir) -> Result<()> {
    let demo = dir.demo();
    let demo = demo.parent().context("the demo's folder")?;
    let target = dir.data_dir().join("demo");
    std::fs::create_dir_all(&target)?;
    let text = std::fs::read_to_string(demo.join("envdeck.toml"))?;
    // Everything after the environments (integrations, workflows, tables) stays as it is.
    let rest = &text[text
        .find("[integrations]")
        .context("the demo's [integrations]")?..];
    let mut toml = String::from("name = \"acme-at-scale\"\n");
    for (name, kind, from) in EIGHT {
        assert_eq!(name.len(), 40, "{name} is not 40 characters");
        let db = format!("{name}.db");
        std::fs::copy(demo.join(format!("{from}.db")), target.join(&db))?;
        let env_file = if from == "dev" {
            ".env.local"
        } else {
            ".env.production"
        };
        std::fs::copy(demo.join(env_file), target.join(format!(".env.{name}")))?;
        toml += &format!(
            "\n[environments.{name}]\nkind = \"{kind}\"\napp_url = \"https://{name}.acme.test\"\n\
             database = {{ url = \"sqlite://{db}\" }}\nenv_file = \".env.{name}\"\n"
        );
    }
    toml += "\n";
    toml += rest;
    std::fs::write(target.join("envdeck.toml"), toml)?;
    Ok(())
}

/// Each size: the first environment's dashboard and a row's drawer, Compare's differences
/// and a finding's drawer, and the parity grid; at the smallest size also the command
/// palette. `dark`: the theme setting is switched to dark first, through a reload (the
/// theme applies before the first paint); from there the theme alternates size by size, so
/// both workspaces are seen light and dark.
async fn walk(c: &Client, label: &str, envs: usize, dark: bool) -> Result<()> {
    wait_for(c, "body[data-ready='true']").await?;
    if dark {
        script(
            c,
            "localStorage.setItem('envdeck.theme', 'dark'); location.reload(); return null",
        )
        .await?;
        wait_for(c, "html[data-theme='dark'] body[data-ready='true']").await?;
    }
    let items = c.find_all(Locator::Css("[data-testid='env-item']")).await?;
    ensure!(
        items.len() == envs,
        "{label}: {} environments in the sidebar, expected {envs}",
        items.len()
    );
    let first = items[0]
        .attr("data-env")
        .await?
        .context("the first environment's name")?;

    for (i, (w, h)) in SIZES.into_iter().enumerate() {
        let theme = if dark == (i % 2 == 0) {
            "dark"
        } else {
            "light"
        };
        script(
            c,
            &format!(
                "localStorage.setItem('envdeck.theme', '{theme}');\
                 document.documentElement.dataset.theme = '{theme}'; return null"
            ),
        )
        .await?;
        resize(c, w, h).await?;
        let at = format!("{label} at {w}×{h} ({theme})");
        let shot = |page: &str| format!("{label}-{w}x{h}-{theme}-{page}.png");

        // The dashboard of the first environment, with its status strip and tables.
        go(c, &format!("#env/{first}")).await?;
        script(
            c,
            "document.querySelector('main').scrollTop = 0; return null",
        )
        .await?;
        eventually("the status strip to show the database", async || {
            let s = attr_of(c, "[data-testid='env-status']", "data-reachable").await?;
            if s == "true" { Ok(()) } else { Err(s) }
        })
        .await?;
        wait_for(c, "[data-testid='integration-row']").await?;
        no_overflow(
            c,
            &at,
            &[
                "[data-testid='env-status'] .stat",
                "[data-testid='env-status'] .value",
                "[data-testid='integration-row'] td:first-child",
                "[data-testid='integration-row'] td:nth-child(3)",
            ],
        )
        .await?;
        // Wide windows are used: the page spans the main area, no fixed 1120 px column.
        let widths = script(
            c,
            "const m = document.querySelector('main');\
             const kids = [...m.children].filter(e => e.offsetWidth > 0);\
             return [m.clientWidth, Math.max(...kids.map(k => k.getBoundingClientRect().width))]",
        )
        .await?;
        let (main, content) = (
            widths[0].as_f64().unwrap_or(0.0),
            widths[1].as_f64().unwrap_or(0.0),
        );
        // (At most a readable cap: at 2560 px the page may stop growing past 1600 px.)
        ensure!(
            content >= (main - 96.0).min(1600.0),
            "{at}: the dashboard is {content:.0} px wide in a {main:.0} px main area"
        );
        save(c, &shot("env")).await?;

        // A row opens its drawer, which fits the window; Escape closes it.
        open(
            c,
            "[data-testid='integration-row'] td:first-child",
            "[data-testid='integration-drawer']",
        )
        .await?;
        wait_for(c, "[data-testid='integration-fields'] dd").await?;
        no_overflow(
            c,
            &at,
            &[
                "[data-testid='integration-drawer']",
                "[data-testid='integration-fields'] dd",
            ],
        )
        .await?;
        save(c, &shot("env-drawer")).await?;
        press(c, Key::Escape.into(), false).await?;
        gone(c, "[data-testid='integration-drawer']").await?;
        // A workflow's drawer: its last runs, read from the runs table the demo maps.
        open(
            c,
            "[data-testid='workflow-row'] td:first-child",
            "[data-testid='workflow-drawer']",
        )
        .await?;
        wait_for(c, "[data-testid='workflow-run']").await?;
        no_overflow(
            c,
            &at,
            &[
                "[data-testid='workflow-drawer']",
                "[data-testid='workflow-stats']",
            ],
        )
        .await?;
        save(c, &shot("workflow-drawer")).await?;
        press(c, Key::Escape.into(), false).await?;
        gone(c, "[data-testid='workflow-drawer']").await?;

        // Compare: every area done, then the cards and the findings table.
        go(c, "#compare").await?;
        wait_for(c, "[data-testid='tab-differences']").await?;
        c.find(Locator::Css("[data-testid='tab-differences']"))
            .await?
            .click()
            .await?;
        eventually("every area to be compared", async || {
            let states: Vec<String> = script(
                c,
                "return [...document.querySelectorAll(\"[data-testid='area-card']\")]\
                 .map(e => e.dataset.state)",
            )
            .await
            .map_err(|e| e.to_string())
            .and_then(|v| serde_json::from_value(v).map_err(|e| e.to_string()))?;
            if states.len() == 8 && !states.iter().any(|s| s == "loading") {
                Ok(())
            } else {
                Err(format!("{states:?}"))
            }
        })
        .await?;
        wait_for(c, "[data-testid='finding-row']").await?;
        no_overflow(
            c,
            &at,
            &[
                "[data-testid='area-card']",
                "[data-testid='area-card'] .blurb",
                "[data-testid='finding-detail']",
                "[data-testid='finding-key']",
                "[data-testid='finding-row'] td.c-what",
                "[data-testid='finding-row'] td.c-open",
                "[data-testid='compare-page'] .toolbar",
            ],
        )
        .await?;
        // The findings toolbar stays on at most two rows.
        let rows = script(
            c,
            "const t = document.querySelector('.findings .toolbar');\
             const boxes = [...t.children].filter(e => e.offsetWidth > 0)\
               .map(e => e.getBoundingClientRect()).sort((a, b) => a.top - b.top);\
             let rows = 0, bottom = -Infinity;\
             for (const b of boxes) { if (b.top >= bottom - 2) { rows++; bottom = b.bottom; }\
               else bottom = Math.max(bottom, b.bottom); }\
             return rows",
        )
        .await?;
        ensure!(
            rows.as_u64().unwrap_or(99) <= 2,
            "{at}: the findings toolbar wraps into {rows} rows"
        );
        // The Detail column gets the room: never narrower than the Key column.
        let widths = script(
            c,
            "const d = document.querySelector(\"[data-testid='finding-detail']\");\
             const k = document.querySelector(\"[data-testid='finding-key']\");\
             return [d.getBoundingClientRect().width, k.getBoundingClientRect().width]",
        )
        .await?;
        let (detail, key) = (
            widths[0].as_f64().unwrap_or(0.0),
            widths[1].as_f64().unwrap_or(0.0),
        );
        ensure!(
            detail >= key && detail >= 150.0,
            "{at}: the Detail column is {detail:.0} px, the Key column {key:.0} px"
        );
        save(c, &shot("compare")).await?;
        script(
            c,
            "document.querySelector('.findings').scrollIntoView(); return null",
        )
        .await?;
        save(c, &shot("findings")).await?;
        open(
            c,
            "[data-testid='finding-row'] td.c-what",
            "[data-testid='finding-drawer']",
        )
        .await?;
        wait_for(c, "[data-testid='drawer-fix']").await?;
        no_overflow(
            c,
            &at,
            &[
                "[data-testid='finding-drawer']",
                "[data-testid='drawer-detail']",
            ],
        )
        .await?;
        save(c, &shot("finding-drawer")).await?;
        press(c, Key::Escape.into(), false).await?;
        gone(c, "[data-testid='finding-drawer']").await?;

        // Integration parity: the grid and the reconnect list.
        go(c, "#compare/parity").await?;
        wait_for(c, "[data-testid='parity-row']").await?;
        no_overflow(
            c,
            &at,
            &[
                "[data-testid='parity-cell']",
                "[data-testid='parity-grid'] th",
                "[data-testid='reconnect-list']",
                "[data-testid='reconnect-list'] li",
                "[data-testid='reconnect-list'] li > span",
            ],
        )
        .await?;
        parity_scrolls_to_its_last_column(c, &at, envs).await?;
        save(c, &shot("parity")).await?;

        // Settings: the environments table with its database sources and actions.
        go(c, "#settings").await?;
        wait_for(c, "[data-testid='settings-env']").await?;
        no_overflow(
            c,
            &at,
            &[
                "[data-testid='settings-page']",
                "[data-testid='settings-page'] .table-card",
                "[data-testid='settings-env'] td",
            ],
        )
        .await?;
        save(c, &shot("settings")).await?;

        if (w, h) == SIZES[0] {
            // Ctrl+K, a few letters and Enter go to Settings, with the real keyboard path.
            press(c, 'k', true).await?;
            wait_for(c, "[data-testid='palette-input']").await?;
            c.find(Locator::Css("[data-testid='palette-input']"))
                .await?
                .send_keys("settings")
                .await?;
            save(c, &shot("palette")).await?;
            press(c, Key::Enter.into(), false).await?;
            eventually("the palette to open Settings", async || {
                let hash = script(c, "return location.hash")
                    .await
                    .map_err(|e| e.to_string())?;
                if hash == json!("#settings") {
                    Ok(())
                } else {
                    Err(hash.to_string())
                }
            })
            .await?;
            gone(c, "[data-testid='palette']").await?;
        }
    }
    Ok(())
}

/// Clicks the first element matching `css` until `opened` appears: a table that is still
/// redrawing replaces its rows, and a click on a row just replaced does nothing. Clicks
/// again about once a second, never while `opened` is there.
async fn open(c: &Client, css: &str, opened: &str) -> Result<()> {
    let mut polls = 0;
    eventually(&format!("a click on {css} to open {opened}"), async || {
        if c.find(Locator::Css(opened)).await.is_ok() {
            return Ok(());
        }
        if polls % 10 == 0 {
            let el = c
                .find(Locator::Css(css))
                .await
                .map_err(|e| format!("{e:?}"))?;
            el.click().await.map_err(|e| format!("{e:?}"))?;
        }
        polls += 1;
        Err(format!("{opened} is not open yet"))
    })
    .await
}

/// Presses `key` on the keyboard (WebDriver actions: real key events), with Ctrl if asked.
async fn press(c: &Client, key: char, ctrl: bool) -> Result<()> {
    let control: char = Key::Control.into();
    let mut keys = KeyActions::new("keyboard".to_string());
    if ctrl {
        keys = keys.then(KeyAction::Down { value: control });
    }
    keys = keys
        .then(KeyAction::Down { value: key })
        .then(KeyAction::Up { value: key });
    if ctrl {
        keys = keys.then(KeyAction::Up { value: control });
    }
    c.perform_actions(keys).await?;
    c.release_actions().await?;
    Ok(())
}

async fn gone(c: &Client, css: &str) -> Result<()> {
    eventually(&format!("{css} to close"), async || {
        match c.find(Locator::Css(css)).await {
            Ok(_) => Err(format!("{css} is still open")),
            Err(_) => Ok(()),
        }
    })
    .await
}

/// The window's viewport to `w`×`h`. Without a window manager (Xvfb) the window rect is
/// the viewport; the page may take a few frames to follow, and a request made while GTK
/// is still busy with the last one can be lost, so it is repeated until the page agrees.
async fn resize(c: &Client, w: u32, h: u32) -> Result<()> {
    let mut asked = 0;
    eventually(&format!("the page to be {w}×{h}"), async || {
        let v = script(c, "return [window.innerWidth, window.innerHeight]")
            .await
            .map_err(|e| e.to_string())?;
        if v == json!([w, h]) {
            return Ok(());
        }
        // Ask again every second or so (polls are 100 ms apart).
        if asked % 10 == 0 {
            c.set_window_size(w, h).await.map_err(|e| e.to_string())?;
        }
        asked += 1;
        Err(v.to_string())
    })
    .await
}

async fn go(c: &Client, hash: &str) -> Result<()> {
    script(c, &format!("location.hash = {}; return null", json!(hash))).await?;
    Ok(())
}

async fn wait_for(c: &Client, css: &str) -> Result<()> {
    eventually(css, async || match c.find(Locator::Css(css)).await {
        Ok(_) => Ok(()),
        Err(_) => Err(page_text(c).await),
    })
    .await?;
    Ok(())
}

async fn attr_of(c: &Client, css: &str, name: &str) -> Result<String, String> {
    let el = c.find(Locator::Css(css)).await.map_err(|e| e.to_string())?;
    Ok(el
        .attr(name)
        .await
        .map_err(|e| e.to_string())?
        .unwrap_or_default())
}

async fn script(c: &Client, js: &str) -> Result<Value> {
    c.execute(js, vec![])
        .await
        .map_err(|e| anyhow!("script failed: {e}\n{js}"))
}

/// Every element matching each selector shows all of its content: its scrollWidth is at
/// most its clientWidth (1 px of rounding allowed). At least one must match each selector.
async fn no_overflow(c: &Client, at: &str, selectors: &[&str]) -> Result<()> {
    let found = script(
        c,
        &format!(
            "const out = {{}};\
             for (const sel of {}) {{\
               const els = [...document.querySelectorAll(sel)].filter(e => e.getClientRects().length > 0);\
               out[sel] = {{ n: els.length, over: els.filter(e => e.scrollWidth > e.clientWidth + 1)\
                 .slice(0, 5).map(e => `${{e.scrollWidth}}>${{e.clientWidth}}: ${{e.textContent.trim().slice(0, 60)}}`) }};\
             }}\
             return out",
            json!(selectors)
        ),
    )
    .await?;
    for sel in selectors {
        let r = &found[*sel];
        ensure!(
            r["n"].as_u64().unwrap_or(0) > 0,
            "{at}: nothing matches {sel}"
        );
        let over = r["over"].as_array().cloned().unwrap_or_default();
        ensure!(
            over.is_empty(),
            "{at}: {sel} overflows its box (scrollWidth > clientWidth): {over:?}"
        );
    }
    Ok(())
}

/// The grid either fits, or scrolls sideways so that its last column comes fully into view
/// with the provider column still at the left edge, under a header row that stays on top.
async fn parity_scrolls_to_its_last_column(c: &Client, at: &str, envs: usize) -> Result<()> {
    let v = script(
        c,
        "const s = document.querySelector(\"[data-testid='parity-scroller']\");\
         s.scrollLeft = s.scrollWidth; s.scrollTop = s.scrollHeight;\
         const box = s.getBoundingClientRect();\
         const heads = [...s.querySelectorAll('th.env-col')];\
         const last = heads[heads.length - 1].getBoundingClientRect();\
         const provider = s.querySelector('tbody tr:last-child td.provider-col').getBoundingClientRect();\
         const head = s.querySelector('thead th').getBoundingClientRect();\
         const r = { columns: heads.length, scrolls: s.scrollWidth > s.clientWidth,\
           bar: s.offsetHeight - s.clientHeight,\
           lastRight: last.right, boxRight: box.left + s.clientWidth, providerLeft: provider.left,\
           boxLeft: box.left, headTop: head.top, boxTop: box.top };\
         s.scrollLeft = 0; s.scrollTop = 0;\
         return r",
    )
    .await?;
    let num = |k: &str| v[k].as_f64().unwrap_or(f64::NAN);
    ensure!(
        v["columns"].as_u64() == Some(envs as u64),
        "{at}: the parity grid has {} environment columns, expected {envs}",
        v["columns"]
    );
    ensure!(
        num("lastRight") <= num("boxRight") + 1.0,
        "{at}: the last environment column is clipped even when scrolled to the end: {v}"
    );
    ensure!(
        (num("providerLeft") - num("boxLeft")).abs() <= 1.0,
        "{at}: the provider column scrolled out of view: {v}"
    );
    ensure!(
        (num("headTop") - num("boxTop")).abs() <= 1.0,
        "{at}: the header row scrolled out of view: {v}"
    );
    if v["scrolls"] == json!(true) {
        ensure!(
            num("bar") > 0.0,
            "{at}: the grid scrolls sideways without a visible scroll bar: {v}"
        );
    }
    Ok(())
}

async fn save(c: &Client, name: &str) -> Result<PathBuf> {
    // Two frames painted after the last change, so the shot is not a half-drawn resize.
    c.execute_async(
        "const done = arguments[arguments.length - 1];\
         requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(done, 150)))",
        vec![],
    )
    .await
    .context("waiting for a painted frame")?;
    let png = c.screenshot().await.context("screenshot")?;
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("window-shots");
    std::fs::create_dir_all(&dir)?;
    let path = dir.join(name);
    std::fs::write(&path, png)?;
    eprintln!("window_layout: saved {}", path.display());
    Ok(path)
}
