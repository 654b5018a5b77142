//! Workspaces written from the window: a new envdeck.toml, a database source changed in
//! place, a pasted password moved to the keychain. Against the real Secret Service and
//! PostgreSQL; the forms arrive as the window sends them (JSON).

use envdeck::api::{Context, session, workspace as api};
use envdeck::error::ErrorCode;
use envdeck::workspace::create::{DatabaseInput, NewWorkspace};
use serde_json::json;

use crate::util::pg::cluster;
use crate::util::{Dir, planted, require_private_keyring, rt};

fn form(v: serde_json::Value) -> NewWorkspace {
    serde_json::from_value(v).expect("the window's form shape")
}

fn source(v: serde_json::Value) -> DatabaseInput {
    serde_json::from_value(v).expect("the window's source shape")
}

/// What the real Secret Service holds for `<workspace>/<env>/<name>` ("" when nothing).
fn keychain(workspace: &str, env: &str, name: &str) -> String {
    let out = std::process::Command::new("secret-tool")
        .args([
            "lookup",
            "service",
            "envdeck",
            "username",
            &format!("{workspace}/{env}/{name}"),
        ])
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The window's "New workspace" with a pasted PostgreSQL URL: the password is in the
/// keychain and nowhere in the file, the workspace opens (and is the one the next start
/// opens), and prod is reached through the URL from the keychain.
#[test]
fn a_new_workspace_keeps_a_pasted_password_in_the_keychain_and_reaches_postgres() {
    require_private_keyring();
    let pg = cluster();
    let db = pg.product_db("created", 3, 1);
    let url = pg.url_for(&db);
    let password = pg.admin.password().unwrap().to_string();
    let d = Dir::new();
    crate::util::sqlite_exec(&d.join("dev.db"), &["CREATE TABLE t (x int)"]);
    let name = format!("new{}", &planted("")[..8]);
    let input = form(json!({
        "path": d.path().to_string_lossy(),
        "name": name,
        "environments": [
            {"name": "dev", "kind": "development", "protected": false,
             "database": {"type": "sqlite", "path": d.join("dev.db").to_string_lossy()}},
            {"name": "prod", "kind": "production", "protected": true,
             "database": {"type": "url", "url": url}},
        ],
    }));
    rt().block_on(async {
        let ctx = Context::open(&d.data_dir()).await.unwrap();
        let check = api::check_new(&ctx, &input).await;
        assert!(check.problems.is_empty(), "{:?}", check.problems);
        assert!(!check.exists);
        let view = api::create_from_window(&ctx, &input, false).await.unwrap();
        let file = d.join("envdeck.toml");
        assert_eq!(view.path, file.to_string_lossy());
        assert!(view.warnings.is_empty(), "{:?}", view.warnings);

        let text = std::fs::read_to_string(&file).unwrap();
        assert!(!text.contains(&password), "the password is in the file:\n{text}");
        assert!(
            text.contains("[environments.prod]\nkind = \"production\"\ndatabase = { secret = \"DATABASE_URL\" }"),
            "{text}"
        );
        assert!(
            text.contains("database = { url = \"sqlite://dev.db\" }"),
            "a file inside the workspace's folder is written relative: {text}"
        );
        assert_eq!(keychain(&name, "prod", "DATABASE_URL"), url);

        for env in ["dev", "prod"] {
            let status = session::environment_status(&ctx, &file, env).await.unwrap();
            assert!(status.reachable, "{env}: {:?}", status.error);
        }
        let again = session::workspace_current(&ctx).await.unwrap();
        assert_eq!(again.path, view.path, "the new workspace opens next time too");
    });
    let logs = d.data_files();
    for (path, bytes) in logs {
        assert!(
            !String::from_utf8_lossy(&bytes).contains(&password),
            "{} holds the password",
            path.display()
        );
    }
}

/// An envdeck.toml already there is left alone unless the person said to replace it.
#[test]
fn an_existing_workspace_file_is_replaced_only_when_confirmed() {
    let d = Dir::new();
    let old = "name = \"old\"   # mine\n\n[environments.dev]\nkind = \"development\"\ndatabase = { url = \"sqlite://x.db\" }\n";
    let file = d.write("envdeck.toml", old);
    d.write("dev.db", "");
    let input = form(json!({
        "path": file.to_string_lossy(),
        "name": "fresh",
        "environments": [{"name": "dev", "kind": "development", "protected": false,
                          "database": {"type": "sqlite", "path": "dev.db"}}],
    }));
    rt().block_on(async {
        let ctx = Context::open(&d.data_dir()).await.unwrap();
        let check = api::check_new(&ctx, &input).await;
        assert!(check.exists && check.problems.is_empty(), "{check:?}");
        let e = api::create_from_window(&ctx, &input, false)
            .await
            .unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidInput);
        assert!(
            e.message.contains("already exists and was left as it is"),
            "{}",
            e.message
        );
        assert_eq!(std::fs::read_to_string(&file).unwrap(), old);
        let view = api::create_from_window(&ctx, &input, true).await.unwrap();
        assert_eq!(view.name, "fresh");
    });
}

