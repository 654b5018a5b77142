//! SQLite environments: the demo workspace end to end, and protected files staying untouched.

use envdeck::error::ErrorCode;
use envdeck::secrets::Sensitive;

use crate::util::{Dir, rt};

/// The demo tells the field stories: status finds both environments with the seeded rows.
#[test]
fn demo_workspace_status_finds_both_environments_and_their_rows() {
    let d = Dir::new();
    let ws = d.demo();
    for f in [
        "envdeck.toml",
        ".env.local",
        ".env.production",
        "dev.db",
        "prod.db",
    ] {
        assert!(d.join("demo").join(f).is_file(), "demo init wrote {f}");
    }
    let out = d
        .cmd(&["--workspace", ws.to_str().unwrap(), "status", "--json"])
        .run();
    assert!(out.ok(), "{}", out.stderr);
    let j = out.json();
    let envs = j["environments"].as_array().unwrap();
    assert_eq!(envs.len(), 2);
    let dev = &envs[0];
    assert_eq!(dev["name"], "dev");
    assert_eq!(dev["kind"], "development");
    assert_eq!(dev["protected"], false);
    assert_eq!(dev["reachable"], true);
    assert!(dev["latency_ms"].is_u64());
    assert!(
        dev["server_version"]
            .as_str()
            .unwrap()
            .starts_with("SQLite 3.")
    );
    assert_eq!(dev["integrations"], 12);
    assert_eq!(dev["workflows"], 30);
    assert_eq!(dev["error"], serde_json::Value::Null);
    let prod = &envs[1];
    assert_eq!(prod["name"], "prod");
    assert_eq!(prod["protected"], true);
    assert_eq!(prod["integrations"], 11);
    assert_eq!(prod["workflows"], 29);

    // Human output: one line per environment.
    let human = d
        .cmd(&["--workspace", ws.to_str().unwrap(), "status"])
        .run();
    assert!(human.ok());
    assert!(
        human.stdout.contains("dev") && human.stdout.contains("12 integrations"),
        "{}",
        human.stdout
    );
    assert!(human.stdout.contains("protected"), "{}", human.stdout);
}

#[test]
fn demo_init_never_overwrites_a_workspace() {
    let d = Dir::new();
    d.demo();
    let before = std::fs::read(d.join("demo/dev.db")).unwrap();
    let again = d.cmd(&["demo", "init", "demo"]).run();
    assert_eq!(again.code, 1);
    assert!(again.stderr.contains("already exists"), "{}", again.stderr);
    assert_eq!(std::fs::read(d.join("demo/dev.db")).unwrap(), before);
}

/// A protected SQLite environment is opened read-only: the write fails and the file is
/// byte-for-byte unchanged.
#[test]
fn a_protected_sqlite_environment_refuses_a_write() {
    let d = Dir::new();
    d.demo();
    let prod = d.join("demo/prod.db");
    let before = std::fs::read(&prod).unwrap();
    let url = Sensitive::new(format!("sqlite://{}", prod.display()));
    let err = rt().block_on(async {
        let mut c = envdeck::connectors::Connection::open(&url, d.path(), true)
            .await
            .unwrap();
        let e = c
            .fetch_text("DELETE FROM integrations RETURNING CAST(id AS TEXT)")
            .await
            .unwrap_err();
        assert_eq!(c.count("integrations").await.unwrap(), 11);
        c.close().await;
        e
    });
    assert_eq!(err.code, ErrorCode::ReadOnly, "{}", err.message);
    assert!(err.message.contains("guarded sync"), "{}", err.message);
    assert_eq!(std::fs::read(&prod).unwrap(), before);

    // Opened as an unprotected environment it is still a read-only handle: envdeck reads
    // every environment read-only, and writes only through the guarded sync's permit.
    let e = rt().block_on(async {
        let mut c = envdeck::connectors::Connection::open(&url, d.path(), false)
            .await
            .unwrap();
        c.fetch_text("DELETE FROM sync_logs RETURNING CAST(id AS TEXT)")
            .await
            .unwrap_err()
    });
    assert_eq!(e.code, ErrorCode::ReadOnly, "{}", e.message);
    assert_eq!(std::fs::read(&prod).unwrap(), before);
}

