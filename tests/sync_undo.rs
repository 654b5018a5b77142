//! `envdeck sync undo`: deletes exactly the rows a sync inserted that are still unchanged and
//! not referenced from outside it, with its own preview, fingerprint and typed confirmation;
//! the only DELETE envdeck sends; a second undo is a no-op; the optional log table in the
//! target; and a session killed before COMMIT leaves the target untouched, 20 times.

use crate::sync_apply::{TABLES, apply, confirmed_apply, log, notes, pg_env, plan_file};
use crate::util::pg::{Pg, cluster, workspace};
use crate::util::{Dir, Run, planted, sqlite_exec, sqlite_query};

/// md5 of every row of the synced tables, in order: equal means untouched.
fn checksum(pg: &Pg, db: &str) -> String {
    ["customers", "customer_notes"]
        .iter()
        .map(|t| {
            pg.query(
                db,
                &format!(
                    "SELECT md5(coalesce(string_agg(CAST(t AS TEXT), '|' ORDER BY CAST(t AS TEXT)), '')) FROM {t} t"
                ),
            )
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn undo(d: &Dir, id: &str, extra: &[&str]) -> Run {
    let mut a = vec!["sync", "undo", id, "--json"];
    a.extend_from_slice(extra);
    d.cmd(&a).run()
}

/// Applies every missing note (with its parent customer); the sync id.
fn applied(d: &Dir) -> String {
    let fp = plan_file(d);
    let o = apply(d, &["--confirm", "prod", "--fingerprint", &fp]);
    assert_eq!(o.code, 0, "{}{}", o.stdout, o.stderr);
    o.json()["sync_id"].as_str().unwrap().to_string()
}

/// The undo's fingerprint, from its dry run (which deletes nothing).
fn preview(d: &Dir, id: &str) -> serde_json::Value {
    let o = undo(d, id, &["--dry-run"]);
    assert_eq!(o.code, 0, "{}{}", o.stdout, o.stderr);
    o.json()
}

/// After an apply, the undo puts the target back exactly (same checksum) and writes one
/// row per apply and undo into the configured log table. Without a confirmation, or with
/// the wrong environment or fingerprint, nothing is deleted (exit 4). The statement log
/// shows DELETEs only from the undo's session, one per table naming journaled rows only,
/// and that session sends no other write but the log row. A second undo is a no-op (exit
/// 0) that says so; `sync log` shows the undo.
#[test]
fn undo_deletes_exactly_the_rows_the_sync_inserted_on_postgres() {
    let pg = cluster();
    let (d, _dev, prod) = pg_env(&pg, &planted("tok_"));
    pg.exec(
        &prod,
        "CREATE TABLE envdeck_sync_log (id bigserial PRIMARY KEY, sync_id text, kind text,
           created_at timestamptz, fingerprint text, rows integer, detail jsonb)",
    );
    let toml = std::fs::read_to_string(d.join("envdeck.toml")).unwrap();
    d.write(
        "envdeck.toml",
        &(toml + "\n[sync]\nlog_table = \"envdeck_sync_log\"\n"),
    );
    pg.exec(
        "postgres",
        &format!("ALTER DATABASE {prod} SET log_statement = 'all'"),
    );
    let before = checksum(&pg, &prod);
    let id = applied(&d);
    assert_ne!(checksum(&pg, &prod), before);
    assert_eq!(
        pg.query(&prod, "SELECT sync_id || ' ' || kind || ' ' || rows || ' ' || (detail->>'to') FROM envdeck_sync_log"),
        format!("{id} apply 3 prod")
    );

    let p = preview(&d, &id);
    let plan = &p["plan"];
    assert_eq!(plan["delete"].as_array().unwrap().len(), 3, "{p}");
    assert_eq!(plan["kept"].as_array().unwrap().len(), 0, "{p}");
    // Children before parents.
    assert_eq!(plan["delete"][0]["table"], "customer_notes", "{p}");
    assert_eq!(plan["delete"][2]["table"], "customers", "{p}");
    assert!(
        plan["sql"][0]
            .as_str()
            .unwrap()
            .starts_with("DELETE FROM \"customer_notes\" WHERE (\"id\" = "),
        "{p}"
    );
    let fp = plan["fingerprint"].as_str().unwrap().to_string();
    assert_eq!(fp.len(), 8);

    let none = undo(&d, &id, &[]);
    assert_eq!(none.code, 4, "{}{}", none.stdout, none.stderr);
    assert!(none.stderr.contains("--confirm prod"), "{}", none.stderr);
    let wrong_env = undo(&d, &id, &["--confirm", "staging", "--fingerprint", &fp]);
    assert_eq!(
        wrong_env.code, 4,
        "{}{}",
        wrong_env.stdout, wrong_env.stderr
    );
    assert_eq!(wrong_env.json()["outcome"], "refused");
    let wrong_fp = undo(&d, &id, &["--confirm", "prod", "--fingerprint", "00000000"]);
    assert_eq!(wrong_fp.code, 4, "{}{}", wrong_fp.stdout, wrong_fp.stderr);
    assert!(
        wrong_fp.stderr.contains("changed since the undo's preview"),
        "{}",
        wrong_fp.stderr
    );
    assert_ne!(checksum(&pg, &prod), before, "a refused undo deleted rows");

    let log_path = std::env::var("ENVDECK_TEST_PG_LOG").unwrap();
    let start = std::fs::metadata(&log_path).unwrap().len() as usize;
    let ok = undo(&d, &id, &["--confirm", "prod", "--fingerprint", &fp]);
    assert_eq!(ok.code, 0, "{}{}", ok.stdout, ok.stderr);
    let j = ok.json();
    assert_eq!(j["outcome"], "undone", "{j}");
    assert_eq!(j["deleted"]["customers"], 1, "{j}");
    assert_eq!(j["deleted"]["customer_notes"], 2, "{j}");
    assert_eq!(
        checksum(&pg, &prod),
        before,
        "the target is not back to its state"
    );
    assert_eq!(notes(&pg, &prod), "");
    assert_eq!(
        pg.query(
            &prod,
            "SELECT string_agg(kind || ' ' || rows, ',' ORDER BY id) FROM envdeck_sync_log"
        ),
        "apply 3,undo 3"
    );

    let text = std::fs::read_to_string(&log_path).unwrap();
    let window = &text[start.min(text.len())..];
    let pid = |l: &str| {
        l.split('[')
            .nth(1)
            .and_then(|r| r.split(']').next())
            .map(str::to_string)
    };
    let statements: Vec<&str> = window
        .lines()
        .filter(|l| l.contains("statement:") || l.contains("execute "))
        .collect();
    let deleters: std::collections::BTreeSet<String> = statements
        .iter()
        .filter(|l| l.to_ascii_uppercase().contains("DELETE "))
        .filter_map(|l| pid(l))
        .collect();
    assert_eq!(deleters.len(), 1, "{window}");
    let session: Vec<&&str> = statements
        .iter()
        .filter(|l| pid(l).is_some_and(|p| deleters.contains(&p)))
        .collect();
    let deletes: Vec<&&&str> = session
        .iter()
        .filter(|l| l.contains("DELETE FROM"))
        .collect();
    // One statement per table: both notes, then the customer.
    assert_eq!(deletes.len(), 2, "{session:#?}");
    let journal = log(&d);
    let journaled = &journal[0];
    for l in &deletes {
        let table = if l.contains("DELETE FROM \"customer_notes\"") {
            1
        } else {
            assert!(l.contains("DELETE FROM \"customers\""), "{l}");
            0
        };
        let pks: Vec<String> = journaled["tables"][table]["rows"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| format!("WHERE (\"id\" = '{}' AND", r["pk"][0].as_str().unwrap()))
            .collect();
        assert!(
            pks.iter().any(|p| l.contains(p.as_str())),
            "not a journaled row: {l}"
        );
    }
    for l in &session {
        let upper = l.to_ascii_uppercase();
        for verb in ["UPDATE ", "CREATE ", "ALTER ", "DROP ", "TRUNCATE "] {
            assert!(!upper.contains(verb), "the undo sent {verb}: {l}");
        }
        if upper.contains("INSERT ") {
            assert!(l.contains("INSERT INTO \"envdeck_sync_log\""), "{l}");
        }
    }

    let again = undo(&d, &id, &["--confirm", "prod", "--fingerprint", &fp]);
    assert_eq!(again.code, 0, "{}{}", again.stdout, again.stderr);
    assert_eq!(again.json()["outcome"], "noop");
    assert!(
        again.json()["reason"]
            .as_str()
            .unwrap()
            .contains("already undone"),
        "{}",
        again.stdout
    );
    let human = d.cmd(&["sync", "undo", &id, "--dry-run"]).run();
    assert_eq!(human.code, 0);
    assert!(human.stdout.contains("already undone"), "{}", human.stdout);

    let journal = log(&d);
    let undos = journal[0]["undos"].as_array().unwrap();
    let outcomes: Vec<&str> = undos
        .iter()
        .map(|u| u["outcome"].as_str().unwrap())
        .collect();
    assert_eq!(outcomes, ["refused", "refused", "undone"], "{journal}");
    assert_eq!(undos[2]["deleted"].as_array().unwrap().len(), 3);
    let text = d.cmd(&["sync", "log"]).run();
    assert!(
        text.stdout.contains("undone  3 deleted, 0 kept"),
        "{}",
        text.stdout
    );
}

/// A row changed after the sync is kept and listed (changed); a row the sync inserted that
/// a new row outside the sync refers to is kept and listed (referenced); the rest goes.
#[test]
fn undo_keeps_rows_changed_since_or_referenced_from_outside_on_postgres() {
    let pg = cluster();
    let (d, _dev, prod) = pg_env(&pg, &planted("tok_"));
    let id = applied(&d);
    pg.exec(
        &prod,
        "UPDATE customer_notes SET body = 'edited in prod' WHERE title = 'sso';
         INSERT INTO customer_notes (customer_id, title, body)
           SELECT id, 'prod only', 'written in prod' FROM customers WHERE email = 'orders@northwind.test';",
    );
    let p = preview(&d, &id);
    let plan = &p["plan"];
    let deleted: Vec<String> = plan["delete"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| format!("{} {}", r["table"], r["key"]))
        .collect();
    assert_eq!(deleted.len(), 1, "{p}");
    assert!(deleted[0].contains("renewal"), "{p}");
    let kept = plan["kept"].as_array().unwrap();
    assert_eq!(kept.len(), 2, "{p}");
    let why = |w: &str| {
        kept.iter()
            .find(|k| k["why"] == w)
            .unwrap_or_else(|| panic!("{p}"))
    };
    assert_eq!(why("changed")["table"], "customer_notes");
    assert_eq!(why("referenced")["table"], "customers");
    assert!(
        why("referenced")["reason"]
            .as_str()
            .unwrap()
            .contains("customer_notes"),
        "{p}"
    );
    let human = d.cmd(&["sync", "undo", &id, "--dry-run"]).run();
    assert!(human.stdout.contains("Kept:"), "{}", human.stdout);
    assert!(
        human.stdout.contains("changed in prod since the sync"),
        "{}",
        human.stdout
    );

    let fp = plan["fingerprint"].as_str().unwrap();
    let o = undo(&d, &id, &["--confirm", "prod", "--fingerprint", fp]);
    assert_eq!(o.code, 0, "{}{}", o.stdout, o.stderr);
    assert_eq!(o.json()["deleted"]["customer_notes"], 1, "{}", o.stdout);
    assert_eq!(
        o.json()["kept"].as_array().unwrap().len(),
        2,
        "{}",
        o.stdout
    );
    assert_eq!(
        notes(&pg, &prod),
        "orders@northwind.test:prod only ap@globex.test:sso"
    );
    assert_eq!(
        pg.query(&prod, "SELECT body FROM customer_notes WHERE title = 'sso'"),
        "edited in prod"
    );
    assert_eq!(pg.query(&prod, "SELECT count(*) FROM customers"), "2");
}

/// The apply's session is killed from another connection while it waits before COMMIT
/// (the test-only pause), 20 times: each time the target's tables are unchanged, envdeck
/// exits non-zero and the journal says failed. Then an apply without the pause succeeds.
#[test]
fn an_apply_killed_before_commit_leaves_the_target_untouched_20_times() {
    let pg = cluster();
    let (d, _dev, prod) = pg_env(&pg, &planted("tok_"));
    let fp = plan_file(&d);
    let before = checksum(&pg, &prod);
    let waiting = format!(
        "SELECT pid FROM pg_stat_activity WHERE datname = '{prod}' AND application_name = 'envdeck'
           AND state = 'idle in transaction' AND query LIKE 'INSERT INTO \"customer_notes\"%'"
    );
    for i in 0..20 {
        let killed = std::thread::scope(|s| {
            let killer = s.spawn(|| {
                let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
                while std::time::Instant::now() < deadline {
                    let pids = pg.query("postgres", &waiting);
                    if let Some(p) = pids.lines().next() {
                        pg.query("postgres", &format!("SELECT pg_terminate_backend({p})"));
                        return true;
                    }
                    std::thread::sleep(std::time::Duration::from_millis(10));
                }
                false
            });
            let o = confirmed_apply(&d, &fp)
                .env("ENVDECK_TEST_PAUSE_BEFORE_COMMIT_MS", "1500")
                .run();
            (killer.join().unwrap(), o)
        });
        let (found, o) = killed;
        assert!(
            found,
            "run {i}: never saw the apply wait before COMMIT: {}",
            o.stderr
        );
        assert_ne!(o.code, 0, "run {i}: {}{}", o.stdout, o.stderr);
        assert_eq!(checksum(&pg, &prod), before, "run {i} changed the target");
        assert_eq!(log(&d)[0]["outcome"], "failed", "run {i}");
        assert_eq!(log(&d)[0]["tables"], serde_json::json!([]), "run {i}");
    }
    let syncs = log(&d);
    assert_eq!(syncs.as_array().unwrap().len(), 20);
    assert!(
        syncs
            .as_array()
            .unwrap()
            .iter()
            .all(|s| s["outcome"] == "failed")
    );
    let o = apply(&d, &["--confirm", "prod", "--fingerprint", &fp]);
    assert_eq!(o.code, 0, "{}{}", o.stdout, o.stderr);
    assert_eq!(o.json()["inserted"]["customer_notes"], 2);
    assert_eq!(
        notes(&pg, &prod),
        "orders@northwind.test:renewal ap@globex.test:sso"
    );
}

/// envdeck itself dies (SIGKILL) while its apply waits before COMMIT: the target is
/// unchanged (the server rolls the transaction back), and the journal, written before the
/// commit, says `applying` and lists the rows the apply would have committed. An undo of it
/// deletes nothing (none of its rows is in the target); the apply then runs again and lands.
#[test]
fn envdeck_killed_before_commit_leaves_an_applying_journal_whose_undo_deletes_nothing() {
    let pg = cluster();
    let (d, _dev, prod) = pg_env(&pg, &planted("tok_"));
    let fp = plan_file(&d);
    let before = checksum(&pg, &prod);
    let waiting = format!(
        "SELECT count(*) FROM pg_stat_activity WHERE datname = '{prod}' AND application_name = 'envdeck'
           AND state = 'idle in transaction' AND query LIKE 'INSERT INTO \"customer_notes\"%'"
    );
    // The apply says when it waits before COMMIT: the server goes idle after the last
    // INSERT before envdeck has journaled that statement's rows.
    let paused = d.join("paused");
    let mut child = confirmed_apply(&d, &fp)
        .env("ENVDECK_TEST_PAUSE_BEFORE_COMMIT_MS", "5000")
        .env("ENVDECK_TEST_PAUSED_MARK", &paused)
        .spawn();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while !paused.exists() {
        if std::time::Instant::now() > deadline || child.try_wait().unwrap().is_some() {
            child.kill().unwrap();
            let o = child.wait_with_output().unwrap();
            panic!(
                "never saw the apply wait before COMMIT: {}{}",
                String::from_utf8_lossy(&o.stdout),
                String::from_utf8_lossy(&o.stderr)
            );
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    assert_eq!(
        pg.query("postgres", &waiting),
        "1",
        "the apply pauses inside its transaction, after its last INSERT"
    );
    child.kill().unwrap();
    child.wait().unwrap();
    let gone = format!(
        "SELECT count(*) FROM pg_stat_activity WHERE datname = '{prod}' AND application_name = 'envdeck'"
    );
    while pg.query("postgres", &gone) != "0" {
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    assert_eq!(checksum(&pg, &prod), before);
    let s = &log(&d)[0];
    assert_eq!(s["outcome"], "applying", "{s}");
    let journaled: Vec<(String, usize)> = s["tables"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                t["table"].as_str().unwrap().to_string(),
                t["rows"].as_array().unwrap().len(),
            )
        })
        .collect();
    assert_eq!(
        journaled,
        [
            ("customers".to_string(), 1),
            ("customer_notes".to_string(), 2)
        ]
    );
    let id = s["sync_id"].as_str().unwrap().to_string();
    let text = d.cmd(&["sync", "log"]).run().stdout;
    assert!(
        text.contains("applying")
            && text.contains("stopped before it recorded whether the transaction committed"),
        "{text}"
    );
    let preview = d.cmd(&["sync", "undo", &id, "--dry-run", "--json"]).run();
    assert_eq!(preview.code, 0, "{}{}", preview.stdout, preview.stderr);
    let p = preview.json();
    assert_eq!(p["plan"]["delete"], serde_json::json!([]), "{p}");
    assert_eq!(p["plan"]["sql"], serde_json::json!([]), "{p}");
    let kept = p["plan"]["kept"].as_array().unwrap();
    assert_eq!(kept.len(), 3, "{p}");
    assert!(kept.iter().all(|k| k["why"] == "gone"), "{p}");
    assert_eq!(checksum(&pg, &prod), before);
    let o = apply(&d, &["--confirm", "prod", "--fingerprint", &fp]);
    assert_eq!(o.code, 0, "{}{}", o.stdout, o.stderr);
    assert_eq!(
        notes(&pg, &prod),
        "orders@northwind.test:renewal ap@globex.test:sso"
    );
}

/// SQLite: the undo deletes the rows the sync inserted under BEGIN IMMEDIATE, keeps the
/// note changed since (and says so), removes the customer once its only note is gone, and
/// a second undo is a no-op.
#[test]
fn undo_on_sqlite_keeps_a_changed_row_and_removes_the_rest() {
    let d = Dir::new();
    let schema = [
        "CREATE TABLE customers (id INTEGER PRIMARY KEY, email TEXT NOT NULL UNIQUE, name TEXT NOT NULL, stripe_customer_id TEXT)",
        "CREATE TABLE customer_notes (id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL REFERENCES customers (id), title TEXT NOT NULL, body TEXT NOT NULL)",
    ];
    let mut dev = schema.to_vec();
    dev.extend([
        "INSERT INTO customers VALUES (1, 'a@x.test', 'A', 'cus_1'), (2, 'b@x.test', 'B', 'cus_2')",
        "INSERT INTO customer_notes VALUES (5, 1, 'hello', 'first'), (6, 2, 'bye', 'second')",
    ]);
    sqlite_exec(&d.join("dev.db"), &dev);
    let mut prod = schema.to_vec();
    prod.push("INSERT INTO customers VALUES (40, 'b@x.test', 'B', NULL)");
    sqlite_exec(&d.join("prod.db"), &prod);
    d.write(
        "envdeck.toml",
        &(workspace(&[
            ("dev", "development", "{ url = \"sqlite://dev.db\" }"),
            ("prod", "production", "{ url = \"sqlite://prod.db\" }"),
        ]) + TABLES),
    );
    let id = applied(&d);
    let prod_db = d.join("prod.db");
    let state = || {
        sqlite_query(
            &prod_db,
            "SELECT c.email || ':' || n.title || ':' || n.body FROM customer_notes n JOIN customers c ON c.id = n.customer_id ORDER BY n.title",
        )
    };
    assert_eq!(state(), "b@x.test:bye:second a@x.test:hello:first");
    sqlite_exec(
        &prod_db,
        &["UPDATE customer_notes SET body = 'edited in prod' WHERE title = 'bye'"],
    );

    let p = preview(&d, &id);
    let plan = &p["plan"];
    assert_eq!(plan["delete"].as_array().unwrap().len(), 2, "{p}");
    let kept = plan["kept"].as_array().unwrap();
    assert_eq!(kept.len(), 1, "{p}");
    assert!(
        kept[0]["sentence"]
            .as_str()
            .unwrap_or_default()
            .contains("changed")
            || kept[0].to_string().contains("changed"),
        "{p}"
    );
    let fp = plan["fingerprint"].as_str().unwrap().to_string();
    let ok = undo(&d, &id, &["--confirm", "prod", "--fingerprint", &fp]);
    assert_eq!(ok.code, 0, "{}{}", ok.stdout, ok.stderr);
    assert_eq!(ok.json()["outcome"], "undone");
    assert_eq!(state(), "b@x.test:bye:edited in prod");
    assert_eq!(
        sqlite_query(&prod_db, "SELECT email FROM customers ORDER BY id"),
        "b@x.test"
    );
    let again = undo(&d, &id, &["--confirm", "prod", "--fingerprint", &fp]);
    assert_eq!(again.code, 0, "{}{}", again.stdout, again.stderr);
    assert_eq!(again.json()["outcome"], "noop", "{}", again.stdout);
}