/// A form with mistakes names each field with a sentence, and nothing is written: no file,
/// no keychain entry (even for the environment whose URL was fine).
#[test]
fn a_form_with_mistakes_names_each_field_and_writes_nothing() {
    require_private_keyring();
    let d = Dir::new();
    let pw = planted("Pw");
    let name = format!("bad{}", &planted("")[..8]);
    let input = form(json!({
        "path": d.path().to_string_lossy(),
        "name": name,
        "environments": [
            {"name": "prod", "kind": "production", "protected": true,
             "database": {"type": "url", "url": format!("postgres://app:{pw}@db.example.com:5432/app")}},
            {"name": "prod", "kind": "production", "protected": false,
             "database": {"type": "url", "url": format!("mysql://app:{pw}@db.example.com/app")}},
        ],
    }));
    rt().block_on(async {
        let ctx = Context::open(&d.data_dir()).await.unwrap();
        let check = api::check_new(&ctx, &input).await;
        let fields: Vec<&str> = check.problems.iter().map(|p| p.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "environments.1.name",
                "environments.1.protected",
                "environments.1.database"
            ]
        );
        let shown = serde_json::to_string(&check.problems).unwrap();
        assert!(!shown.contains(&pw), "{shown}");
        assert!(
            shown.contains("mysql://app:****@db.example.com/app"),
            "{shown}"
        );
        let e = api::create_from_window(&ctx, &input, false)
            .await
            .unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidInput);
        assert!(
            e.message.starts_with("nothing was written"),
            "{}",
            e.message
        );
        assert!(!e.message.contains(&pw));
    });
    assert!(!d.join("envdeck.toml").exists());
    assert_eq!(keychain(&name, "prod", "DATABASE_URL"), "");
}

/// The "New workspace" form for `name` in `dir`, its prod reading a pasted URL.
fn with_prod_url(dir: &std::path::Path, name: &str, url: &str) -> NewWorkspace {
    form(json!({
        "path": dir.to_string_lossy(),
        "name": name,
        "environments": [{"name": "prod", "kind": "production", "protected": true,
                          "database": {"type": "url", "url": url}}],
    }))
}

