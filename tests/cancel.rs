//! Stop when asked, never wait forever: Ctrl-C ends `check` and `table-diff` within a
//! second and the server stops the statement too, while it computes or waits on a lock;
//! every statement has a finite timeout that names the table.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::util::Dir;
use crate::util::pg::{Pg, cluster, workspace};

/// Two databases with `roles`; in `slow`, `roles` is a view that sleeps 30 s per row.
fn slow_pair(pg: &Pg) -> (String, String) {
    let fast = pg.create_db("cfast");
    pg.exec(
        &fast,
        "CREATE TABLE roles (name text primary key, permissions text); INSERT INTO roles VALUES ('admin', 'all');
         CREATE TABLE items (id int primary key, v text); INSERT INTO items VALUES (1, 'a');",
    );
    let slow = pg.create_db("cslow");
    pg.exec(
        &slow,
        "CREATE VIEW roles AS SELECT name, permissions || pg_sleep(30)::text AS permissions FROM (VALUES ('admin', 'all')) v(name, permissions);
         CREATE TABLE items (id int primary key, v text); INSERT INTO items VALUES (1, 'a');",
    );
    (fast, slow)
}

fn ws_text(pg: &Pg, a: &str, b: &str, timeouts: &str) -> String {
    workspace(&[
        (
            "dev",
            "development",
            &format!("{{ url = \"{}\" }}", pg.url_for(a)),
        ),
        (
            "prod",
            "production",
            &format!("{{ url = \"{}\" }}", pg.url_for(b)),
        ),
    ]) + &format!(
        "\n[[reference_data]]\ntable = \"roles\"\nkey = [\"name\"]\n\n[timeouts]\n{timeouts}\n"
    )
}

