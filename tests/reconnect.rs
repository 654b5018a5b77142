//! `envdeck reconnect` against a real OAuth flow: an OIDC server, a test app per
//! environment (its callback writes the integration row, tokens included, into that
//! environment's PostgreSQL database) and a headless browser as `ENVDECK_BROWSER`.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::util::oauth::{self, OAuthServer, TestApp};
use crate::util::pg::{Pg, cluster};
use crate::util::{Dir, Run};

/// dev and prod, each with its own database and its own test app; dev has a healthy
/// twitter connection for ana@example.com, prod has none.
struct World {
    pg: Pg,
    d: Dir,
    dev_db: String,
    prod_db: String,
    // Dropped after the apps, which use it.
    dev: TestApp,
    prod: TestApp,
    server: OAuthServer,
}

const FULL_SCOPES: &str = "tweet.read tweet.write users.read";

fn world() -> World {
    let pg = cluster();
    let dev_db = oauth::integrations_db(&pg, "rc_dev");
    let prod_db = oauth::integrations_db(&pg, "rc_prod");
    let server = OAuthServer::start();
    let dev = TestApp::start(&server.issuer, &pg.url_for(&dev_db), "app-dev");
    let prod = TestApp::start(&server.issuer, &pg.url_for(&prod_db), "app-prod");
    seed(&pg, &dev_db, "twitter", FULL_SCOPES);
    let d = Dir::new();
    d.write(
        "envdeck.toml",
        &oauth::reconnect_workspace(
            &dev.app_url,
            &pg.url_for(&dev_db),
            &prod.app_url,
            &pg.url_for(&prod_db),
        ),
    );
    World {
        pg,
        d,
        dev_db,
        prod_db,
        dev,
        prod,
        server,
    }
}

/// A healthy connection for ana, tokens included, as a product would hold it.
fn seed(pg: &Pg, db: &str, provider: &str, scopes: &str) {
    pg.exec(
        db,
        &format!(
            "INSERT INTO integrations (provider, account_email, status, access_token, refresh_token, scopes, expires_at, updated_at)
             VALUES ('{provider}', 'ana@example.com', 'connected', 'dev-access-{provider}', 'dev-refresh-{provider}', '{scopes}',
                     now() + interval '60 days', now() - interval '1 day')"
        ),
    );
}

impl World {
    /// `envdeck reconnect --env prod --json` with short waits, the harness browser, and
    /// `env` for it.
    fn reconnect(&self, args: &[&str], env: &[(&str, &str)]) -> Run {
        self.reconnect_with(&oauth::browser_command(), args, env)
    }

    fn reconnect_with(&self, browser: &str, args: &[&str], env: &[(&str, &str)]) -> Run {
        let mut all = vec!["reconnect", "--env", "prod", "--interval", "200ms"];
        all.extend_from_slice(args);
        let mut c = self
            .d
            .cmd(&all)
            .env("ENVDECK_BROWSER", browser)
            .env("BROWSER_LOG", self.d.join("browser.log"));
        for (k, v) in env {
            c = c.env(k, v);
        }
        c.run()
    }

    fn explain(&self, r: &Run) -> String {
        format!(
            "exit {}\nstdout:\n{}\nstderr:\n{}\nbrowser log:\n{}\ndev app:\n{}\nprod app:\n{}\nserver:\n{}",
            r.code,
            r.stdout,
            r.stderr,
            std::fs::read_to_string(self.d.join("browser.log")).unwrap_or_default(),
            self.dev.log(),
            self.prod.log(),
            self.server.log()
        )
    }

    fn prod_rows(&self) -> String {
        self.pg.query(
            &self.prod_db,
            "SELECT id || '|' || provider || '|' || account_email || '|' || status FROM integrations ORDER BY id",
        )
    }

    /// A shell script usable as ENVDECK_BROWSER: `body` gets the URL as $1.
    fn browser_script(&self, name: &str, body: &str) -> String {
        let p = self.d.write(name, &format!("#!/bin/sh\n{body}\n"));
        format!("sh {}", p.display())
    }
}

fn json_lines(r: &Run) -> Vec<serde_json::Value> {
    r.stdout
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
        .collect()
}

