//! The OS keychain through the real Secret Service (gnome-keyring on a private D-Bus, see
//! tests/with-keyring.sh), and the promise that a secret value never leaks.

use crate::util::pg::cluster;
use crate::util::{Dir, planted, require_private_keyring};

/// A workspace named uniquely per test, so tests sharing the keyring do not collide.
fn ws_with_secret_db(d: &Dir, label: &str) -> String {
    let name = format!("{label}{}", &planted("")[..8]);
    d.write(
        "envdeck.toml",
        &format!(
            "name = \"{name}\"\n\n[environments.dev]\nkind = \"development\"\ndatabase = {{ url = \"sqlite://dev.db\" }}\n\n[environments.prod]\nkind = \"production\"\ndatabase = {{ secret = \"DATABASE_URL\" }}\n"
        ),
    );
    name
}

#[test]
fn secrets_can_be_set_listed_and_deleted_without_showing_values() {
    require_private_keyring();
    let d = Dir::new();
    let name = ws_with_secret_db(&d, "kc");
    let value = planted("SetListDelete-");

    let list = d.cmd(&["secret", "list", "--json"]).run();
    assert!(list.ok(), "{}", list.stderr);
    assert_eq!(
        list.json(),
        serde_json::json!([{"env":"prod","name":"DATABASE_URL","is_set":false,"used_by":"database"}])
    );

    let set = d
        .cmd(&["secret", "set", "prod", "DATABASE_URL"])
        .stdin(&format!("{value}\n"))
        .run();
    assert!(set.ok(), "{}", set.stderr);
    let set2 = d
        .cmd(&["secret", "set", "dev", "SMTP_PASSWORD"])
        .stdin(&value)
        .run();
    assert!(set2.ok(), "{}", set2.stderr);

    // The real Secret Service holds it, under service envdeck and the documented account.
    let lookup = std::process::Command::new("secret-tool")
        .args([
            "lookup",
            "service",
            "envdeck",
            "username",
            &format!("{name}/prod/DATABASE_URL"),
        ])
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&lookup.stdout),
        value,
        "stored as given, newline dropped"
    );

    let list = d.cmd(&["secret", "list"]).run();
    assert!(list.ok());
    assert!(list.stdout.contains("prod") && list.stdout.contains("DATABASE_URL"));
    let line = list
        .stdout
        .lines()
        .find(|l| l.contains("SMTP_PASSWORD"))
        .unwrap();
    assert!(line.contains("set") && !line.contains("not set"), "{line}");
    let only_dev = d.cmd(&["secret", "list", "dev", "--json"]).run().json();
    assert_eq!(only_dev.as_array().unwrap().len(), 1);

    let del = d.cmd(&["secret", "delete", "prod", "DATABASE_URL"]).run();
    assert!(del.ok(), "{}", del.stderr);
    let after = d.cmd(&["secret", "list", "prod", "--json"]).run().json();
    assert_eq!(
        after[0]["is_set"], false,
        "still listed because the workspace uses it"
    );
    let again = d.cmd(&["secret", "delete", "prod", "DATABASE_URL"]).run();
    assert!(
        again.ok() && again.stderr.contains("was not set"),
        "{}",
        again.stderr
    );
    assert!(
        d.cmd(&["secret", "delete", "dev", "SMTP_PASSWORD"])
            .run()
            .ok()
    );

    let outputs = d.outputs.borrow().join("\n");
    assert!(!outputs.contains(&value), "a value was printed");
}

#[test]
fn bad_secret_input_is_refused_with_a_reason() {
    require_private_keyring();
    let d = Dir::new();
    ws_with_secret_db(&d, "bad");
    let empty = d
        .cmd(&["secret", "set", "prod", "DATABASE_URL"])
        .stdin("")
        .run();
    assert_eq!(empty.code, 1);
    assert!(
        empty.stderr.contains("error[invalid_input]") && empty.stderr.contains("empty"),
        "{}",
        empty.stderr
    );
    let slash = d.cmd(&["secret", "set", "prod", "A/B"]).stdin("x").run();
    assert!(
        slash.stderr.contains("error[invalid_input]"),
        "{}",
        slash.stderr
    );
    let no_env = d.cmd(&["secret", "set", "qa", "X"]).stdin("x").run();
    assert!(
        no_env.stderr.contains("no environment named \"qa\""),
        "{}",
        no_env.stderr
    );
}

