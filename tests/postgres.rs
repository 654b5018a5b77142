//! PostgreSQL environments on the throwaway cluster: status, read-only protection, and the
//! failures a person meets (wrong password, closed port, no route, missing table), each
//! with a code, a sentence and the password masked.

use std::time::{Duration, Instant};

use envdeck::error::ErrorCode;
use envdeck::secrets::Sensitive;

use crate::util::pg::{cluster, workspace};
use crate::util::{Dir, rt};

/// Status on a dev and a prod database: both reachable, a PostgreSQL server version, and
/// the counts the mapping finds.
#[test]
fn status_reads_dev_and_prod_postgres_databases() {
    let pg = cluster();
    let dev = pg.product_db("dev", 12, 30);
    let prod = pg.product_db("prod", 10, 28);
    let d = Dir::new();
    d.write(
        "envdeck.toml",
        &workspace(&[
            (
                "dev",
                "development",
                &format!("{{ url = \"{}?sslmode=disable\" }}", pg.url_for(&dev)),
            ),
            (
                "prod",
                "production",
                &format!("{{ url = \"{}\" }}", pg.url_for(&prod)),
            ),
        ]),
    );
    let out = d.cmd(&["status", "--json"]).run();
    assert!(out.ok(), "{}\n{}", out.stdout, out.stderr);
    let j = out.json();
    let envs = j["environments"].as_array().unwrap();
    assert_eq!(envs[0]["reachable"], true);
    assert!(
        envs[0]["server_version"]
            .as_str()
            .unwrap()
            .starts_with("PostgreSQL 1")
    );
    assert_eq!(envs[0]["integrations"], 12);
    assert_eq!(envs[0]["workflows"], 30);
    assert_eq!(envs[1]["protected"], true);
    assert_eq!(envs[1]["integrations"], 10);
    assert_eq!(envs[1]["workflows"], 28);
    assert!(envs[1]["latency_ms"].as_u64().unwrap() < 1000);
}

/// Production is opened read-only: the server refuses the write and the row count stays.
#[test]
fn a_protected_postgres_connection_refuses_a_write() {
    let pg = cluster();
    let db = pg.product_db("ro", 3, 0);
    let url = Sensitive::new(pg.url_for(&db));
    let d = Dir::new();
    let (err, setting) = rt().block_on(async {
        let mut c = envdeck::connectors::Connection::open(&url, d.path(), true)
            .await
            .unwrap();
        let setting = c
            .fetch_text("SHOW default_transaction_read_only")
            .await
            .unwrap();
        let e = c
            .fetch_text("DELETE FROM integrations RETURNING CAST(id AS TEXT)")
            .await
            .unwrap_err();
        c.close().await;
        (e, setting)
    });
    assert_eq!(setting[0][0].as_deref(), Some("on"));
    assert_eq!(err.code, ErrorCode::ReadOnly, "{}", err.message);
    assert!(err.message.contains("read-only"), "{}", err.message);
    assert_eq!(pg.query(&db, "SELECT count(*) FROM integrations"), "3");

    // An unprotected environment is read through a read-only session too: only the
    // guarded sync's permit opens a writable one.
    let e = rt().block_on(async {
        let mut c = envdeck::connectors::Connection::open(&url, d.path(), false)
            .await
            .unwrap();
        c.fetch_text("DELETE FROM integrations RETURNING CAST(id AS TEXT)")
            .await
            .unwrap_err()
    });
    assert_eq!(e.code, ErrorCode::ReadOnly, "{}", e.message);
    assert_eq!(pg.query(&db, "SELECT count(*) FROM integrations"), "3");
}

#[test]
fn a_wrong_password_is_a_clear_error_with_the_password_masked() {
    let pg = cluster();
    let db = pg.create_db("auth");
    let role = format!("app_{}", std::process::id());
    pg.exec(
        "postgres",
        &format!("CREATE ROLE {role} LOGIN PASSWORD 'RightPassword1'"),
    );
    let d = Dir::new();
    let url = pg.url(&db, &role, "WrongPasswordPlanted");
    d.write(
        "envdeck.toml",
        &workspace(&[("prod", "production", &format!("{{ url = \"{url}\" }}"))]),
    );
    let out = d.cmd(&["status", "--json"]).run();
    assert_eq!(out.code, 1);
    let e = &out.json()["environments"][0];
    assert_eq!(e["reachable"], false);
    assert_eq!(e["error_code"], "db_auth_failed");
    let msg = e["error"].as_str().unwrap();
    assert!(
        msg.contains(&format!("{role}:****@")),
        "shows where, masked: {msg}"
    );
    assert!(msg.contains("password"), "{msg}");
    let all = format!("{}{}", out.stdout, out.stderr);
    assert!(!all.contains("WrongPasswordPlanted"), "{all}");
    // the warning about the password in the file is there, without the password
    assert!(out.stderr.contains("contains a password"));
}