/// A second workspace with the same name as one whose password is in the keychain: the
/// form says so under the name, creating it is refused with a sentence, and the first
/// workspace's secret and the folder are left as they were.
#[test]
fn creating_a_workspace_never_replaces_another_workspaces_secrets() {
    require_private_keyring();
    let first = Dir::new();
    let second = Dir::new();
    let name = format!("same{}", &planted("")[..8]);
    let theirs = format!("postgres://app:{}@db.example.com:5432/app", planted("Old"));
    let mine = format!("postgres://app:{}@db.example.com:5432/app", planted("New"));
    rt().block_on(async {
        let ctx = Context::open(&first.data_dir()).await.unwrap();
        api::create_from_window(&ctx, &with_prod_url(first.path(), &name, &theirs), false)
            .await
            .unwrap();
        assert_eq!(keychain(&name, "prod", "DATABASE_URL"), theirs);

        // Another data directory knows nothing of the first: the keychain is what is shared.
        let ctx = Context::open(&second.data_dir()).await.unwrap();
        let input = with_prod_url(second.path(), &name, &mine);
        let check = api::check_new(&ctx, &input).await;
        let said: Vec<(&str, &str)> = check
            .problems
            .iter()
            .map(|p| (p.field.as_str(), p.message.as_str()))
            .collect();
        let sentence = format!(
            "a workspace named \"{name}\" already keeps secrets for prod in the OS keychain, and creating this one would replace them: pick another name, or open that workspace instead"
        );
        assert_eq!(said, [("name", sentence.as_str())]);

        // The window's check is a preview: creating asks the keychain again.
        let e = api::create_from_window(&ctx, &input, false)
            .await
            .unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidInput);
        assert_eq!(e.message, format!("nothing was written: {sentence}"));
        assert!(!e.message.contains(&mine) && !e.message.contains(&theirs));
    });
    assert_eq!(
        keychain(&name, "prod", "DATABASE_URL"),
        theirs,
        "overwritten"
    );
    assert!(!second.join("envdeck.toml").exists(), "a file was written");
}

/// A create whose file cannot be written takes back the password it stored first, so the
/// keychain does not keep an orphan and trying again is not refused as a name in use.
#[test]
fn a_create_that_fails_after_storing_takes_its_secret_back() {
    require_private_keyring();
    let d = Dir::new();
    let name = format!("undo{}", &planted("")[..8]);
    let url = format!("postgres://app:{}@db.example.com:5432/app", planted("Undo"));
    // A dangling link looks free to the checks but the file cannot be created over it.
    let file = d.join("envdeck.toml");
    std::os::unix::fs::symlink(d.join("nowhere/x"), &file).unwrap();
    let input = with_prod_url(d.path(), &name, &url);
    rt().block_on(async {
        let ctx = Context::open(&d.data_dir()).await.unwrap();
        assert!(api::check_new(&ctx, &input).await.problems.is_empty());
        api::create_from_window(&ctx, &input, false)
            .await
            .unwrap_err();
        assert_eq!(keychain(&name, "prod", "DATABASE_URL"), "");

        std::fs::remove_file(&file).unwrap();
        api::create_from_window(&ctx, &input, false).await.unwrap();
        assert_eq!(keychain(&name, "prod", "DATABASE_URL"), url);
    });
}

const COMMENTED: &str = r#"# Acme's environments
name = "NAME"
schemas = ["public"]   # the default

[environments.dev]
kind = "development"       # laptops
database = { url = "sqlite://dev.db" }   # the seed database
app_url = "http://localhost:3000"

[environments.prod]
kind = "production"
database = { env = "PROD_DATABASE_URL" }

[workflows]
table = "workflows"
key = ["name"]
"#;

