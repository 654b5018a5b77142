//! The reconnect wizard in the real window, against a real OAuth flow: a PostgreSQL
//! workspace whose prod is served by the test app (tests/util/oauth.rs), the harness
//! browser as `ENVDECK_BROWSER`. A click on the parity grid's RECONNECT chip for twitter in
//! prod, a wait closed and resumed, "Open in browser", and the window shows the proof that
//! it landed in prod.
#![cfg(all(target_os = "linux", feature = "gui"))]

use anyhow::{Result, ensure};
use fantoccini::{Client, Locator};

use crate::util;
use crate::util::oauth::{self, OAuthServer, TestApp};
use crate::util::window::{eventually, page_text, save_screenshot, with_window_env};

/// Finds and clicks `css`, again if the element was drawn anew in between (the grid and the
/// sheet re-render as data arrives; a busy machine makes that window wider).
async fn click(c: &Client, what: &str, css: &str) -> Result<()> {
    eventually(what, async || {
        let el = c
            .find(Locator::Css(css))
            .await
            .map_err(|e| format!("{e:?}"))?;
        el.click().await.map_err(|e| format!("{e:?}"))
    })
    .await?;
    Ok(())
}

async fn text(c: &Client, what: &str, css: &str, wanted: &str) -> Result<String> {
    eventually(what, async || {
        let el = c
            .find(Locator::Css(css))
            .await
            .map_err(|e| format!("{e:?}"))?;
        let t = el.text().await.map_err(|e| format!("{e:?}"))?;
        if t.contains(wanted) { Ok(t) } else { Err(t) }
    })
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_reconnect_chip_opens_the_wizard_and_the_window_sees_the_connection_land_in_prod()
-> Result<()> {
    let pg = util::pg::cluster();
    let dev_db = oauth::integrations_db(&pg, "wrc_dev");
    let prod_db = oauth::integrations_db(&pg, "wrc_prod");
    let server = OAuthServer::start();
    let prod = TestApp::start(&server.issuer, &pg.url_for(&prod_db), "app-prod");
    pg.exec(
        &dev_db,
        "INSERT INTO integrations (provider, account_email, status, access_token, refresh_token, scopes, expires_at, updated_at)
         VALUES ('twitter', 'ana@example.com', 'connected', 'dev-access', 'dev-refresh', 'tweet.read users.read',
                 now() + interval '60 days', now() - interval '1 day')",
    );
    let dir = util::Dir::new();
    // The window opens the demo's file when there is one: make that this workspace.
    let demo = dir.data_dir().join("demo");
    std::fs::create_dir_all(&demo)?;
    std::fs::write(
        demo.join("envdeck.toml"),
        oauth::reconnect_workspace(
            "http://127.0.0.1:9",
            &pg.url_for(&dev_db),
            &prod.app_url,
            &pg.url_for(&prod_db),
        ),
    )?;
    let browser = oauth::browser_command();
    let env = [
        ("ENVDECK_BROWSER", browser.as_str()),
        ("BROWSER_LOGIN", "ana@example.com"),
    ];
    let chip = "[data-testid='parity-cell'][data-provider='twitter'][data-env='prod'] [data-testid='reconnect-hint']";

    with_window_env(&dir, &env, async |c: &Client| {
        // The test's URLs carry the cluster's password: the banner says so, and is not
        // what this test looks at.
        click(c, "the warnings' dismiss", "[data-testid='warnings-banner'] .dismiss").await?;
        click(c, "the Compare entry", "[data-testid='nav-compare']").await?;
        click(c, "the parity tab", "[data-testid='tab-parity']").await?;
        click(c, "the RECONNECT chip of twitter in prod", chip).await?;
        let item = text(
            c,
            "the wizard's list for prod",
            "[data-testid='reconnect-sheet'][data-env='prod'] [data-testid='reconnect-item'][data-provider='twitter']",
            "ana@example.com",
        )
        .await?;
        ensure!(item.contains("missing"), "the list item: {item:?}");
        click(c, "Start", "[data-testid='reconnect-start']").await?;
        let url = eventually("the step's URL", async || {
            let el = c
                .find(Locator::Css("[data-testid='reconnect-url']"))
                .await
                .map_err(|e| format!("{e:?}"))?;
            el.prop("value")
                .await
                .map_err(|e| format!("{e:?}"))
                .map(Option::unwrap_or_default)
        })
        .await?;
        ensure!(
            url == prod.connect_url("twitter"),
            "the URL shown: {url:?}, prod's: {:?}",
            prod.connect_url("twitter")
        );
        // prod runs on 127.0.0.1: twitter's advice shows before opening.
        text(
            c,
            "the localhost advice",
            "[data-testid='reconnect-advice']",
            "refuses localhost",
        )
        .await?;
        // Poll fast: the default 2 s would only make this test slower.
        c.execute("window.__ENVDECK_TEST_RECONNECT_INTERVAL_MS__ = 200;", vec![])
            .await?;
        // Closed mid-wait, the wizard resumes at the same step when a chip opens it again.
        click(c, "I opened it: wait", "[data-testid='reconnect-wait']").await?;
        text(
            c,
            "the wait",
            "[data-testid='reconnect-waiting']",
            "Waiting for prod to receive the connection",
        )
        .await?;
        click(c, "the wizard's close", "[data-testid='reconnect-close']").await?;
        click(c, "the RECONNECT chip again", chip).await?;
        text(
            c,
            "the wizard resumed at twitter",
            "[data-testid='reconnect-resumed']",
            "step 1 of 1",
        )
        .await?;
        click(c, "Open in browser", "[data-testid='reconnect-open']").await?;
        let proof = text(
            c,
            "the proof that it landed in prod",
            "[data-testid='reconnect-outcome'][data-kind='landed']",
            "landed in prod at",
        )
        .await
        .map_err(|e| e.context(format!("browser/app log: {}", prod.log())))?;
        ensure!(
            proof.contains("connected") && proof.contains("expires in"),
            "the proof: {proof:?}"
        );
        // Let WebKit paint the proof before the picture (README's screenshot).
        tokio::time::sleep(std::time::Duration::from_millis(400)).await;
        save_screenshot(c, "window-reconnect-landed.png").await?;
        click(c, "See the summary", "[data-testid='reconnect-next']").await?;
        text(
            c,
            "the summary",
            "[data-testid='reconnect-summary-landed']",
            "Twitter",
        )
        .await?;
        click(c, "Done", "[data-testid='reconnect-finish']").await?;
        // The grid reads prod again: twitter is connected there now (the test app's token
        // is short-lived, so "expiring" counts too).
        eventually("twitter connected in prod on the grid", async || {
            let el = c
                .find(Locator::Css(
                    "[data-testid='parity-cell'][data-provider='twitter'][data-env='prod']",
                ))
                .await
                .map_err(|e| format!("{e:?}"))?;
            match el.attr("data-state").await.map_err(|e| format!("{e:?}"))? {
                Some(s) if s == "healthy" || s == "expiring" => Ok(()),
                other => Err(format!("state {other:?}")),
            }
        })
        .await
        .map_err(|e| e.context("the parity grid did not refresh after the wizard closed"))?;
        ensure!(
            c.find_all(Locator::Css("[data-testid='reconnect-sheet']"))
                .await?
                .is_empty(),
            "the wizard is still open: {}",
            page_text(c).await
        );
        Ok(())
    })
    .await?;
    let rows = pg.query(
        &prod_db,
        "SELECT provider || ' ' || account_email || ' ' || status FROM integrations",
    );
    ensure!(
        rows.trim() == "twitter ana@example.com connected",
        "prod's rows: {rows:?}"
    );
    Ok(())
}
