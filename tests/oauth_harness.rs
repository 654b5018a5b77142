//! The reconnect tests' real OAuth parts work together: the OIDC server, one environment's
//! test app writing into its own PostgreSQL database, and the headless browser run the way
//! envdeck runs `ENVDECK_BROWSER` (a shell command with the URL appended).

use std::process::Command;
use std::time::{Duration, Instant};

use crate::util::Dir;
use crate::util::oauth::{self, OAuthServer, TestApp};
use crate::util::pg::{Pg, cluster};

/// Runs `ENVDECK_BROWSER` on `url` as envdeck does, with `env`; it must return at once.
fn open(url: &str, log: &std::path::Path, env: &[(&str, &str)]) {
    let t = Instant::now();
    let out = Command::new("sh")
        .arg("-c")
        .arg(format!("{} \"$1\"", oauth::browser_command()))
        .arg("sh")
        .arg(url)
        .envs(env.iter().copied())
        .env("BROWSER_LOG", log)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        t.elapsed() < Duration::from_secs(2),
        "the browser blocked its caller for {:?}",
        t.elapsed()
    );
}

/// Polls `f` every 100 ms until it returns Some, for at most `limit`.
fn eventually<T>(limit: Duration, mut f: impl FnMut() -> Option<T>) -> Option<T> {
    let t = Instant::now();
    loop {
        if let Some(v) = f() {
            return Some(v);
        }
        if t.elapsed() > limit {
            return None;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// `id|status|scopes|updated_at epoch` of each row for (provider, account), ordered by id.
fn rows(pg: &Pg, db: &str, provider: &str, account: &str) -> Vec<String> {
    let out = pg.query(
        db,
        &format!(
            "SELECT id || '|' || status || '|' || scopes || '|' || extract(epoch from updated_at)
               FROM integrations WHERE provider = '{provider}' AND account_email = '{account}'
              ORDER BY id"
        ),
    );
    out.lines().map(str::to_string).collect()
}

fn updated_at(row: &str) -> f64 {
    row.rsplit('|').next().unwrap().parse().unwrap()
}

fn explain(server: &OAuthServer, app: &TestApp, log: &std::path::Path) -> String {
    format!(
        "browser log:\n{}\napp log:\n{}\nserver log:\n{}",
        std::fs::read_to_string(log).unwrap_or_default(),
        app.log(),
        server.log()
    )
}

/// Connect lands (insert), lands again (update in place), consent denied writes nothing,
/// fewer scopes shrink the row's scopes, another login gets its own row.
#[test]
fn the_browser_connects_through_the_oauth_server_and_the_app_writes_the_row() {
    let pg = cluster();
    let db = oauth::integrations_db(&pg, "oauth_prod");
    let d = Dir::new();
    let log = d.join("browser.log");

    let t = Instant::now();
    let server = OAuthServer::start();
    let server_start = t.elapsed();
    let app = TestApp::start(&server.issuer, &pg.url_for(&db), "app-prod");
    let url = app.connect_url("twitter");
    let why = || explain(&server, &app, &log);

    // 1. Lands: a new row, connected, with the provider's scopes and real tokens.
    let t = Instant::now();
    open(&url, &log, &[]);
    let first = eventually(Duration::from_secs(10), || {
        rows(&pg, &db, "twitter", "ana@example.com").pop()
    })
    .unwrap_or_else(|| panic!("no row for ana after 10 s\n{}", why()));
    let one_flow = t.elapsed();
    eprintln!("oauth harness: server ready in {server_start:?}, one flow landed in {one_flow:?}");
    assert!(first.contains("|connected|"), "{first}");
    assert!(first.contains("tweet.read"), "{first}");
    assert_eq!(
        pg.query(
            &db,
            "SELECT length(access_token) > 20, length(refresh_token) > 20, expires_at > now()
               FROM integrations"
        ),
        "t|t|t"
    );

    // 2. Again: the same row, updated in place.
    open(&url, &log, &[]);
    let second = eventually(Duration::from_secs(10), || {
        let r = rows(&pg, &db, "twitter", "ana@example.com");
        (r.len() == 1 && updated_at(&r[0]) > updated_at(&first)).then(|| r[0].clone())
    })
    .unwrap_or_else(|| panic!("ana's row was not updated in place\n{}", why()));
    assert_eq!(first.split('|').next(), second.split('|').next());
    assert_eq!(pg.query(&db, "SELECT count(*) FROM integrations"), "1");

    // 3. Consent denied: the flow ends at the callback with access_denied, nothing written.
    open(&url, &log, &[("BROWSER_CONSENT", "deny")]);
    eventually(Duration::from_secs(10), || {
        app.log().contains("access_denied").then_some(())
    })
    .unwrap_or_else(|| panic!("the denied flow never reached the callback\n{}", why()));
    std::thread::sleep(Duration::from_secs(3));
    assert_eq!(
        rows(&pg, &db, "twitter", "ana@example.com"),
        vec![second.clone()]
    );
    assert_eq!(pg.query(&db, "SELECT count(*) FROM integrations"), "1");

    // 4. Fewer scopes asked, fewer granted: the row's scopes shrink.
    app.set_scopes("twitter", "tweet.read");
    open(&url, &log, &[]);
    let fewer = eventually(Duration::from_secs(10), || {
        let r = rows(&pg, &db, "twitter", "ana@example.com");
        (r.len() == 1 && updated_at(&r[0]) > updated_at(&second)).then(|| r[0].clone())
    })
    .unwrap_or_else(|| panic!("ana's row was not updated\n{}", why()));
    assert!(fewer.contains("|connected|tweet.read|"), "{fewer}");

    // 5. Another login: its own row.
    open(&url, &log, &[("BROWSER_LOGIN", "bob@example.com")]);
    eventually(Duration::from_secs(10), || {
        rows(&pg, &db, "twitter", "bob@example.com").pop()
    })
    .unwrap_or_else(|| panic!("no row for bob\n{}", why()));
    assert_eq!(pg.query(&db, "SELECT count(*) FROM integrations"), "2");
}

/// The browser waits BROWSER_DELAY_MS before starting (a test can see "waiting"), and in
/// the foreground reports where the flow ended; two environments' apps share one server.
#[test]
fn the_browser_waits_when_asked_and_each_app_writes_into_its_own_database() {
    let pg = cluster();
    let dev_db = oauth::integrations_db(&pg, "oauth_dev");
    let prod_db = oauth::integrations_db(&pg, "oauth_prod");
    let d = Dir::new();
    let log = d.join("browser.log");
    let server = OAuthServer::start();
    let dev = TestApp::start(&server.issuer, &pg.url_for(&dev_db), "app-dev");
    let prod = TestApp::start(&server.issuer, &pg.url_for(&prod_db), "app-prod");

    let t = Instant::now();
    open(
        &dev.connect_url("twitter"),
        &log,
        &[("BROWSER_DELAY_MS", "1500")],
    );
    std::thread::sleep(Duration::from_millis(700));
    assert_eq!(pg.query(&dev_db, "SELECT count(*) FROM integrations"), "0");
    eventually(Duration::from_secs(10), || {
        rows(&pg, &dev_db, "twitter", "ana@example.com").pop()
    })
    .unwrap_or_else(|| panic!("no row in dev\n{}", explain(&server, &dev, &log)));
    assert!(t.elapsed() >= Duration::from_millis(1500));
    // It landed in dev only.
    assert_eq!(pg.query(&prod_db, "SELECT count(*) FROM integrations"), "0");

    let done = oauth::browse(&prod.connect_url("twitter"), &[]);
    assert_eq!(
        (done.status, done.body.as_str()),
        (200, "connected"),
        "{}",
        done.log
    );
    assert!(done.url.starts_with(&prod.app_url), "{}", done.url);
    assert_eq!(pg.query(&prod_db, "SELECT count(*) FROM integrations"), "1");

    let denied = oauth::browse(&prod.connect_url("github"), &[("BROWSER_CONSENT", "deny")]);
    assert_eq!(denied.status, 400, "{}", denied.log);
    assert!(denied.body.contains("access_denied"), "{}", denied.body);
    assert_eq!(pg.query(&prod_db, "SELECT count(*) FROM integrations"), "1");
}
