//! envdeck.toml: valid, invalid and hostile files. Every error names the file, the line and
//! the key, because that is what a person needs to fix it.

use envdeck::error::ErrorCode;
use envdeck::workspace::{self, DatabaseSource, EnvKind};

use crate::util::Dir;

const FULL: &str = r#"name = "acme"

[environments.dev]
kind = "development"
app_url = "http://localhost:3000"
database = { url = "sqlite://dev.db" }
env_file = ".env.local"

[environments.prod]
kind = "production"
app_url = "https://app.acme.test"
database = { secret = "DATABASE_URL" }
env_file = ".env.production"

[environments.staging]
kind = "staging"
protected = true
database = { env = "STAGING_DATABASE_URL" }

[integrations]
table = "integrations"
provider = "provider"
account = "account_email"
status = "status"
healthy_status = ["connected"]
expires_at = "expires_at"
updated_at = "updated_at"
secret_columns = ["access_token", "refresh_token"]
connect_url = "{app_url}/api/integrations/{provider}/connect"

[workflows]
table = "workflows"
key = ["name"]
definition = "definition"
active = "is_active"
ignore = ["id", "user_id", "created_at", "updated_at"]

[[reference_data]]
table = "roles"
key = ["name"]
"#;

fn ws_dir() -> Dir {
    let d = Dir::new();
    d.write(".env.local", "A=1\n");
    d.write(".env.production", "A=2\n");
    d
}

fn parse_err(text: &str) -> envdeck::error::Error {
    let d = ws_dir();
    let p = d.write("envdeck.toml", text);
    let e = workspace::load(&p).expect_err("should not load");
    assert_eq!(e.code, ErrorCode::WorkspaceInvalid, "{}", e.message);
    e
}

/// The documented contract parses, production is protected by default, and relative env
/// files resolve next to the workspace file.
#[test]
fn the_documented_workspace_file_loads_as_written() {
    let d = ws_dir();
    let p = d.write("envdeck.toml", FULL);
    let ws = workspace::load(&p).unwrap();
    assert_eq!(ws.name, "acme");
    let names: Vec<_> = ws.environments.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(names, ["dev", "prod", "staging"], "file order is kept");
    let dev = ws.environment("dev").unwrap();
    assert_eq!(dev.kind, EnvKind::Development);
    assert!(!dev.protected);
    assert_eq!(dev.database, DatabaseSource::Url("sqlite://dev.db".into()));
    assert_eq!(
        dev.env_file.as_deref(),
        Some(d.join(".env.local").as_path())
    );
    let prod = ws.environment("prod").unwrap();
    assert!(prod.protected, "production implies protected");
    assert_eq!(prod.database, DatabaseSource::Secret("DATABASE_URL".into()));
    let staging = ws.environment("staging").unwrap();
    assert!(staging.protected, "explicit protected = true");
    assert_eq!(
        staging.database,
        DatabaseSource::Env("STAGING_DATABASE_URL".into())
    );
    assert_eq!(ws.integrations.healthy_status, ["connected"]);
    assert_eq!(ws.workflows.key, ["name"]);
    assert_eq!(ws.reference_data[0].table, "roles");
    assert!(ws.warnings.is_empty());
}

#[test]
fn an_unknown_key_names_its_line_and_path() {
    let text = FULL.replace(
        "app_url = \"https://app.acme.test\"",
        "app_ulr = \"https://app.acme.test\"",
    );
    let e = parse_err(&text);
    assert!(
        e.message.contains("envdeck.toml:9:") || e.message.contains("envdeck.toml:11:"),
        "{}",
        e.message
    );
    assert!(e.message.contains("environments.prod"), "{}", e.message);
    assert!(e.message.contains("app_ulr"), "{}", e.message);
}

#[test]
fn a_bad_kind_names_its_line_and_the_allowed_kinds() {
    let e = parse_err(&FULL.replace("kind = \"production\"", "kind = \"prodution\""));
    assert!(e.message.contains("envdeck.toml:10:"), "{}", e.message);
    assert!(
        e.message.contains("environments.prod.kind"),
        "{}",
        e.message
    );
    assert!(
        e.message.contains("production"),
        "lists what is allowed: {}",
        e.message
    );
}

#[test]
fn a_missing_database_source_says_how_to_add_one() {
    let e = parse_err(&FULL.replace("database = { secret = \"DATABASE_URL\" }\n", ""));
    assert!(
        e.message.contains("environments.prod.database"),
        "{}",
        e.message
    );
    assert!(e.message.contains("envdeck.toml:9:"), "{}", e.message);
    assert!(
        e.message.contains("secret = "),
        "says what to write: {}",
        e.message
    );
}

#[test]
fn an_env_file_that_does_not_exist_is_named_with_its_line() {
    let e = parse_err(&FULL.replace(".env.production", ".env.prod"));
    assert!(e.message.contains("envdeck.toml:13:"), "{}", e.message);
    assert!(
        e.message.contains("environments.prod.env_file"),
        "{}",
        e.message
    );
    assert!(e.message.contains(".env.prod"), "{}", e.message);
}