/// The dashboard's data: prod's Slack is expired, Twitter was never connected there, and no
/// token value is read.
#[test]
fn environment_detail_reads_the_mapped_columns_and_never_tokens() {
    let d = Dir::new();
    let ws_path = d.demo();
    let detail = rt().block_on(async {
        let ctx = envdeck::api::Context::open(&d.data_dir()).await.unwrap();
        let ws = envdeck::workspace::load(&ws_path).unwrap();
        let prod = ws.environment("prod").unwrap();
        envdeck::api::status::environment_detail(&ctx, &ws, prod)
            .await
            .unwrap()
    });
    assert!(detail.integrations_error.is_none() && detail.workflows_error.is_none());
    assert!(!detail.integrations.iter().any(|i| i.provider == "twitter"));
    let slack = detail
        .integrations
        .iter()
        .find(|i| i.provider == "slack")
        .unwrap();
    assert!(!slack.healthy);
    assert!(slack.expires_in_seconds.unwrap() < 0, "expired: {slack:?}");
    assert_eq!(detail.workflows.len(), 29);
    assert!(
        detail
            .workflows
            .iter()
            .any(|w| w.runs.is_some() && w.last_run_status.is_some())
    );
    let json = serde_json::to_string(&detail).unwrap();
    assert!(
        !json.contains("demo-prod-"),
        "a token value reached the view: {json}"
    );
}

/// A mapping that names a table the database lacks: the error names the table and the key
/// to fix, and the rest of the status still loads.
#[test]
fn a_missing_table_is_named_with_the_key_that_maps_it() {
    let d = Dir::new();
    let ws = d.demo();
    let text = std::fs::read_to_string(&ws).unwrap().replace(
        "[integrations]\ntable = \"integrations\"",
        "[integrations]\ntable = \"oauth_connections\"",
    );
    std::fs::write(&ws, text).unwrap();
    let out = d
        .cmd(&["--workspace", ws.to_str().unwrap(), "status", "--json"])
        .run();
    assert_eq!(
        out.code, 1,
        "an environment with an error makes status exit 1"
    );
    let j = out.json();
    let dev = &j["environments"][0];
    assert_eq!(dev["reachable"], true);
    assert_eq!(dev["error_code"], "table_missing");
    assert!(
        dev["error"]
            .as_str()
            .unwrap()
            .contains("\"oauth_connections\"")
    );
    assert!(
        dev["error"]
            .as_str()
            .unwrap()
            .contains("[integrations] table")
    );
    assert_eq!(dev["workflows"], 30, "the other table still counts");
}

#[test]
fn a_missing_sqlite_file_is_not_found_with_its_path() {
    let d = Dir::new();
    d.write(
        "envdeck.toml",
        "name = \"acme\"\n[environments.dev]\nkind = \"development\"\ndatabase = { url = \"sqlite://nowhere.db\" }\n",
    );
    let out = d.cmd(&["status", "--json"]).run();
    assert_eq!(out.code, 1);
    let e = &out.json()["environments"][0];
    assert_eq!(e["reachable"], false);
    assert_eq!(
        e["error_code"], "db_not_found",
        "a missing file is not worth a retry"
    );
    assert!(e["error"].as_str().unwrap().contains("nowhere.db"));
    assert!(
        !d.join("nowhere.db").exists(),
        "envdeck must not create the file"
    );
}