/// `status --json` on a workspace whose prod database is `url`, with `extra` appended to
/// envdeck.toml; returns prod's entry and how long the run took.
fn timed_status(d: &Dir, url: &str, extra: &str) -> (serde_json::Value, Duration) {
    d.write(
        "envdeck.toml",
        &(workspace(&[("prod", "production", &format!("{{ url = \"{url}\" }}"))]) + extra),
    );
    let t = Instant::now();
    let out = d.cmd(&["status", "--json"]).run();
    let took = t.elapsed();
    assert_eq!(out.code, 1, "{}", out.stderr);
    (out.json()["environments"][0].clone(), took)
}

#[test]
fn a_closed_port_fails_at_once() {
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let d = Dir::new();
    let (e, took) = timed_status(&d, &format!("postgres://app@127.0.0.1:{port}/app"), "");
    assert_eq!(e["error_code"], "db_unreachable", "{e}");
    assert!(
        e["error"].as_str().unwrap().contains("connection refused"),
        "{e}"
    );
    assert!(took < Duration::from_secs(3), "took {took:?}");
}

/// A host that never answers (SYNs dropped) fails at the workspace's connect timeout
/// (`[timeouts] connect = 1` here, so the test waits 1 s instead of the default 5 s) and
/// the error names it. The workplace forbids traffic to non-loopback addresses, so the
/// black hole is a loopback listener whose accept queue is full: the kernel then drops
/// further SYNs, exactly as an unroutable address does.
#[test]
fn an_address_that_never_answers_fails_within_the_connect_timeout() {
    let sock = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = sock.local_addr().unwrap();
    drop(sock);
    let listener = listen_with_backlog_1(addr);
    // Fill the accept queue (backlog 1 holds two connections on Linux).
    let mut fillers = Vec::new();
    for _ in 0..4 {
        if let Ok(c) = std::net::TcpStream::connect_timeout(&addr, Duration::from_millis(200)) {
            fillers.push(c);
        }
    }
    let d = Dir::new();
    let (e, took) = timed_status(
        &d,
        &format!("postgres://app:pw@{addr}/app"),
        "\n[timeouts]\nconnect = 1\n",
    );
    assert_eq!(e["error_code"], "db_timeout", "{e}");
    assert!(e["error"].as_str().unwrap().contains("within 1 s"), "{e}");
    assert!(
        took >= Duration::from_secs(1),
        "it did wait for the timeout: {took:?}"
    );
    assert!(took < Duration::from_secs(3), "took {took:?}");
    drop(fillers);
    drop(listener);
}

fn listen_with_backlog_1(addr: std::net::SocketAddr) -> std::net::TcpListener {
    // std cannot set a backlog; bind through tokio's TcpSocket and hand back a std listener.
    let r = rt();
    let l = r.block_on(async {
        let s = tokio::net::TcpSocket::new_v4().unwrap();
        s.set_reuseaddr(true).unwrap();
        s.bind(addr).unwrap();
        s.listen(1).unwrap()
    });
    let std = l.into_std().unwrap();
    std::mem::forget(r);
    std
}

#[test]
fn a_missing_postgres_table_is_named() {
    let pg = cluster();
    let db = pg.product_db("notable", 0, 0);
    pg.exec(&db, "DROP TABLE workflows");
    let d = Dir::new();
    d.write(
        "envdeck.toml",
        &workspace(&[(
            "dev",
            "development",
            &format!("{{ url = \"{}\" }}", pg.url_for(&db)),
        )]),
    );
    let out = d.cmd(&["status", "--json"]).run();
    assert_eq!(out.code, 1);
    let e = &out.json()["environments"][0];
    assert_eq!(e["reachable"], true);
    assert_eq!(e["integrations"], 0);
    assert_eq!(e["error_code"], "table_missing");
    assert!(
        e["error"].as_str().unwrap().contains("\"workflows\""),
        "{e}"
    );
}
