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
    assert_eq!(w.env.as_deref(), Some("dev"));
    assert!(w.can_move_to_keychain);
    let w = &w.message;
    assert!(w.contains("envdeck.toml:6"), "{w}");
    assert!(w.contains("of dev"), "names the environment: {w}");
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

/// Values quoted back in an error (serde's `invalid type: string "…"`, a bad secret or
/// variable name) never show a URL's password, on stderr or in the log file, and a huge
/// value is cut instead of echoed whole.
#[test]
fn a_value_quoted_in_an_error_is_masked_and_cut() {
    let url = "postgres://app:QuotedPwPlanted@db.acme.test:5432/app";
    let cases = [
        FULL.replace("protected = true", &format!("protected = \"{url}\"")),
        FULL.replace(
            "database = { secret = \"DATABASE_URL\" }",
            &format!("database = {{ secret = \"{url}\" }}"),
        ),
        FULL.replace(
            "database = { env = \"STAGING_DATABASE_URL\" }",
            &format!("database = {{ env = \"{url}\" }}"),
        ),
        FULL.replace("kind = \"staging\"", &format!("kind = \"{url}\"")),
    ];
    for text in &cases {
        let d = ws_dir();
        d.write("envdeck.toml", text);
        let out = d.cmd(&["status"]).run();
        assert_eq!(out.code, 1, "{}", out.stderr);
        assert!(
            out.stderr.contains("error[workspace_invalid]"),
            "{}",
            out.stderr
        );
        assert!(
            out.stderr.contains("app:****@db.acme.test"),
            "the URL is still recognisable, password masked: {}",
            out.stderr
        );
        for (p, bytes) in d.data_files() {
            assert!(
                !String::from_utf8_lossy(&bytes).contains("QuotedPwPlanted"),
                "password in {}",
                p.display()
            );
        }
        assert!(!out.stderr.contains("QuotedPwPlanted"), "{}", out.stderr);
    }
    // A 10 MB environment name is not echoed back whole.
    let d = ws_dir();
    let huge = "x".repeat(10 * 1024 * 1024);
    d.write(
        "envdeck.toml",
        &format!(
            "name = \"a\"\n[environments.{huge}]\nkind = \"development\"\ndatabase = {{ url = \"sqlite://x.db\" }}\n"
        ),
    );
    let out = d.cmd(&["status"]).run();
    assert_eq!(out.code, 1);
    assert!(
        out.stderr.contains("environment name"),
        "{}",
        &out.stderr[..out.stderr.len().min(500)]
    );
    assert!(
        out.stderr.len() < 2000,
        "{} bytes of error for a 10 MB name",
        out.stderr.len()
    );
}

/// A production environment cannot be unprotected: the file is refused with the line and
/// what to do instead.
#[test]
fn production_with_protected_false_is_refused() {
    let e = parse_err(&FULL.replace(
        "kind = \"production\"\n",
        "kind = \"production\"\nprotected = false\n",
    ));
    assert!(e.message.contains("envdeck.toml:11:"), "{}", e.message);
    assert!(
        e.message.contains("environments.prod.protected"),
        "{}",
        e.message
    );
    assert!(
        e.message.contains("always protected") && e.message.contains("kind"),
        "{}",
        e.message
    );
}

/// `env_file` naming a folder or a pipe says so, instead of "does not exist".
#[test]
fn an_env_file_that_is_not_a_regular_file_says_so() {
    let d = ws_dir();
    std::fs::create_dir(d.join("envdir")).unwrap();
    let fifo = d.join("envpipe");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    for target in ["envdir", "envpipe"] {
        let p = d.write("envdeck.toml", &FULL.replace(".env.production", target));
        let e = workspace::load(&p).expect_err("not a regular file");
        assert!(
            e.message.contains("is not a regular file") && e.message.contains(target),
            "{target}: {}",
            e.message
        );
        assert!(!e.message.contains("does not exist"), "{}", e.message);
    }
}

/// The password-in-URL warning is printed once by every command that loads the workspace,
/// naming the environment.
#[test]
fn every_command_prints_the_password_warning_once() {
    let d = Dir::new();
    let ws = d.demo();
    let text = std::fs::read_to_string(&ws).unwrap();
    let pg_like = "postgres://app:WarnPwPlanted@127.0.0.1:1/app";
    let text = text
        + &format!(
            "\n[environments.qa]\nkind = \"staging\"\ndatabase = {{ url = \"{pg_like}\" }}\n"
        );
    std::fs::write(&ws, text).unwrap();
    let w = ws.to_str().unwrap();
    let runs: Vec<Vec<&str>> = vec![
        vec!["--workspace", w, "status"],
        vec!["--workspace", w, "check", "--from", "dev", "--to", "prod"],
        vec!["--workspace", w, "secret", "list"],
        vec![
            "--workspace",
            w,
            "table-diff",
            "--from",
            "dev",
            "--to",
            "prod",
            "--table",
            "roles",
            "--key",
            "name",
        ],
    ];
    for args in runs {
        let out = d.cmd(&args).run();
        let n = out.stderr.matches("contains a password").count();
        assert_eq!(n, 1, "{args:?} printed it {n} times:\n{}", out.stderr);
        assert!(
            out.stderr.contains("database URL of qa"),
            "{args:?}: {}",
            out.stderr
        );
        assert!(!out.stderr.contains("WarnPwPlanted") && !out.stdout.contains("WarnPwPlanted"));
    }
}

/// A `[[reference_data]]` keyed by a secret column is refused: matching rows by it would
/// mean reading the secret.
#[test]
fn reference_data_keyed_by_a_secret_column_is_refused() {
    for key in ["api_key", "access_token"] {
        let e = parse_err(&FULL.replace(
            "table = \"roles\"\nkey = [\"name\"]",
            &format!("table = \"roles\"\nkey = [\"{key}\"]"),
        ));
        assert!(e.message.contains("reference_data.0.key"), "{}", e.message);
        let line = FULL
            .lines()
            .collect::<Vec<_>>()
            .iter()
            .rposition(|l| *l == "key = [\"name\"]")
            .unwrap()
            + 1;
        assert!(
            e.message.contains(&format!("envdeck.toml:{line}:")),
            "{}",
            e.message
        );
        assert!(e.message.contains("secret column"), "{}", e.message);
    }
}

/// A `[workflows]` mapping that names a secret column is refused: it would be read and shown.
#[test]
fn a_workflow_mapping_that_names_a_secret_column_is_refused() {
    let e = parse_err(&FULL.replace(
        "table = \"workflows\"\nkey = [\"name\"]",
        "table = \"workflows\"\nkey = [\"webhook_secret\"]",
    ));
    assert!(e.message.contains("workflows.key"), "{}", e.message);
    assert!(e.message.contains("secret column"), "{}", e.message);
}