/// Settings > Environments > Change: only the database line changes (comments, order and
/// other keys kept); a URL with a password lands in the keychain, the file names it, and
/// the environment is reached with it.
#[test]
fn changing_a_database_source_keeps_the_rest_of_the_file() {
    require_private_keyring();
    let pg = cluster();
    let db = pg.product_db("edited", 1, 1);
    let url = pg.url_for(&db);
    let d = Dir::new();
    let name = format!("edit{}", &planted("")[..8]);
    let before = COMMENTED.replace("NAME", &name);
    let file = d.write("envdeck.toml", &before);
    d.write("dev.db", "");
    d.write("other.db", "");
    rt().block_on(async {
        let ctx = Context::open(&d.data_dir()).await.unwrap();
        let view = api::set_database_from_window(
            &ctx,
            &file,
            "dev",
            &source(json!({"type": "sqlite", "path": "other.db"})),
        )
        .await
        .unwrap();
        let text = std::fs::read_to_string(&file).unwrap();
        assert_eq!(
            text,
            before.replace("sqlite://dev.db", "sqlite://other.db"),
            "only the database changed"
        );
        let dev = view.environments.iter().find(|e| e.name == "dev").unwrap();
        assert_eq!(
            serde_json::to_value(&dev.database).unwrap(),
            json!({"type": "url", "display": "sqlite://other.db"})
        );

        api::set_database_from_window(
            &ctx,
            &file,
            "prod",
            &source(json!({"type": "url", "url": url})),
        )
        .await
        .unwrap();
        let text = std::fs::read_to_string(&file).unwrap();
        assert_eq!(
            text,
            before
                .replace("sqlite://dev.db", "sqlite://other.db")
                .replace(
                    "{ env = \"PROD_DATABASE_URL\" }",
                    "{ secret = \"DATABASE_URL\" }"
                )
        );
        assert_eq!(keychain(&name, "prod", "DATABASE_URL"), url);
        let status = session::environment_status(&ctx, &file, "prod")
            .await
            .unwrap();
        assert!(status.reachable, "{:?}", status.error);

        // A bad source changes nothing, and says why with the host shown.
        let e = api::set_database_from_window(
            &ctx,
            &file,
            "dev",
            &source(json!({"type": "sqlite", "path": "missing.db"})),
        )
        .await
        .unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidInput);
        assert!(
            e.message.contains("was not changed") && e.message.contains("missing.db"),
            "{}",
            e.message
        );
        assert_eq!(std::fs::read_to_string(&file).unwrap(), text);
    });
}

/// The banner's "Move to keychain": one call, the warning gone from the answer, the URL in
/// the keychain, the file's comments kept.
#[test]
fn moving_a_pasted_password_clears_the_warning_in_one_call() {
    require_private_keyring();
    let d = Dir::new();
    let name = format!("mv{}", &planted("")[..8]);
    let pw = planted("Mv");
    let url = format!("postgres://app:{pw}@db.example.com:5432/app");
    let before = COMMENTED.replace("NAME", &name).replace(
        "{ env = \"PROD_DATABASE_URL\" }",
        &format!("{{ url = \"{url}\" }}   # pasted"),
    );
    let file = d.write("envdeck.toml", &before);
    d.write("dev.db", "");
    rt().block_on(async {
        let ctx = Context::open(&d.data_dir()).await.unwrap();
        let opened = session::workspace_open(&ctx, &file).await.unwrap();
        assert_eq!(opened.warnings.len(), 1);
        assert!(opened.warnings[0].can_move_to_keychain);
        let moved = session::workspace_move_url_to_keychain(&ctx, &file, "prod")
            .await
            .unwrap();
        assert!(moved.warnings.is_empty(), "{:?}", moved.warnings);
        let text = std::fs::read_to_string(&file).unwrap();
        assert_eq!(
            text,
            before.replace(
                &format!("{{ url = \"{url}\" }}"),
                "{ secret = \"DATABASE_URL\" }"
            )
        );
        assert!(text.contains("{ secret = \"DATABASE_URL\" }   # pasted"));
        assert_eq!(keychain(&name, "prod", "DATABASE_URL"), url);
    });
}

/// Errors show where envdeck tried to go (host, port, path); only the password is masked.
#[test]
fn an_unreachable_database_error_shows_host_and_port_but_not_the_password() {
    let d = Dir::new();
    let pw = planted("Host");
    let file = d.write(
        "envdeck.toml",
        &format!(
            "name = \"h\"\n[environments.prod]\nkind = \"production\"\ndatabase = {{ url = \"postgres://app:{pw}@127.0.0.1:1/app\" }}\n[timeouts]\nconnect = 2\n"
        ),
    );
    rt().block_on(async {
        let ctx = Context::open(&d.data_dir()).await.unwrap();
        let status = session::environment_status(&ctx, &file, "prod")
            .await
            .unwrap();
        assert!(!status.reachable);
        let error = status.error.unwrap();
        assert!(
            error.contains("postgres://app:****@127.0.0.1:1/app"),
            "{error}"
        );
        assert!(!error.contains(&pw), "{error}");
    });
}