/// BLOBs and text that is not UTF-8 compare by bytes and show as hex (`x'00ff'`) instead of
/// failing the whole diff; keys of either kind are found again for changed rows.
#[test]
fn blobs_and_non_utf8_text_compare_by_bytes_and_show_as_hex() {
    let d = Dir::new();
    let db = |name: &str, rows: &str| {
        let p = d.join(name);
        std::fs::write(&p, b"").unwrap();
        let url = format!("sqlite://{}", p.display());
        crate::util::sqlite_exec(
            &p,
            &[
                "CREATE TABLE files (k BLOB, body BLOB, note TEXT)",
                &format!("INSERT INTO files VALUES {rows}"),
            ],
        );
        url
    };
    let a = db(
        "a.db",
        "(x'00ff', x'01', 'same'), (CAST(x'c3' AS TEXT), x'02', CAST(x'ff' AS TEXT)), (x'61', x'03', 'a')",
    );
    let b = db(
        "b.db",
        "(x'00ff', x'09', 'same'), (CAST(x'c3' AS TEXT), x'02', CAST(x'ff' AS TEXT)), (x'61', x'03', 'a'), (x'fe', x'04', CAST(x'80' AS TEXT))",
    );
    let out = d
        .cmd(&[
            "table-diff",
            &a,
            &b,
            "--table",
            "files",
            "--key",
            "k",
            "--json",
        ])
        .run();
    assert!(out.ok(), "{}", out.stderr);
    let j = out.json();
    assert_eq!(
        (
            j["only_in_a"].as_u64(),
            j["only_in_b"].as_u64(),
            j["changed"].as_u64()
        ),
        (Some(0), Some(1), Some(1)),
        "{j}"
    );
    let rows = j["rows"].as_array().unwrap();
    let changed = rows.iter().find(|r| r["kind"] == "changed").unwrap();
    assert_eq!(changed["key"], serde_json::json!(["x'00ff'"]), "{j}");
    assert_eq!(changed["columns"], serde_json::json!(["body"]), "{j}");
    let extra = rows.iter().find(|r| r["kind"] == "only_in_b").unwrap();
    assert_eq!(extra["key"], serde_json::json!(["x'fe'"]), "{j}");
}

/// Expiry is counted from the time envdeck is given, not read from the machine's clock: at
/// a fixed "now", a dev integration whose expiry is known shows exactly the seconds between.
#[test]
fn expiry_is_counted_from_the_injected_clock() {
    fn fixed_now() -> chrono::DateTime<chrono::Utc> {
        "2030-01-01T00:00:00Z".parse().unwrap()
    }
    // 59 days (January and February 2030), 12 h, 30 min and 15 s after the fixed now.
    const EXPIRES_AT: &str = "2030-03-01T12:30:15Z";
    const EXPIRES_IN: i64 = 59 * 86_400 + 12 * 3_600 + 30 * 60 + 15;

    let d = Dir::new();
    let ws_path = d.demo();
    let detail = rt().block_on(async {
        // The demo's expiries are relative to when it was written; pin Stripe's.
        use sqlx::Connection as _;
        let db = d.join("demo/dev.db");
        let mut c = sqlx::SqliteConnection::connect(&format!("sqlite://{}", db.display()))
            .await
            .unwrap();
        let done = sqlx::query("UPDATE integrations SET expires_at = ?1 WHERE provider = 'stripe'")
            .bind(EXPIRES_AT)
            .execute(&mut c)
            .await
            .unwrap();
        assert_eq!(done.rows_affected(), 1, "the demo's dev has one Stripe row");
        c.close().await.unwrap();

        let ctx = envdeck::api::Context::open(&d.data_dir())
            .await
            .unwrap()
            .with_clock(fixed_now);
        let ws = envdeck::api::session::workspace_open(&ctx, &ws_path)
            .await
            .unwrap();
        envdeck::api::session::environment_detail(&ctx, std::path::Path::new(&ws.path), "dev")
            .await
            .unwrap()
    });
    let stripe = detail
        .integrations
        .iter()
        .find(|i| i.provider == "stripe")
        .unwrap();
    assert_eq!(stripe.expires_in_seconds, Some(EXPIRES_IN), "{stripe:?}");
}