/// `database = { secret = "DATABASE_URL" }`: envdeck connects with the URL from the keychain.
#[test]
fn a_database_url_from_the_keychain_connects() {
    require_private_keyring();
    let pg = cluster();
    let db = pg.product_db("kc", 4, 2);
    let d = Dir::new();
    ws_with_secret_db(&d, "conn");
    d.write("dev.db", "");
    let before = d.cmd(&["status", "--json"]).run();
    let prod = &before.json()["environments"][1];
    assert_eq!(prod["error_code"], "secret_missing", "{prod}");
    assert!(
        prod["error"]
            .as_str()
            .unwrap()
            .contains("envdeck secret set prod DATABASE_URL")
    );

    let set = d
        .cmd(&["secret", "set", "prod", "DATABASE_URL"])
        .stdin(&pg.url_for(&db))
        .run();
    assert!(set.ok(), "{}", set.stderr);
    let out = d.cmd(&["status", "--json"]).run();
    let prod = &out.json()["environments"][1];
    assert_eq!(prod["reachable"], true, "{prod}");
    assert_eq!(prod["integrations"], 4);
    assert_eq!(prod["workflows"], 2);
    assert!(
        d.cmd(&["secret", "delete", "prod", "DATABASE_URL"])
            .run()
            .ok()
    );
}

/// No Secret Service on the bus: envdeck fails closed with `keychain_unavailable` and says
/// how to fix it; nothing is written anywhere else.
#[test]
fn without_a_secret_service_the_keychain_is_unavailable() {
    let d = Dir::new();
    ws_with_secret_db(&d, "nobus");
    let value = planted("NoBus-");
    for args in [
        vec!["secret", "list"],
        vec!["secret", "set", "prod", "DATABASE_URL"],
        vec!["secret", "delete", "prod", "DATABASE_URL"],
    ] {
        let out = d
            .cmd(&args)
            .env(
                "DBUS_SESSION_BUS_ADDRESS",
                "unix:path=/nonexistent/envdeck-test-bus",
            )
            .stdin(&value)
            .run();
        assert_eq!(out.code, 1, "{args:?}: {}", out.stderr);
        assert!(
            out.stderr.contains("error[keychain_unavailable]"),
            "{args:?}: {}",
            out.stderr
        );
        assert!(
            out.stderr.contains("Secret Service"),
            "says what to start: {}",
            out.stderr
        );
    }
    for (p, bytes) in d.data_files() {
        assert!(
            !String::from_utf8_lossy(&bytes).contains(&value),
            "value written to {}",
            p.display()
        );
    }
}

/// A scripted session — set a secret, connect with it, status, an error — then a search of
/// the data directory (SQLite store included), the logs and every CLI output for the planted
/// values finds nothing.
#[test]
fn a_planted_secret_never_reaches_disk_logs_or_output() {
    require_private_keyring();
    let pg = cluster();
    let db = pg.product_db("leak", 2, 1);
    let role = format!("leak_{}", std::process::id());
    let password = planted("PlantedPw");
    pg.exec(
        "postgres",
        &format!("CREATE ROLE {role} LOGIN SUPERUSER PASSWORD '{password}'"),
    );
    let wrong = planted("PlantedWrong");
    let d = Dir::new();
    ws_with_secret_db(&d, "leak");
    d.write("dev.db", "");
    let good_url = pg.url(&db, &role, &password);
    let bad_url = pg.url(&db, &role, &wrong);

    assert!(
        d.cmd(&["secret", "set", "prod", "DATABASE_URL"])
            .stdin(&good_url)
            .run()
            .ok()
    );
    let ok = d.cmd(&["-vv", "status", "--json"]).run();
    assert_eq!(
        ok.json()["environments"][1]["reachable"],
        true,
        "{}",
        ok.stdout
    );
    d.cmd(&["-vv", "status"]).run();
    d.cmd(&["secret", "list", "--json"]).run();
    assert!(
        d.cmd(&["secret", "set", "prod", "DATABASE_URL"])
            .stdin(&bad_url)
            .run()
            .ok()
    );
    let bad = d.cmd(&["-vv", "status", "--json"]).run();
    assert_eq!(
        bad.json()["environments"][1]["error_code"],
        "db_auth_failed"
    );
    d.cmd(&["-vv", "status"]).run();
    assert!(
        d.cmd(&["secret", "delete", "prod", "DATABASE_URL"])
            .run()
            .ok()
    );

    let files = d.data_files();
    assert!(
        files.iter().any(|(p, _)| p.ends_with("state.db")),
        "the store was written"
    );
    assert!(
        files
            .iter()
            .any(|(p, b)| p.to_string_lossy().contains("logs") && !b.is_empty()),
        "logs were written"
    );
    for needle in [&password, &wrong] {
        for (p, bytes) in &files {
            let hay = String::from_utf8_lossy(bytes);
            assert!(
                !hay.contains(needle.as_str()),
                "{needle} found in {}",
                p.display()
            );
        }
        for o in d.outputs.borrow().iter() {
            assert!(!o.contains(needle.as_str()), "{needle} printed: {o}");
        }
    }
}