#[test]
fn a_password_in_a_url_loads_with_a_warning_that_hides_it() {
    let d = ws_dir();
    let text = FULL.replace(
        "database = { url = \"sqlite://dev.db\" }",
        "database = { url = \"postgres://app:Hunter2Planted@db.acme.test/app\" }",
    );
    let p = d.write("envdeck.toml", &text);
    let ws = workspace::load(&p).unwrap();
    assert_eq!(ws.warnings.len(), 1, "{:?}", ws.warnings);
    let w = &ws.warnings[0];
    assert!(w.contains("envdeck.toml:6"), "{w}");
    assert!(w.contains("keychain"), "says where to move it: {w}");
    assert!(!w.contains("Hunter2Planted"), "{w}");
    // The CLI prints the warning, still without the password.
    let out = d.cmd(&["status", "--json"]).run();
    assert!(out.stderr.contains("contains a password"), "{}", out.stderr);
    assert!(!out.stderr.contains("Hunter2Planted") && !out.stdout.contains("Hunter2Planted"));
}

#[test]
fn hostile_and_broken_files_are_refused_with_a_line() {
    let cases: &[(&str, &str, &str)] = &[
        // TOML syntax error
        (
            "name = \"acme\"\n[environments.dev\nkind = 1\n",
            ":2",
            "expected `]`",
        ),
        // two database sources at once
        (
            "name = \"a\"\n[environments.dev]\nkind = \"development\"\ndatabase = { url = \"sqlite://x.db\", secret = \"X\" }\n",
            ":4:",
            "exactly one",
        ),
        // an unsupported engine, password masked in the message
        (
            "name = \"a\"\n[environments.dev]\nkind = \"development\"\ndatabase = { url = \"mysql://u:Sup3rPlanted@h/d\" }\n",
            ":4:",
            "unsupported database URL",
        ),
        // environment names cannot smuggle path or account separators into the keychain
        (
            "name = \"a\"\n[environments.\"../prod\"]\nkind = \"development\"\ndatabase = { url = \"sqlite://x.db\" }\n",
            ":2:",
            "environment name",
        ),
        (
            "name = \"a/b\"\n[environments.dev]\nkind = \"development\"\ndatabase = { url = \"sqlite://x.db\" }\n",
            ":1:",
            "workspace name",
        ),
        // a secret name with a slash
        (
            "name = \"a\"\n[environments.dev]\nkind = \"development\"\ndatabase = { secret = \"A/B\" }\n",
            ":4:",
            "secret name",
        ),
        // wrong types
        ("name = 5\n", ":1:", "name"),
        (
            "name = \"a\"\n[environments.dev]\nkind = \"development\"\nprotected = \"yes\"\ndatabase = { url = \"sqlite://x.db\" }\n",
            ":4:",
            "protected",
        ),
        // no environments at all
        ("name = \"a\"\n", ":1:", "no environments"),
        // unknown top-level section
        (
            "name = \"a\"\n[environment.dev]\nkind = \"development\"\n",
            ":",
            "environment",
        ),
        // not TOML at all
        ("\u{0}\u{1}binary garbage", ":1", ""),
        // an app_url that is not a URL
        (
            "name = \"a\"\n[environments.dev]\nkind = \"development\"\napp_url = \"localhost 3000\"\ndatabase = { url = \"sqlite://x.db\" }\n",
            ":4:",
            "app_url",
        ),
    ];
    for (text, line, needle) in cases {
        let e = parse_err(text);
        assert!(
            e.message.contains(&format!("envdeck.toml{line}")),
            "{text:?} → {}",
            e.message
        );
        assert!(e.message.contains(needle), "{text:?} → {}", e.message);
        assert!(!e.message.contains("Sup3rPlanted"), "{}", e.message);
    }
}

#[test]
fn the_cli_reports_a_bad_workspace_with_code_line_and_exit_1() {
    let d = ws_dir();
    d.write(
        "envdeck.toml",
        &FULL.replace("kind = \"staging\"", "kind = \"stage\""),
    );
    let out = d.cmd(&["status"]).run();
    assert_eq!(out.code, 1);
    assert!(
        out.stderr.contains("error[workspace_invalid]"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("envdeck.toml:16:"), "{}", out.stderr);
    assert!(out.stdout.is_empty());
    let missing = d.cmd(&["status", "--workspace", "nope.toml"]).run();
    assert_eq!(missing.code, 1);
    assert!(
        missing.stderr.contains("error[workspace_not_found]"),
        "{}",
        missing.stderr
    );
}

/// The window's "Open workspace…" remembers the file and the next start opens it; when the
/// file is gone, the window falls back to the demo.
#[test]
fn the_last_opened_workspace_is_remembered() {
    let d = ws_dir();
    let p = d.write("envdeck.toml", FULL);
    let rt = crate::util::rt();
    let (opened, again, fallback) = rt.block_on(async {
        let ctx = envdeck::api::Context::open(&d.data_dir()).await.unwrap();
        let first = envdeck::api::session::workspace_current(&ctx)
            .await
            .unwrap();
        assert!(first.is_demo, "a fresh data dir opens the demo");
        let opened = envdeck::api::session::workspace_open(&ctx, &p)
            .await
            .unwrap();
        let again = envdeck::api::session::workspace_current(&ctx)
            .await
            .unwrap();
        std::fs::remove_file(&p).unwrap();
        let fallback = envdeck::api::session::workspace_current(&ctx)
            .await
            .unwrap();
        ctx.store.close().await;
        (opened, again, fallback)
    });
    assert_eq!(opened.name, "acme");
    assert!(!opened.is_demo);
    assert_eq!(again.path, opened.path);
    assert_eq!(again.environments.len(), 3);
    assert!(fallback.is_demo, "{fallback:?}");
    // The secret-sourced database shows its name, never a value.
    let prod = opened
        .environments
        .iter()
        .find(|e| e.name == "prod")
        .unwrap();
    assert_eq!(
        serde_json::to_value(&prod.database).unwrap(),
        serde_json::json!({"type": "secret", "name": "DATABASE_URL"})
    );
}