/// The seed-000 fix: the twitter connection missing in prod is made on prod's own page and
/// envdeck proves it landed in prod's database, with the time and the expiry; and no
/// statement envdeck sent selected a token column.
#[test]
fn a_missing_connection_lands_in_prod_and_envdeck_proves_it_without_reading_tokens() {
    let w = world();
    for db in [&w.dev_db, &w.prod_db] {
        w.pg.exec(
            "postgres",
            &format!("ALTER DATABASE {db} SET log_statement = 'all'"),
        );
    }
    let log_path = std::env::var("ENVDECK_TEST_PG_LOG").unwrap();
    let before = std::fs::metadata(&log_path).unwrap().len() as usize;

    let t = Instant::now();
    let r = w.reconnect(&["--timeout", "30s"], &[]);
    eprintln!("reconnect (insert) took {:?}", t.elapsed());
    assert_eq!(r.code, 0, "{}", w.explain(&r));
    let url = w.prod.connect_url("twitter");
    assert!(r.stdout.contains(&format!("open {url}")), "{}", r.stdout);
    let proof = r
        .stdout
        .lines()
        .find(|l| l.contains("twitter: landed in prod at "))
        .unwrap_or_else(|| panic!("no proof line\n{}", w.explain(&r)));
    assert!(
        proof.contains("connected, expires in ") && proof.contains("ana@example.com"),
        "{proof}"
    );
    // The localhost advice: twitter refuses localhost redirects, and prod runs on 127.0.0.1.
    assert!(
        r.stderr.contains("refuses localhost redirect URIs"),
        "{}",
        r.stderr
    );
    assert!(
        w.prod_rows()
            .ends_with("|twitter|ana@example.com|connected"),
        "{}",
        w.prod_rows()
    );

    let text = std::fs::read_to_string(&log_path).unwrap();
    let window = &text[before.min(text.len())..];
    assert!(
        window.contains(r#"FROM "integrations" WHERE CAST("provider" AS TEXT)"#),
        "envdeck's watch statements are not in the log: the check below would prove nothing"
    );
    // Every statement of envdeck's sessions (those that ran the watch), whatever it is,
    // and any SELECT at all: no token column.
    let pid = |l: &str| {
        l.split('[')
            .nth(1)
            .and_then(|r| r.split(']').next())
            .map(str::to_string)
    };
    let envdeck: std::collections::BTreeSet<String> = window
        .lines()
        .filter(|l| l.contains(r#"WHERE CAST("provider" AS TEXT)"#))
        .filter_map(pid)
        .collect();
    assert!(
        envdeck.len() >= 2,
        "one watch session per environment: {envdeck:?}"
    );
    let leaks: Vec<&str> = window
        .lines()
        .filter(|l| {
            pid(l).is_some_and(|p| envdeck.contains(&p))
                || l.to_ascii_uppercase().contains("SELECT")
        })
        .filter(|l| l.contains("access_token") || l.contains("refresh_token"))
        .collect();
    assert!(
        leaks.is_empty(),
        "token columns in envdeck's statements:\n{}",
        leaks.join("\n")
    );
}

/// An expired connection is updated in place by the app: the same row, now healthy, lands.
#[test]
fn an_expired_connection_updated_in_place_lands() {
    let w = world();
    w.pg.exec(
        &w.prod_db,
        "INSERT INTO integrations (provider, account_email, status, access_token, scopes, expires_at, updated_at)
         VALUES ('twitter', 'ana@example.com', 'expired', 'old', 'tweet.read tweet.write users.read',
                 now() - interval '1 day', now() - interval '40 days')",
    );
    let id = w.pg.query(&w.prod_db, "SELECT id FROM integrations");
    let r = w.reconnect(&["--json", "--timeout", "30s"], &[]);
    assert_eq!(r.code, 0, "{}", w.explain(&r));
    let j = json_lines(&r);
    assert_eq!(j.len(), 1, "{}", r.stdout);
    assert_eq!(j[0]["outcome"], "landed", "{}", j[0]);
    assert_eq!(j[0]["landed_in"], "prod");
    assert_eq!(j[0]["account"], "ana@example.com");
    assert!(
        j[0]["at"].as_str().is_some_and(|a| a.len() >= 20),
        "{}",
        j[0]
    );
    assert_eq!(j[0]["warnings"], serde_json::json!([]));
    assert_eq!(
        w.prod_rows(),
        format!("{id}|twitter|ana@example.com|connected")
    );
}

/// The browser completes the flow on dev's page instead of prod's: envdeck says it landed
/// in dev, names where the flow ran, and does not call it landed.
#[test]
fn a_connection_made_on_dev_instead_of_prod_is_caught_as_the_wrong_environment() {
    let w = world();
    let wrong = w.browser_script(
        "wrong-browser.sh",
        &format!(
            "exec {} \"{}\"",
            oauth::browser_command(),
            w.dev.connect_url("twitter")
        ),
    );
    let r = w.reconnect_with(&wrong, &["--json", "--timeout", "30s"], &[]);
    assert_eq!(r.code, 2, "{}", w.explain(&r));
    let j = &json_lines(&r)[0];
    assert_eq!(j["outcome"], "wrong_environment", "{j}");
    assert_eq!(j["landed_in"], "dev", "{j}");
    let msg = j["message"].as_str().unwrap();
    assert!(
        msg.contains("it landed in dev")
            && msg.contains(&format!("completed the flow on {}", w.dev.app_url))
            && msg.contains("open prod's URL"),
        "{msg}"
    );
    assert_eq!(w.prod_rows(), "");
}

/// Signing in as bob when ana was expected: it landed, as another account, which the CLI
/// (no one to ask) does not count as done.
#[test]
fn a_connection_as_another_account_is_an_account_mismatch() {
    let w = world();
    let r = w.reconnect(
        &["--json", "--timeout", "30s"],
        &[("BROWSER_LOGIN", "bob@example.com")],
    );
    assert_eq!(r.code, 2, "{}", w.explain(&r));
    let j = &json_lines(&r)[0];
    assert_eq!(j["outcome"], "account_mismatch", "{j}");
    assert_eq!(j["account"], "bob@example.com");
    assert_eq!(j["expected_account"], "ana@example.com");
    assert_eq!(j["landed_in"], "prod");
    assert!(
        j["message"]
            .as_str()
            .unwrap()
            .contains("not ana@example.com"),
        "{j}"
    );
}

/// prod's app asks for fewer scopes than dev's connection has: it lands, with a warning
/// naming the scopes prod lacks.
#[test]
fn fewer_scopes_than_the_reference_land_with_a_warning() {
    let w = world();
    w.prod.set_scopes("twitter", "tweet.read");
    let r = w.reconnect(&["--json", "--timeout", "30s"], &[]);
    assert_eq!(r.code, 0, "{}", w.explain(&r));
    let j = &json_lines(&r)[0];
    assert_eq!(j["outcome"], "landed", "{j}");
    let warnings = j["warnings"].to_string();
    assert!(
        warnings.contains("missing scopes: tweet.write, users.read granted in dev"),
        "{warnings}"
    );
}

/// Consent denied on the provider's page: nothing is written, and the step ends at its
/// timeout (the workspace's `[timeouts] reconnect`) saying what was not seen — never
/// "landed".
#[test]
fn denied_consent_times_out_with_a_clear_message() {
    let w = world();
    let toml = std::fs::read_to_string(w.d.join("envdeck.toml")).unwrap();
    assert!(!toml.contains("[timeouts]"));
    w.d.write("envdeck.toml", &(toml + "\n[timeouts]\nreconnect = 3\n"));
    let t = Instant::now();
    let r = w.reconnect(&["--json"], &[("BROWSER_CONSENT", "deny")]);
    let took = t.elapsed();
    assert_eq!(r.code, 2, "{}", w.explain(&r));
    assert!(w.prod.log().contains("access_denied"), "{}", w.explain(&r));
    let j = &json_lines(&r)[0];
    assert_eq!(j["outcome"], "timeout", "{j}");
    assert_eq!(j["landed_in"], serde_json::Value::Null);
    let msg = j["message"].as_str().unwrap();
    assert!(
        msg.contains("no new or updated twitter row for ana@example.com with a healthy status reached prod's database within 3 s"),
        "{msg}"
    );
    assert!(!msg.contains("landed in"), "{msg}");
    assert!(took < Duration::from_secs(15), "took {took:?}");
    assert_eq!(w.prod_rows(), "");
}

/// Ctrl-C while waiting on the second step: exit 130 and progress saved; the next run
/// resumes at that step, without reopening the one that already landed.
#[test]
fn a_cancelled_wizard_resumes_at_the_same_step() {
    let w = world();
    seed(&w.pg, &w.dev_db, "linkedin", "posts.read posts.write");
    // A browser that completes only linkedin's flow: twitter's step waits.
    let only_linkedin = w.browser_script(
        "linkedin-only.sh",
        &format!(
            "case \"$1\" in *linkedin*) exec {} \"$1\";; esac",
            oauth::browser_command()
        ),
    );
    let mut child = Command::new(env!("CARGO_BIN_EXE_envdeck"))
        .args([
            "reconnect",
            "--env",
            "prod",
            "--json",
            "--interval",
            "200ms",
            "--timeout",
            "60s",
        ])
        .current_dir(w.d.path())
        .env("ENVDECK_DATA_DIR", w.d.data_dir())
        .env("ENVDECK_BROWSER", &only_linkedin)
        .env("BROWSER_LOG", w.d.join("browser.log"))
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let collect = |pipe: Box<dyn std::io::Read + Send>| {
        let sink = Arc::new(Mutex::new(String::new()));
        let s = sink.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(pipe).lines().map_while(Result::ok) {
                s.lock().unwrap().push_str(&(line + "\n"));
            }
        });
        sink
    };
    let out = collect(Box::new(child.stdout.take().unwrap()));
    let err = collect(Box::new(child.stderr.take().unwrap()));
    let t = Instant::now();
    while !(out.lock().unwrap().contains("\"linkedin\"")
        && err.lock().unwrap().contains("[2/2] twitter"))
    {
        assert!(
            t.elapsed() < Duration::from_secs(30),
            "linkedin never landed / twitter never started\nstdout:\n{}\nstderr:\n{}",
            out.lock().unwrap(),
            err.lock().unwrap()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    std::thread::sleep(Duration::from_millis(600));
    assert!(
        Command::new("kill")
            .args(["-INT", &child.id().to_string()])
            .status()
            .unwrap()
            .success()
    );
    let t = Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        assert!(
            t.elapsed() < Duration::from_secs(5),
            "still running 5 s after Ctrl-C"
        );
        std::thread::sleep(Duration::from_millis(20));
    };
    std::thread::sleep(Duration::from_millis(100));
    let (stdout, stderr) = (out.lock().unwrap().clone(), err.lock().unwrap().clone());
    assert_eq!(status.code(), Some(130), "{stderr}");
    assert!(
        stderr.contains("progress saved: run the same command to resume at twitter"),
        "{stderr}"
    );
    let first: Vec<serde_json::Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(first.len(), 1, "{stdout}");
    assert_eq!(first[0]["outcome"], "landed");
    let linkedin_callbacks = w.prod.log().matches("callback linkedin").count();
    assert_eq!(linkedin_callbacks, 1);

    // envdeck starts again: the wizard continues at twitter.
    let r = w.reconnect(&["--json", "--timeout", "30s"], &[]);
    assert_eq!(r.code, 0, "{}", w.explain(&r));
    assert!(
        r.stderr
            .contains("resuming the reconnect wizard of prod at step 2 of 2 (twitter)"),
        "{}",
        r.stderr
    );
    let j = json_lines(&r);
    let got: Vec<(&str, &str)> = j
        .iter()
        .map(|l| {
            (
                l["provider"].as_str().unwrap(),
                l["outcome"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(got, vec![("linkedin", "landed"), ("twitter", "landed")]);
    assert_eq!(
        w.prod.log().matches("callback linkedin").count(),
        1,
        "linkedin was opened again"
    );
    assert!(!r.stderr.contains("[1/2] linkedin"), "{}", r.stderr);

    // The wizard ended: the next run starts from the databases, where nothing is missing.
    let again = w.reconnect(&["--json"], &[]);
    assert_eq!(again.code, 0, "{}", w.explain(&again));
    assert!(
        again.stderr.contains("nothing to reconnect in prod"),
        "{}",
        again.stderr
    );
}

/// `--no-open`: the URL is printed and nothing is opened; with nobody to open it, the step
/// times out saying what it did not see.
#[test]
fn no_open_prints_the_url_and_opens_nothing() {
    let w = world();
    let r = w.reconnect(&["--no-open", "--timeout", "1s"], &[]);
    assert_eq!(r.code, 2, "{}", w.explain(&r));
    assert!(
        r.stdout
            .contains(&format!("open {}", w.prod.connect_url("twitter"))),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout
            .contains("✗ twitter: timed out: no new or updated twitter row"),
        "{}",
        r.stdout
    );
    assert!(
        !w.prod.log().contains("connect twitter"),
        "{}",
        w.prod.log()
    );
    assert!(!w.d.join("browser.log").exists());
    assert!(
        r.stderr
            .contains("prod: landed none; skipped none; not landed twitter (timeout)"),
        "{}",
        r.stderr
    );
}

/// The window's path through the api: plan, watch (as another account), close and reopen
/// (the step is still there with its outcome), accept; skip; summaries and a fresh start.
#[test]
fn the_api_drives_a_wizard_step_by_step_and_keeps_its_state_across_restarts() {
    use envdeck::api::Context;
    use envdeck::api::reconnect::{self as wizard, StepStatus, WatchOptions};
    use envdeck::progress::{Cancel, NoProgress};
    use envdeck::reconnect::{OutcomeKind, Reason};

    let w = world();
    let ws = envdeck::workspace::load(&w.d.join("envdeck.toml")).unwrap();
    let opts = WatchOptions {
        timeout_ms: 30_000,
        interval_ms: 200,
        reference: Some("dev".into()),
    };
    let rt = crate::util::rt();
    rt.block_on(async {
        let ctx = Context::open(&w.d.data_dir()).await.unwrap();
        let plan = wizard::plan(&ctx, &ws, "prod", None, &[]).await.unwrap();
        assert_eq!(plan.reference.as_deref(), Some("dev"));
        assert!(!plan.resumed);
        assert_eq!(plan.current, Some(0));
        let step = &plan.steps[0];
        assert_eq!(
            (step.provider.as_str(), step.account.as_deref(), step.reason),
            ("twitter", Some("ana@example.com"), Reason::Missing)
        );
        let url = step.url.clone().unwrap();
        assert_eq!(url, w.prod.connect_url("twitter"));
        assert!(step.advice.as_deref().unwrap().contains("tunnel"));

        let browser = std::thread::spawn(move || {
            oauth::browse(&url, &[("BROWSER_LOGIN", "bob@example.com")])
        });
        let o = wizard::watch_step(
            &ctx,
            &ws,
            "prod",
            "twitter",
            Some("ana@example.com"),
            &opts,
            &NoProgress,
            &Cancel::new(),
        )
        .await
        .unwrap();
        browser.join().unwrap();
        assert_eq!(o.kind, OutcomeKind::AccountMismatch, "{o:?}");
        ctx.store.close().await;

        // envdeck restarts: the wizard resumes at that step, with what happened.
        let ctx = Context::open(&w.d.data_dir()).await.unwrap();
        let again = wizard::plan(&ctx, &ws, "prod", None, &[]).await.unwrap();
        assert!(again.resumed);
        assert_eq!(again.current, Some(0));
        assert_eq!(again.steps[0].status, StepStatus::Failed);
        assert_eq!(
            again.steps[0].outcome.as_ref().map(|o| o.kind),
            Some(OutcomeKind::AccountMismatch)
        );
        wizard::accept_step(&ctx, &ws, "prod", "twitter")
            .await
            .unwrap();
        let s = wizard::summary(&ctx, &ws, "prod").await.unwrap();
        assert_eq!(s.landed, vec!["twitter"]);
        assert_eq!(
            wizard::plan(&ctx, &ws, "prod", None, &[])
                .await
                .unwrap()
                .current,
            None
        );
        wizard::finish(&ctx, &ws, "prod").await.unwrap();

        // A provider added by hand, then skipped.
        let added = wizard::plan(&ctx, &ws, "prod", None, &["github".into()])
            .await
            .unwrap();
        assert_eq!(added.steps.len(), 1);
        assert_eq!(added.steps[0].reason, Reason::Asked);
        let skipped = wizard::skip_step(&ctx, &ws, "prod", "github")
            .await
            .unwrap();
        assert_eq!(skipped.kind, OutcomeKind::Skipped);
        let after = wizard::plan(&ctx, &ws, "prod", None, &[]).await.unwrap();
        assert!(after.resumed);
        assert_eq!(after.steps[0].status, StepStatus::Skipped);
        assert_eq!(after.current, None);
        let s = wizard::finish(&ctx, &ws, "prod").await.unwrap();
        assert_eq!(s.skipped, vec!["github"]);
        assert!(
            wizard::summary(&ctx, &ws, "prod")
                .await
                .unwrap()
                .skipped
                .is_empty()
        );
        ctx.store.close().await;
    });
}