fn spawn(d: &Dir, args: &[&str]) -> Child {
    Command::new(env!("CARGO_BIN_EXE_envdeck"))
        .args(args)
        .current_dir(d.path())
        .env("ENVDECK_DATA_DIR", d.data_dir())
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

/// envdeck's statements the server is still running (or waiting on), in `db`.
fn envdeck_active(pg: &Pg, db: &str) -> u32 {
    pg.query(
        "postgres",
        &format!(
            "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'envdeck' AND datname = '{db}' AND state = 'active'"
        ),
    )
    .parse()
    .unwrap()
}

fn wait_for(what: &str, limit: Duration, mut f: impl FnMut() -> bool) {
    let t = Instant::now();
    while !f() {
        assert!(t.elapsed() < limit, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// SIGINT the child, then: exit 130 within 1 s, and the server-side statement gone from
/// pg_stat_activity within 2 s.
fn interrupt_and_check(pg: &Pg, db: &str, mut child: Child) {
    let t = Instant::now();
    let ok = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(ok.success());
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        assert!(
            t.elapsed() < Duration::from_secs(5),
            "still running 5 s after Ctrl-C"
        );
        std::thread::sleep(Duration::from_millis(10));
    };
    let took = t.elapsed();
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(status.code(), Some(130), "{stderr}");
    assert!(stderr.contains("error[cancelled]"), "{stderr}");
    assert!(
        took < Duration::from_secs(1),
        "exited {took:?} after Ctrl-C"
    );
    assert!(
        String::from_utf8_lossy(&out.stdout).trim().is_empty(),
        "no result printed after a cancel"
    );
    wait_for(
        "the server to stop envdeck's statement",
        Duration::from_secs(2),
        || envdeck_active(pg, db) == 0,
    );
}

#[test]
fn ctrl_c_stops_check_and_its_server_side_query() {
    let pg = cluster();
    let (fast, slow) = slow_pair(&pg);
    let d = Dir::new();
    d.write(
        "envdeck.toml",
        &ws_text(&pg, &fast, &slow, "statement = 120\nscan = 120"),
    );
    let child = spawn(&d, &["check", "--from", "dev", "--to", "prod", "--json"]);
    wait_for("the slow scan to start", Duration::from_secs(10), || {
        envdeck_active(&pg, &slow) > 0
    });
    interrupt_and_check(&pg, &slow, child);
}

/// A lock held by another session: envdeck waits on it (lock timeout raised), Ctrl-C still
/// ends it at once and the waiting statement leaves the server.
#[test]
fn ctrl_c_stops_a_table_diff_waiting_on_a_lock() {
    let pg = cluster();
    let (fast, slow) = slow_pair(&pg);
    let mut holder = hold_lock(&pg, &slow, "items");
    let d = Dir::new();
    d.write(
        "envdeck.toml",
        &ws_text(&pg, &fast, &slow, "lock = 120\nstatement = 120\nscan = 120"),
    );
    let child = spawn(
        &d,
        &[
            "table-diff",
            "--from",
            "dev",
            "--to",
            "prod",
            "--table",
            "items",
            "--key",
            "id",
        ],
    );
    wait_for(
        "envdeck to wait on the lock",
        Duration::from_secs(10),
        || {
            pg.query(
            "postgres",
            &format!("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'envdeck' AND datname = '{slow}' AND wait_event_type = 'Lock'"),
        ) != "0"
        },
    );
    interrupt_and_check(&pg, &slow, child);
    let _ = holder.kill();
    let _ = holder.wait();
}

/// Another session holds `table` in ACCESS EXCLUSIVE mode until killed.
fn hold_lock(pg: &Pg, db: &str, table: &str) -> Child {
    let child = Command::new("psql")
        .arg(pg.url_for(db))
        .args([
            "-q",
            "-c",
            &format!(
                "BEGIN; LOCK TABLE {table} IN ACCESS EXCLUSIVE MODE; SELECT pg_sleep(60); COMMIT;"
            ),
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    wait_for("the lock", Duration::from_secs(10), || {
        pg.query(
            db,
            &format!("SELECT count(*) FROM pg_locks WHERE relation = '{table}'::regclass AND mode = 'AccessExclusiveLock' AND granted"),
        ) == "1"
    });
    child
}

/// No statement waits forever: a lock held elsewhere ends at the lock timeout, and a scan
/// longer than the scan timeout ends at it; both errors name the table and what to do, and
/// no statement ever lifts the timeout (`statement_timeout = 0`).
#[test]
fn timeouts_are_finite_and_name_the_table() {
    let pg = cluster();
    let (fast, slow) = slow_pair(&pg);
    pg.exec(
        "postgres",
        &format!("ALTER DATABASE {slow} SET log_statement = 'all'"),
    );
    let mut holder = hold_lock(&pg, &slow, "items");
    let d = Dir::new();
    d.write("envdeck.toml", &ws_text(&pg, &fast, &slow, "lock = 1"));
    let t = Instant::now();
    let out = d
        .cmd(&[
            "table-diff",
            "--from",
            "dev",
            "--to",
            "prod",
            "--table",
            "items",
            "--key",
            "id",
        ])
        .run();
    assert!(t.elapsed() < Duration::from_secs(6), "{:?}", t.elapsed());
    let _ = holder.kill();
    let _ = holder.wait();
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(out.stderr.contains("error[db_timeout]"), "{}", out.stderr);
    assert!(
        out.stderr.contains("\"items\"") && out.stderr.contains("lock"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("[timeouts] lock"),
        "says what to do: {}",
        out.stderr
    );

    let t = Instant::now();
    let out = d
        .cmd(&[
            "table-diff",
            "--from",
            "dev",
            "--to",
            "prod",
            "--table",
            "roles",
            "--key",
            "name",
            "--scan-timeout",
            "1",
        ])
        .run();
    assert!(t.elapsed() < Duration::from_secs(6), "{:?}", t.elapsed());
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(out.stderr.contains("error[db_timeout]"), "{}", out.stderr);
    assert!(
        out.stderr.contains("reading table \"roles\""),
        "{}",
        out.stderr
    );

    let log = std::fs::read_to_string(std::env::var("ENVDECK_TEST_PG_LOG").unwrap()).unwrap();
    assert!(
        log.contains("SET LOCAL statement_timeout = 1000"),
        "the scan timeout was used"
    );
    assert!(
        !log.contains("statement_timeout = 0"),
        "a statement lifted the timeout"
    );
}
