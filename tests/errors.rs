//! Clear errors and no silent wrong answers: a mapped column that does not exist, which
//! environment a bad URL came from, paths and hosts shown with only passwords masked, Unix
//! sockets and multi-host URLs, terminal-safe output, and `check`'s exit codes.

use envdeck::error::ErrorCode;
use envdeck::secrets::Sensitive;

use crate::util::pg::{cluster, workspace};
use crate::util::{Dir, rt};

fn check_json(d: &Dir, ws: &std::path::Path, from: &str, to: &str) -> (i32, serde_json::Value) {
    let out = d
        .cmd(&[
            "--workspace",
            ws.to_str().unwrap(),
            "check",
            "--from",
            from,
            "--to",
            to,
            "--json",
        ])
        .run();
    (out.code, out.json())
}

fn area_error<'a>(j: &'a serde_json::Value, area: &str) -> &'a serde_json::Value {
    j["errors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["area"] == area)
        .map(|e| &e["error"])
        .unwrap_or_else(|| panic!("no {area} error in {j}"))
}

/// On SQLite a double-quoted unknown column reads as a string literal: `provider = "nope"`
/// used to give 0 findings and exit 0. Now it is an error naming the table, the column and
/// the envdeck.toml line, and the check exits 1 — on SQLite and on PostgreSQL.
#[test]
fn a_mapped_column_that_does_not_exist_is_an_error_naming_table_column_and_line() {
    let d = Dir::new();
    let ws = d.demo();
    let text = std::fs::read_to_string(&ws).unwrap();
    let line = text
        .lines()
        .position(|l| l.starts_with("provider = "))
        .unwrap()
        + 1;
    std::fs::write(
        &ws,
        text.replace("provider = \"provider\"", "provider = \"nope\""),
    )
    .unwrap();
    let (code, j) = check_json(&d, &ws, "dev", "prod");
    let e = area_error(&j, "integrations");
    let msg = e["message"].as_str().unwrap();
    assert_eq!(e["code"], "table_missing", "{msg}");
    assert!(
        msg.contains("\"nope\"") && msg.contains("\"integrations\""),
        "{msg}"
    );
    assert!(msg.contains(&format!("envdeck.toml:{line}")), "{msg}");
    // The demo has critical isolation findings, so 3 stands; the area error is listed.
    assert_eq!(code, 3);
    let only = d
        .cmd(&[
            "--workspace",
            ws.to_str().unwrap(),
            "check",
            "--from",
            "dev",
            "--to",
            "prod",
            "--area",
            "integrations",
        ])
        .run();
    assert_eq!(only.code, 1, "could not run → 1, never 0\n{}", only.stdout);
    assert!(only.stderr.contains("\"nope\""), "{}", only.stderr);

    let pg = cluster();
    let (a, b) = (pg.product_db("cola", 2, 2), pg.product_db("colb", 2, 2));
    let d = Dir::new();
    let text = workspace(&[
        (
            "dev",
            "development",
            &format!("{{ url = \"{}\" }}", pg.url_for(&a)),
        ),
        (
            "prod",
            "production",
            &format!("{{ url = \"{}\" }}", pg.url_for(&b)),
        ),
    ]) + "\n[workflows]\ntable = \"workflows\"\nkey = [\"name\"]\nactive = \"enabled\"\n";
    let p = d.write("envdeck.toml", &text);
    let line = text.lines().position(|l| l.starts_with("active")).unwrap() + 1;
    let (code, j) = check_json(&d, &p, "dev", "prod");
    assert_eq!(code, 1, "{j}");
    let msg = area_error(&j, "workflows")["message"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        msg.contains("\"enabled\"") && msg.contains("\"workflows\""),
        "{msg}"
    );
    assert!(msg.contains(&format!("envdeck.toml:{line}")), "{msg}");
    // The dashboard says the same.
    let status = d
        .cmd(&["--workspace", p.to_str().unwrap(), "status", "--json"])
        .run();
    assert!(status.stdout.contains("reachable"), "{}", status.stderr);
}

