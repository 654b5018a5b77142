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
    let pw = planted("SetListDelete-");
    let value = format!("postgres://app:{pw}@db.test/app");

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
    assert!(!outputs.contains(&pw), "a value was printed");
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
    let pw = planted("NoBus-");
    let value = format!("postgres://app:{pw}@db.test/app");
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
            !String::from_utf8_lossy(&bytes).contains(&pw),
            "value written to {}",
            p.display()
        );
    }
}

/// An environment whose keychain is unavailable: its status says what to do in a sentence,
/// and the platform's own text (a D-Bus error) is only in `error_detail`, which the window
/// folds away. A status without a technical part has no `error_detail` at all.
#[test]
fn an_unavailable_keychain_status_is_a_sentence_with_the_detail_apart() {
    let d = Dir::new();
    ws_with_secret_db(&d, "fold");
    d.write("dev.db", "");
    let out = d
        .cmd(&["status", "--json"])
        .env(
            "DBUS_SESSION_BUS_ADDRESS",
            "unix:path=/nonexistent/envdeck-test-bus",
        )
        .run();
    assert_eq!(out.code, 1, "{}", out.stderr);
    let report = out.json();
    let prod = &report["environments"][1];
    assert_eq!(prod["error_code"], "keychain_unavailable", "{prod}");
    let error = prod["error"].as_str().unwrap();
    let detail = prod["error_detail"].as_str().unwrap();
    assert!(
        error.starts_with("The OS keychain is unavailable") && error.ends_with("then try again."),
        "{error}"
    );
    assert!(!detail.is_empty());
    assert!(
        !error.contains(detail),
        "the detail is also in the sentence: {error}"
    );
    for technical in ["DBus", "D-Bus", "os error", "/nonexistent"] {
        assert!(!error.contains(technical), "{technical} in: {error}");
    }
    let dev = &report["environments"][0];
    assert!(dev.get("error_detail").is_none(), "{dev}");

    // The human output prints the sentence, then the detail under it.
    let text = d
        .cmd(&["status"])
        .env(
            "DBUS_SESSION_BUS_ADDRESS",
            "unix:path=/nonexistent/envdeck-test-bus",
        )
        .run();
    let sentence = text
        .stdout
        .find(error)
        .expect("the sentence in status's output");
    let below = text
        .stdout
        .find(&format!("detail: {detail}"))
        .unwrap_or_else(|| panic!("no detail line in:\n{}", text.stdout));
    assert!(sentence < below, "{}", text.stdout);
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

/// A Secret Service of this test's own: a private D-Bus daemon and a gnome-keyring-daemon on
/// it, so a test can stop or starve it without touching the suite's shared keyring. Both
/// processes are killed on drop.
struct OwnKeyring {
    bus: std::process::Child,
    daemon: std::process::Child,
    /// `DBUS_SESSION_BUS_ADDRESS` for the envdeck runs that should use this keyring.
    address: String,
    _dirs: tempfile::TempDir,
}

impl OwnKeyring {
    /// `unlocked`: started with `--unlock` (a usable login keyring); otherwise started with
    /// a fresh, empty data folder and no password, so there is no default keyring at all.
    fn start(unlocked: bool) -> OwnKeyring {
        use std::io::{BufRead, Write};
        use std::process::{Command, Stdio};
        let dirs = tempfile::Builder::new()
            .prefix("envdeck-own-keyring")
            .tempdir()
            .unwrap();
        let (data, runtime) = (dirs.path().join("data"), dirs.path().join("runtime"));
        std::fs::create_dir_all(&data).unwrap();
        std::fs::create_dir_all(&runtime).unwrap();
        std::fs::set_permissions(
            &runtime,
            std::os::unix::fs::PermissionsExt::from_mode(0o700),
        )
        .unwrap();
        let mut bus = Command::new("dbus-daemon")
            .args(["--session", "--nofork", "--print-address=1"])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("dbus-daemon");
        let mut address = String::new();
        std::io::BufReader::new(bus.stdout.take().unwrap())
            .read_line(&mut address)
            .unwrap();
        let address = address.trim().to_string();
        assert!(!address.is_empty(), "dbus-daemon printed no address");
        let mut args = vec!["--components=secrets", "--foreground"];
        if unlocked {
            args.push("--unlock");
        }
        let mut daemon = Command::new("gnome-keyring-daemon")
            .args(&args)
            .env("DBUS_SESSION_BUS_ADDRESS", &address)
            .env("XDG_DATA_HOME", &data)
            .env("XDG_RUNTIME_DIR", &runtime)
            .env_remove("DISPLAY")
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("gnome-keyring-daemon");
        {
            let mut si = daemon.stdin.take().unwrap();
            if unlocked {
                si.write_all(b"own-keyring-password\n").unwrap();
            }
        }
        let mut k = OwnKeyring {
            bus,
            daemon,
            address,
            _dirs: dirs,
        };
        for _ in 0..100 {
            if k.name_owned() {
                return k;
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        k.kill();
        panic!("gnome-keyring-daemon did not appear on the test's own bus");
    }

    fn name_owned(&self) -> bool {
        let out = std::process::Command::new("dbus-send")
            .arg(format!("--bus={}", self.address))
            .args([
                "--print-reply",
                "--dest=org.freedesktop.DBus",
                "/org/freedesktop/DBus",
                "org.freedesktop.DBus.NameHasOwner",
                "string:org.freedesktop.secrets",
            ])
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).contains("boolean true")
    }

    /// Freezes the daemon: it keeps its name on the bus but never answers again.
    fn freeze(&self) {
        signal(self.daemon.id(), "-STOP");
    }

    fn kill(&mut self) {
        signal(self.daemon.id(), "-CONT");
        let _ = self.daemon.kill();
        let _ = self.daemon.wait();
        let _ = self.bus.kill();
        let _ = self.bus.wait();
    }
}

impl Drop for OwnKeyring {
    fn drop(&mut self) {
        self.kill();
    }
}

fn signal(pid: u32, sig: &str) {
    let _ = std::process::Command::new("kill")
        .args([sig, &pid.to_string()])
        .status();
}

/// A Secret Service that owns its name but never answers (a hung daemon) must not hang
/// envdeck for D-Bus's 25 s: every keychain call gives up after 5 s with
/// `keychain_unavailable` and says what to do.
#[test]
fn a_keychain_that_does_not_answer_fails_within_seconds() {
    let kr = OwnKeyring::start(true);
    let d = Dir::new();
    ws_with_secret_db(&d, "hung");
    d.write("dev.db", "");
    kr.freeze();

    let started = std::time::Instant::now();
    let list = d
        .cmd(&["secret", "list"])
        .env("DBUS_SESSION_BUS_ADDRESS", &kr.address)
        .run();
    let took = started.elapsed();
    assert_eq!(list.code, 1, "{}", list.stderr);
    assert!(
        list.stderr.contains("error[keychain_unavailable]")
            && list.stderr.contains("did not answer within 5 s")
            && list.stderr.contains("try again"),
        "{}",
        list.stderr
    );
    assert!(took < std::time::Duration::from_secs(8), "took {took:?}");

    let started = std::time::Instant::now();
    let status = d
        .cmd(&["status", "--json"])
        .env("DBUS_SESSION_BUS_ADDRESS", &kr.address)
        .run();
    let took = started.elapsed();
    assert_eq!(status.code, 1, "{}", status.stderr);
    let prod = &status.json()["environments"][1];
    assert_eq!(prod["error_code"], "keychain_unavailable", "{prod}");
    assert!(took < std::time::Duration::from_secs(8), "took {took:?}");

    let started = std::time::Instant::now();
    let del = d
        .cmd(&["secret", "delete", "prod", "DATABASE_URL"])
        .env("DBUS_SESSION_BUS_ADDRESS", &kr.address)
        .run();
    assert!(
        del.stderr.contains("error[keychain_unavailable]"),
        "{}",
        del.stderr
    );
    assert!(started.elapsed() < std::time::Duration::from_secs(8));
}

/// A Secret Service that answers but has no usable keyring (no default collection, nothing
/// unlocked): "not set" would be a lie, so every command says the keychain is unavailable.
#[test]
fn a_secret_service_without_a_usable_keyring_is_unavailable() {
    let kr = OwnKeyring::start(false);
    let d = Dir::new();
    ws_with_secret_db(&d, "nokr");
    d.write("dev.db", "");
    let bus = kr.address.clone();

    let list = d
        .cmd(&["secret", "list"])
        .env("DBUS_SESSION_BUS_ADDRESS", &bus)
        .run();
    assert_eq!(list.code, 1, "{}{}", list.stdout, list.stderr);
    assert!(
        list.stderr.contains("error[keychain_unavailable]") && list.stderr.contains("unlock"),
        "{}",
        list.stderr
    );
    assert!(!list.stdout.contains("not set"), "{}", list.stdout);

    let status = d
        .cmd(&["status", "--json"])
        .env("DBUS_SESSION_BUS_ADDRESS", &bus)
        .run();
    let prod = &status.json()["environments"][1];
    assert_eq!(prod["error_code"], "keychain_unavailable", "{prod}");

    let del = d
        .cmd(&["secret", "delete", "prod", "DATABASE_URL"])
        .env("DBUS_SESSION_BUS_ADDRESS", &bus)
        .run();
    assert_eq!(del.code, 1, "{}", del.stderr);
    assert!(
        del.stderr.contains("error[keychain_unavailable]") && !del.stderr.contains("was not set"),
        "{}",
        del.stderr
    );

    let set = d
        .cmd(&["secret", "set", "prod", "DATABASE_URL"])
        .env("DBUS_SESSION_BUS_ADDRESS", &bus)
        .stdin("postgres://app@db.test/app")
        .run();
    assert_eq!(set.code, 1, "{}", set.stderr);
    assert!(
        set.stderr.contains("error[keychain_unavailable]"),
        "{}",
        set.stderr
    );
}

/// A value stored as a database's secret must be a database URL: anything else is refused
/// before it reaches the keychain, and the message does not repeat it.
#[test]
fn a_database_secret_that_is_not_a_database_url_is_refused_before_it_is_stored() {
    require_private_keyring();
    let d = Dir::new();
    let name = format!("url{}", &planted("")[..8]);
    d.write(
        "envdeck.toml",
        &format!(
            "name = \"{name}\"\n\n[environments.dev]\nkind = \"development\"\ndatabase = {{ url = \"sqlite://dev.db\" }}\n\n[environments.prod]\nkind = \"production\"\ndatabase = {{ secret = \"MAIN_DB\" }}\n"
        ),
    );
    let lookup = |account: &str| {
        std::process::Command::new("secret-tool")
            .args(["lookup", "service", "envdeck", "username", account])
            .output()
            .unwrap()
    };
    for (secret, value) in [
        ("DATABASE_URL", planted("hunter2-")),
        ("MAIN_DB", planted("not a url ")),
        (
            "MAIN_DB",
            format!("https://user:{}@db.test/app", planted("pw")),
        ),
        (
            "DATABASE_URL",
            format!("postgres://u:{}@[bad/db", planted("pw")),
        ),
    ] {
        let out = d
            .cmd(&["secret", "set", "prod", secret])
            .stdin(&value)
            .run();
        assert_eq!(out.code, 1, "{secret}: {}", out.stderr);
        assert!(
            out.stderr.contains("error[invalid_input]")
                && out.stderr.contains("not a database URL")
                && out.stderr.contains("postgres://"),
            "{secret}: {}",
            out.stderr
        );
        assert!(!out.stderr.contains(&value), "value echoed: {}", out.stderr);
        let stored = lookup(&format!("{name}/prod/{secret}"));
        assert!(
            stored.stdout.is_empty(),
            "{secret} was stored despite the refusal"
        );
    }
    // Database URLs of both engines, and other secrets, are still accepted.
    for (secret, value) in [
        ("DATABASE_URL", "sqlite://prod.db"),
        (
            "MAIN_DB",
            "postgresql://app@db.test:5432/app?sslmode=require",
        ),
        ("SMTP_PASSWORD", "not a url at all"),
    ] {
        let out = d.cmd(&["secret", "set", "prod", secret]).stdin(value).run();
        assert!(out.ok(), "{secret}: {}", out.stderr);
        assert!(
            d.cmd(&["secret", "delete", "prod", secret]).run().ok(),
            "cleanup {secret}"
        );
    }
    let outputs = d.outputs.borrow().join("\n");
    assert!(!outputs.contains("hunter2-"), "a value was printed");
}