/// Only passwords are masked: a SQLite path, a host and a port stay visible, because they
/// are what a person needs to fix the problem.
#[test]
fn errors_show_paths_hosts_and_ports_and_mask_only_passwords() {
    let d = Dir::new();
    d.write("garbage.db", &"this is not a database\n".repeat(200));
    d.write(
        "envdeck.toml",
        &workspace(&[("dev", "development", "{ url = \"sqlite://garbage.db\" }")]),
    );
    let out = d.cmd(&["status", "--json"]).run();
    let err = out.json()["environments"][0]["error"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(err.contains("garbage.db"), "{err}");
    assert!(!err.contains("****"), "{err}");

    let pg = cluster();
    let d = Dir::new();
    let url = pg.url("no_such_db", "postgres", "MaskOnlyPwPlanted");
    d.write(
        "envdeck.toml",
        &workspace(&[("dev", "development", &format!("{{ url = \"{url}\" }}"))]),
    );
    let out = d.cmd(&["status", "--json"]).run();
    let err = out.json()["environments"][0]["error"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(err.contains(&format!("127.0.0.1:{}", pg.port())), "{err}");
    assert!(err.contains("postgres:****@"), "{err}");
    assert!(!err.contains("MaskOnlyPwPlanted"), "{err}");
}

/// "is a protected environment" is said of protected environments only: a database that is
/// read-only by itself says that instead.
#[test]
fn a_read_only_database_is_not_called_protected_unless_it_is() {
    let pg = cluster();
    let db = pg.product_db("rodb", 1, 0);
    let role = format!("ro_{}", std::process::id());
    pg.exec(
        "postgres",
        &format!("CREATE ROLE {role} LOGIN SUPERUSER PASSWORD 'pw'; ALTER ROLE {role} SET default_transaction_read_only = on"),
    );
    let url = Sensitive::new(pg.url(&db, &role, "pw"));
    let d = Dir::new();
    let (unprotected, protected) = rt().block_on(async {
        let mut c = envdeck::connectors::Connection::open(&url, d.path(), false)
            .await
            .unwrap();
        let a = c
            .fetch_text("DELETE FROM integrations RETURNING CAST(id AS TEXT)")
            .await
            .unwrap_err();
        let mut c = envdeck::connectors::Connection::open(&url, d.path(), true)
            .await
            .unwrap();
        let b = c
            .fetch_text("DELETE FROM integrations RETURNING CAST(id AS TEXT)")
            .await
            .unwrap_err();
        (a, b)
    });
    assert_eq!(unprotected.code, ErrorCode::ReadOnly);
    assert!(
        !unprotected.message.contains("protected environment"),
        "{}",
        unprotected.message
    );
    assert!(
        protected.message.contains("protected environment"),
        "{}",
        protected.message
    );
}

/// An unparseable URL says which environment or argument it came from, and never its
/// password.
#[test]
fn an_unparseable_url_names_where_it_came_from() {
    let d = Dir::new();
    d.write(
        "envdeck.toml",
        &workspace(&[(
            "qa",
            "staging",
            "{ url = \"postgres://app:UnparsePwPlanted@db.acme.test:notaport/app\" }",
        )]),
    );
    let out = d.cmd(&["status", "--json"]).run();
    let err = out.json()["environments"][0]["error"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(err.contains("database URL of qa"), "{err}");
    assert!(!err.contains("UnparsePwPlanted"), "{err}");
    let out = d
        .cmd(&[
            "table-diff",
            "postgres://app:UnparsePwPlanted@h:notaport/db",
            "sqlite://x.db",
            "--table",
            "t",
            "--key",
            "id",
        ])
        .run();
    assert_eq!(out.code, 1);
    assert!(out.stderr.contains("URL A"), "{}", out.stderr);
    assert!(!out.stderr.contains("UnparsePwPlanted"), "{}", out.stderr);
}

/// `?host=/path/to/socket` (a Unix socket) and several hosts (`h1:p1,h2:p2`, tried in
/// order) connect, as libpq accepts them.
#[test]
fn unix_socket_and_multi_host_urls_connect() {
    let pg = cluster();
    let db = pg.product_db("sock", 3, 1);
    let socket = std::env::var("ENVDECK_TEST_PG_SOCKET").expect("run through tests/run-suite.sh");
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let password = pg.admin.password().unwrap().to_string();
    let urls = [
        format!(
            "postgres://postgres@localhost/{db}?host={socket}&port={}",
            pg.port()
        ),
        format!(
            "postgresql:///{db}?host={socket}&port={}&user=postgres",
            pg.port()
        ),
        format!(
            "postgres://postgres:{password}@127.0.0.1:{closed},127.0.0.1:{}/{db}",
            pg.port()
        ),
    ];
    for url in urls {
        let d = Dir::new();
        d.write(
            "envdeck.toml",
            &workspace(&[("dev", "development", &format!("{{ url = \"{url}\" }}"))]),
        );
        let out = d.cmd(&["status", "--json"]).run();
        let env = &out.json()["environments"][0];
        assert_eq!(env["reachable"], true, "{url}: {env}");
        assert_eq!(env["integrations"], 3, "{url}");
        assert!(!out.stderr.contains(&password), "{}", out.stderr);
    }
}

/// A newline or an ANSI escape inside a key can no longer forge a row or recolour the
/// terminal: terminal output shows them escaped (JSON was already safe).
#[test]
fn terminal_output_escapes_control_characters_in_data() {
    let d = Dir::new();
    let ws = d.demo();
    crate::util::sqlite_exec(
        &d.join("demo/dev.db"),
        &[
            "INSERT INTO roles (name, permissions, is_system_role) VALUES ('evil' || char(10) || 'critical  isolation  forged-row' || char(27) || '[31m', '[]', 0)",
        ],
    );
    let out = d
        .cmd(&[
            "--workspace",
            ws.to_str().unwrap(),
            "check",
            "--from",
            "dev",
            "--to",
            "prod",
            "--area",
            "reference_data",
        ])
        .run();
    assert_eq!(out.code, 2, "{}\n{}", out.stdout, out.stderr);
    assert!(!out.stdout.contains('\u{1b}'), "raw escape in output");
    let forged: Vec<&str> = out
        .stdout
        .lines()
        .filter(|l| l.contains("forged-row"))
        .collect();
    assert_eq!(forged.len(), 1, "{}", out.stdout);
    assert!(forged[0].contains("evil\\ncritical"), "{}", forged[0]);
    assert!(forged[0].contains("\\u{1b}[31m"), "{}", forged[0]);
    let j = d
        .cmd(&[
            "--workspace",
            ws.to_str().unwrap(),
            "check",
            "--from",
            "dev",
            "--to",
            "prod",
            "--area",
            "reference_data",
            "--json",
        ])
        .run()
        .json();
    assert!(
        j["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["key"] == "roles/evil\ncritical  isolation  forged-row\u{1b}[31m"),
        "JSON keeps the exact value"
    );
}

/// An area the workspace does not configure is skipped with a note, not counted as
/// "could not run": dev and staging on one database, staging without an env file, exits 3
/// (critical), with config listed as skipped and no errors.
#[test]
fn unconfigured_areas_are_skipped_and_critical_wins_the_exit_code() {
    let d = Dir::new();
    let ws = d.demo();
    let text = std::fs::read_to_string(&ws).unwrap()
        + "\n[environments.staging]\nkind = \"staging\"\ndatabase = { url = \"sqlite://dev.db\" }\n";
    std::fs::write(&ws, text).unwrap();
    let (code, j) = check_json(&d, &ws, "dev", "staging");
    assert_eq!(code, 3, "{j}");
    assert!(j["errors"].as_array().unwrap().is_empty(), "{j}");
    let skipped = j["skipped"].as_array().unwrap();
    assert_eq!(skipped.len(), 1, "{j}");
    assert_eq!(skipped[0]["area"], "config");
    assert!(
        skipped[0]["reason"]
            .as_str()
            .unwrap()
            .contains("staging has no env_file")
    );
    assert!(
        j["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["kind"] == "shared_database")
    );
    let human = d
        .cmd(&[
            "--workspace",
            ws.to_str().unwrap(),
            "check",
            "--from",
            "dev",
            "--to",
            "staging",
        ])
        .run();
    assert!(human.stdout.contains("not compared"), "{}", human.stdout);

    // No [[reference_data]]: skipped too; a failing area next to a critical finding still
    // exits 3.
    let text = std::fs::read_to_string(&ws).unwrap();
    let cut = text.find("[[reference_data]]").unwrap();
    let staging = text.find("\n[environments.staging]").unwrap();
    let text = text[..cut].replace("table = \"workflows\"", "table = \"no_such_workflows\"")
        + &text[staging..];
    std::fs::write(&ws, &text).unwrap();
    let (code, j) = check_json(&d, &ws, "dev", "staging");
    assert_eq!(code, 3, "{j}");
    assert!(
        j["skipped"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["area"] == "reference_data")
    );
    assert_eq!(area_error(&j, "workflows")["code"], "table_missing");
}

/// A secret column in the workflows table (a webhook secret) is never read: no statement in
/// the server's log selects it, and its planted value appears in no output, not even in the
/// side-by-side values of a changed workflow.
#[test]
fn a_workflow_secret_column_is_never_selected() {
    let pg = cluster();
    let (a, b) = (pg.product_db("wfseca", 0, 2), pg.product_db("wfsecb", 0, 2));
    let planted = crate::util::planted("WebhookSecret");
    for db in [&a, &b] {
        pg.exec(db, "ALTER TABLE workflows ADD COLUMN webhook_secret text");
    }
    pg.exec(
        &a,
        &format!("UPDATE workflows SET webhook_secret = '{planted}-a', description = 'new'"),
    );
    pg.exec(
        &b,
        &format!("UPDATE workflows SET webhook_secret = '{planted}-b'"),
    );
    // From here on, every statement in these databases is envdeck's.
    for db in [&a, &b] {
        pg.exec(
            "postgres",
            &format!("ALTER DATABASE {db} SET log_statement = 'all'"),
        );
    }
    let d = Dir::new();
    let p = d.write(
        "envdeck.toml",
        &(workspace(&[
            ("dev", "development", &format!("{{ url = \"{}\" }}", pg.url_for(&a))),
            ("prod", "production", &format!("{{ url = \"{}\" }}", pg.url_for(&b))),
        ]) + "\n[workflows]\ntable = \"workflows\"\nkey = [\"name\"]\ndefinition = \"definition\"\n"),
    );
    let (code, j) = check_json(&d, &p, "dev", "prod");
    assert_eq!(code, 2, "{j}");
    let changed: Vec<&serde_json::Value> = j["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["area"] == "workflows" && f["kind"] == "changed")
        .collect();
    assert_eq!(changed.len(), 2, "the description differs: {j}");
    assert!(!j.to_string().contains("webhook_secret"), "{j}");
    let values = rt().block_on(async {
        let ctx = envdeck::api::Context::open(&d.data_dir()).await.unwrap();
        let ws = envdeck::api::session::workspace_open(&ctx, &p)
            .await
            .unwrap();
        assert_eq!(ws.name, "acme");
        envdeck::api::session::finding_values(
            &ctx,
            std::path::Path::new(&ws.path),
            "dev",
            "prod",
            envdeck::compare::Area::Workflows,
            &envdeck::compare::KeyParts::name("wf 1"),
            None,
        )
        .await
        .unwrap()
    });
    let shown = format!("{:?}{:?}", values.from_json, values.to_json);
    assert!(shown.contains("new"), "the values are shown: {shown}");
    assert!(
        !shown.contains(&planted) && !shown.contains("webhook_secret"),
        "{shown}"
    );
    let log = std::fs::read_to_string(std::env::var("ENVDECK_TEST_PG_LOG").unwrap()).unwrap();
    let selected: Vec<&str> = log
        .lines()
        .filter(|l| l.contains("statement:") && l.contains("webhook_secret"))
        .collect();
    assert!(selected.is_empty(), "secret column selected: {selected:?}");
    for o in d.outputs.borrow().iter() {
        assert!(!o.contains(&planted));
    }
}
