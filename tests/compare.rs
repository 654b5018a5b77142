//! Comparing environments and `envdeck check`: every kind of finding on real databases,
//! noise that must not count, exit codes, and no secret in any output.

use std::collections::BTreeSet;

use crate::util::pg::cluster;
use crate::util::{Dir, planted};

fn kinds(report: &serde_json::Value) -> BTreeSet<(String, String, String)> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["area"].as_str().unwrap().to_string(),
                f["kind"].as_str().unwrap().to_string(),
                f["key"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// The findings are exactly `expected` (area, kind, key), nothing missing and nothing else.
fn assert_exactly(found: &BTreeSet<(String, String, String)>, expected: &[(&str, &str, &str)]) {
    let want: BTreeSet<(String, String, String)> = expected
        .iter()
        .map(|(a, k, y)| (a.to_string(), k.to_string(), y.to_string()))
        .collect();
    assert_eq!(want.len(), expected.len(), "duplicate expectations");
    assert_eq!(found, &want, "findings differ from the planted ones");
}

fn has(set: &BTreeSet<(String, String, String)>, area: &str, kind: &str, key: &str) -> bool {
    set.contains(&(area.to_string(), kind.to_string(), key.to_string()))
}

/// The demo's seeded drift (src-tauri/demo/README.md, listed in
/// src-tauri/demo/expected-drift.json) is exactly what `check` reports.
#[test]
fn check_finds_the_demo_workspace_drift_and_exits_3() {
    let d = Dir::new();
    let ws = d.demo();
    let out = d
        .cmd(&[
            "--workspace",
            ws.to_str().unwrap(),
            "check",
            "--from",
            "dev",
            "--to",
            "prod",
            "--json",
        ])
        .run();
    assert_eq!(
        out.code, 3,
        "critical isolation findings → 3\n{}",
        out.stderr
    );
    let j = out.json();
    assert_eq!(j["from"], "dev");
    assert_eq!(j["to"], "prod");
    // Exactly the fixture's findings, severities included: node ids, positions and ids are
    // noise and are not reported.
    let found: BTreeSet<(String, String, String, String)> = j["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let s = |k: &str| f[k].as_str().unwrap().to_string();
            (s("area"), s("kind"), s("key"), s("severity"))
        })
        .collect();
    let expected = crate::fixtures::expected_drift();
    let want: BTreeSet<_> = expected.iter().cloned().collect();
    assert_eq!(want.len(), expected.len(), "duplicate expectations");
    assert_eq!(
        found, want,
        "findings differ from src-tauri/demo/expected-drift.json"
    );
    let stripe = j["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["key"] == "Stripe failed payment follow-up")
        .unwrap();
    let detail = stripe["detail"].as_str().unwrap();
    assert!(
        detail.contains("nodes.Create HubSpot Task")
            && detail.contains("nodes.Wait.parameters.amount"),
        "{detail}"
    );
    assert!(
        j["findings"]
            .as_array()
            .unwrap()
            .iter()
            .all(|f| f["severity"] != "critical" || f["area"] == "isolation")
    );

    // No value from the env files or token columns appears anywhere.
    let env_prod = std::fs::read_to_string(d.join("demo/.env.production")).unwrap();
    let mut all = out.stdout.clone();
    let human = d
        .cmd(&[
            "--workspace",
            ws.to_str().unwrap(),
            "check",
            "--from",
            "dev",
            "--to",
            "prod",
        ])
        .run();
    all.push_str(&human.stdout);
    all.push_str(&human.stderr);
    let sensitive = [
        "SECRET",
        "KEY",
        "TOKEN",
        "PASSWORD",
        "DSN",
        "URL",
        "DEPLOYMENT",
    ];
    let mut checked = 0;
    for line in env_prod
        .lines()
        .filter(|l| l.contains('=') && !l.starts_with('#'))
    {
        let (name, value) = line.split_once('=').unwrap();
        let value = value.trim_matches('"');
        if sensitive.iter().any(|w| name.contains(w)) && value.len() >= 8 {
            assert!(!all.contains(value), "the value of {name} leaked");
            checked += 1;
        }
    }
    assert!(
        checked >= 10,
        "the leak check looked at {checked} values only"
    );
    assert!(
        !all.contains("demo-dev-") && !all.contains("demo-prod-"),
        "a token leaked"
    );

    // The readable report groups by area and ends with a one-line summary.
    assert_eq!(human.code, 3);
    assert!(
        human.stdout.contains("\nisolation\n") && human.stdout.contains("\nintegrations\n"),
        "{}",
        human.stdout
    );
    let last = human.stdout.trim_end().lines().last().unwrap();
    assert!(
        last.contains("26 finding(s): 4 critical, 21 warning, 1 info"),
        "{last}"
    );
}

#[test]
fn area_filters_and_exit_codes_follow_the_contract() {
    let d = Dir::new();
    let ws = d.demo();
    let w = ws.to_str().unwrap();
    let config = d
        .cmd(&[
            "--workspace",
            w,
            "check",
            "--from",
            "dev",
            "--to",
            "prod",
            "--area",
            "config",
            "--json",
        ])
        .run();
    assert_eq!(config.code, 2, "drift without critical → 2");
    assert!(kinds(&config.json()).iter().all(|(a, _, _)| a == "config"));
    // prod → prod is refused (1); an unknown area is a usage error (64); both say why.
    let same = d
        .cmd(&["--workspace", w, "check", "--from", "prod", "--to", "prod"])
        .run();
    assert_eq!(same.code, 1);
    assert!(
        same.stderr.contains("error[invalid_input]"),
        "{}",
        same.stderr
    );
    let bad = d
        .cmd(&[
            "--workspace",
            w,
            "check",
            "--from",
            "dev",
            "--to",
            "prod",
            "--area",
            "vibes",
        ])
        .run();
    assert_eq!(
        bad.code, 64,
        "a typo is a usage error, not drift or a failed check"
    );
    assert!(
        bad.stderr.contains("vibes") && bad.stderr.contains("reference_data"),
        "{}",
        bad.stderr
    );
    // Comparing an environment's copy with itself finds nothing → 0.
    std::fs::copy(d.join("demo/dev.db"), d.join("demo/dev2.db")).unwrap();
    let text = std::fs::read_to_string(&ws).unwrap()
        + "\n[environments.dev2]\nkind = \"staging\"\ndatabase = { url = \"sqlite://dev2.db\" }\nenv_file = \".env.local\"\n";
    std::fs::write(&ws, text).unwrap();
    let clean = d
        .cmd(&[
            "--workspace",
            w,
            "check",
            "--from",
            "dev",
            "--to",
            "dev2",
            "--area",
            "workflows",
            "--area",
            "schema",
            "--area",
            "reference_data",
            "--area",
            "migrations",
            "--area",
            "integrations",
        ])
        .run();
    assert_eq!(clean.code, 0, "{}", clean.stdout);
    assert!(clean.stdout.contains("0 finding(s)"), "{}", clean.stdout);
}

/// An unreachable `to`: the reason on stderr, the areas that need no database (config,
/// the env-file isolation checks) still report; exit 1 unless they found something
/// critical.
#[test]
fn an_unreachable_to_environment_exits_1_with_the_reason() {
    let d = Dir::new();
    let ws = d.demo();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let text = std::fs::read_to_string(&ws).unwrap().replace(
        "database = { url = \"sqlite://prod.db\" }",
        &format!("database = {{ url = \"postgres://app:Sekr1tPlanted@127.0.0.1:{port}/app\" }}"),
    );
    std::fs::write(&ws, text).unwrap();
    // Every area: the env files' critical isolation findings stand, so 3 wins over 1.
    let all = d
        .cmd(&[
            "--workspace",
            ws.to_str().unwrap(),
            "check",
            "--from",
            "dev",
            "--to",
            "prod",
            "--json",
        ])
        .run();
    assert_eq!(all.code, 3, "{}", all.stderr);
    assert!(
        all.stderr.contains("error[db_unreachable]"),
        "{}",
        all.stderr
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
            "integrations",
            "--area",
            "config",
            "--json",
        ])
        .run();
    assert_eq!(
        out.code, 1,
        "no critical finding, an area could not run → 1"
    );
    assert!(
        out.stderr.contains("error[db_unreachable]") && out.stderr.contains("connection refused"),
        "{}",
        out.stderr
    );
    let j = out.json();
    assert!(
        j["errors"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["area"] == "integrations")
    );
    assert!(
        kinds(&j).iter().any(|(a, _, _)| a == "config"),
        "config still compared"
    );
    assert!(!out.stderr.contains("Sekr1tPlanted") && !out.stdout.contains("Sekr1tPlanted"));
}

/// Every kind of every area on PostgreSQL, with noise that must not count and planted token
/// values that must not appear.
#[test]
fn every_kind_is_found_on_postgres() {
    let pg = cluster();
    let dev = pg.create_db("cmpdev");
    let prod = pg.create_db("cmpprod");
    let token = planted("TokenPlanted");
    let secret = planted("SecretPlanted");
    let common = |extra: &str| {
        format!(
            "CREATE TABLE integrations (id bigserial primary key, provider text, account_email text, status text,
               access_token text, refresh_token text, expires_at timestamptz, updated_at timestamptz default now());
             CREATE TABLE workflows (id bigserial primary key, name text, definition jsonb, is_active boolean,
               created_at timestamptz default now(), updated_at timestamptz default now());
             CREATE TABLE roles (id serial, org text, name text, permissions jsonb, primary key (org, name));
             CREATE TABLE _prisma_migrations (id text primary key, migration_name text, finished_at timestamptz, rolled_back_at timestamptz);
             CREATE TABLE users (id bigint primary key, email text not null);
             {extra}"
        )
    };
    pg.exec(&dev, &common(
        "ALTER TABLE users ADD COLUMN nickname text; CREATE INDEX users_email_idx ON users (email);
         CREATE TABLE api_keys (id bigint primary key);",
    ));
    pg.exec(&prod, &common(
        "ALTER TABLE users ALTER COLUMN email DROP NOT NULL; ALTER TABLE users ADD COLUMN legacy int;
         CREATE INDEX users_id_email_idx ON users (id, email); CREATE TABLE old_stuff (id int);",
    ));
    let wf = |id: &str, wait: i32, extra_node: bool| {
        let extra = if extra_node {
            r#",{"id":"n3","name":"Task","type":"hubspot","position":[9,9],"parameters":{}}"#
        } else {
            ""
        };
        format!(
            r#"{{"id":"{id}","nodes":[{{"id":"{id}a","name":"Trigger","type":"cron","position":[1,2],"parameters":{{}}}},{{"id":"{id}b","name":"Wait","type":"wait","position":[3,4],"parameters":{{"amount":{wait}}}}}{extra}],"connections":{{"Trigger":{{"main":[[{{"node":"Wait","type":"main","index":0}}]]}}}}}}"#
        )
    };
    pg.exec(&dev, &format!(
        "INSERT INTO integrations (provider, account_email, status, access_token, expires_at) VALUES
           ('twitter','ana@acme.test','connected','{token}', now() + interval '10 days'),
           ('slack','ana@acme.test','connected','{token}x', now() + interval '10 days'),
           ('github','ana@acme.test','connected','{token}y', NULL),
           ('google','ana@acme.test','connected','{token}z', now() + interval '10 days');
         INSERT INTO workflows (id, name, definition, is_active) VALUES
           (1,'Only dev','{{}}',true),(2,'Same','{{}}',true),(3,'Changed','{{}}',true),(4,'Switched off','{{}}',true);
         UPDATE workflows SET definition = '{}' WHERE name = 'Only dev';
         UPDATE workflows SET definition = '{}' WHERE name = 'Same';
         UPDATE workflows SET definition = '{}' WHERE name = 'Changed';
         INSERT INTO roles (org, name, permissions) VALUES ('acme','owner','[\"*\"]'),('acme','manager','[\"read\"]'),('globex','owner','[\"*\"]');
         INSERT INTO _prisma_migrations VALUES ('1','001_init',now(),NULL),('2','002_api_keys',now(),NULL),('3','003_rolled_back',now(),now());",
        wf("a", 3, false), wf("b", 3, false), wf("c", 3, true)
    ));
    pg.exec(&prod, &format!(
        "INSERT INTO integrations (provider, account_email, status, access_token, expires_at) VALUES
           ('slack','ana@acme.test','expired','{token}p', now() - interval '3 days'),
           ('github','ana@acme.test','revoked','{token}q', NULL),
           ('google','ana@acme.test','connected','{token}r', now() + interval '20 days'),
           ('notion','ana@acme.test','connected','{token}s', now() + interval '20 days');
         INSERT INTO workflows (id, name, definition, is_active, created_at) VALUES
           (91,'Same','{{}}',true, now() - interval '9 days'),(92,'Changed','{{}}',true, now()),(93,'Switched off','{{}}',false, now()),(94,'Only prod','{{}}',true, now());
         UPDATE workflows SET definition = '{}' WHERE name = 'Same';
         UPDATE workflows SET definition = '{}' WHERE name = 'Changed';
         INSERT INTO roles (id, org, name, permissions) VALUES (7,'acme','owner','[\"*\"]'),(8,'globex','owner','[\"read\"]'),(9,'initech','viewer','[]');
         INSERT INTO _prisma_migrations VALUES ('1','001_init',now(),NULL),('9','009_hotfix',now(),NULL);",
        // 'Same' differs only in node ids, positions and the top-level id: noise.
        wf("zz", 3, false), wf("yy", 2, false)
    ));
    let d = Dir::new();
    d.write(".env.dev", &format!("DATABASE_URL=postgres://dev\nSUPABASE_URL=https://same.supabase.co\nSTRIPE_SECRET_KEY={secret}\nONLY_DEV=1\nAPI_BASE=https://api.acme.test\n"));
    d.write(".env.prod", &format!("DATABASE_URL=postgres://prod\nSUPABASE_URL=https://same.supabase.co\nSTRIPE_SECRET_KEY={secret}\nONLY_PROD=1\nAPI_BASE=http://127.0.0.1:8080\n"));
    d.write(
        "envdeck.toml",
        &format!(
            "name = \"acme\"\n\n[environments.dev]\nkind = \"development\"\napp_url = \"http://localhost:3000\"\ndatabase = {{ url = \"{}\" }}\nenv_file = \".env.dev\"\n\n[environments.prod]\nkind = \"production\"\napp_url = \"http://acme.local\"\ndatabase = {{ url = \"{}\" }}\nenv_file = \".env.prod\"\n\n[integrations]\nexpires_at = \"expires_at\"\nhealthy_status = [\"connected\"]\n\n[workflows]\nkey = [\"name\"]\ndefinition = \"definition\"\nactive = \"is_active\"\nignore = [\"id\", \"created_at\", \"updated_at\"]\n\n[[reference_data]]\ntable = \"roles\"\nkey = [\"org\", \"name\"]\nignore = [\"id\"]\n",
            pg.url_for(&dev),
            pg.url_for(&prod)
        ),
    );
    let out = d
        .cmd(&["check", "--from", "dev", "--to", "prod", "--json"])
        .run();
    assert_eq!(out.code, 3, "{}\n{}", out.stdout, out.stderr);
    let k = kinds(&out.json());
    let expected = [
        ("integrations", "missing", "twitter/ana@acme.test"),
        ("integrations", "expired", "slack/ana@acme.test"),
        ("integrations", "broken", "github/ana@acme.test"),
        ("integrations", "extra", "notion/ana@acme.test"),
        ("workflows", "missing", "Only dev"),
        ("workflows", "extra", "Only prod"),
        ("workflows", "changed", "Changed"),
        ("workflows", "inactive", "Switched off"),
        ("schema", "missing_table", "api_keys"),
        ("schema", "extra_table", "old_stuff"),
        ("schema", "missing_column", "users.nickname"),
        ("schema", "extra_column", "users.legacy"),
        ("schema", "column_type", "users.email"),
        ("schema", "missing_index", "users.users_email_idx"),
        ("schema", "extra_index", "users.users_id_email_idx"),
        ("migrations", "pending", "002_api_keys"),
        ("migrations", "unknown", "009_hotfix"),
        ("reference_data", "missing", "roles/acme/manager"),
        ("reference_data", "changed", "roles/globex/owner"),
        ("reference_data", "extra", "roles/initech/viewer"),
        ("config", "missing_key", "ONLY_DEV"),
        ("config", "extra_key", "ONLY_PROD"),
        ("isolation", "shared_backend", "SUPABASE_URL"),
        ("isolation", "same_secret", "STRIPE_SECRET_KEY"),
        ("isolation", "local_url_in_protected", "app_url"),
        ("isolation", "local_url_in_protected", "API_BASE"),
    ];
    assert_exactly(&k, &expected);
    let json = &out.stdout;
    let changed = out.json()["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["key"] == "Changed")
        .unwrap()
        .clone();
    assert!(
        changed["detail"]
            .as_str()
            .unwrap()
            .contains("nodes.Wait.parameters.amount"),
        "{changed}"
    );
    assert!(
        changed["detail"].as_str().unwrap().contains("nodes.Task"),
        "{changed}"
    );
    let human = d.cmd(&["check", "--from", "dev", "--to", "prod"]).run();
    for o in [json, &out.stderr, &human.stdout, &human.stderr] {
        assert!(
            !o.contains(&token) && !o.contains(&secret),
            "a planted value leaked: {o}"
        );
        assert!(!o.contains("same.supabase.co"), "an env value was printed");
    }
}

/// Two URLs written differently that reach one database are one database.
#[test]
fn two_urls_for_one_database_are_a_shared_database() {
    let pg = cluster();
    let db = pg.product_db("shared", 1, 1);
    let pw = pg.admin.password().unwrap().to_string();
    let a = pg.url_for(&db);
    let b = format!(
        "postgresql://postgres@127.0.0.1:{}/{db}?sslmode=disable&password={pw}",
        pg.port()
    );
    let d = Dir::new();
    d.write(
        "envdeck.toml",
        &crate::util::pg::workspace(&[
            ("dev", "development", &format!("{{ url = \"{a}\" }}")),
            ("prod", "production", &format!("{{ url = \"{b}\" }}")),
        ]),
    );
    let out = d
        .cmd(&[
            "check",
            "--from",
            "dev",
            "--to",
            "prod",
            "--area",
            "isolation",
            "--json",
        ])
        .run();
    assert_eq!(out.code, 3, "{}", out.stderr);
    assert!(has(
        &kinds(&out.json()),
        "isolation",
        "shared_database",
        "database"
    ));
    assert!(!out.stdout.contains(&pw) && !out.stderr.contains(&pw));

    // Two SQLite paths to one file, likewise; a different file is not shared.
    let s = Dir::new();
    s.demo();
    std::fs::create_dir_all(s.join("demo/sub")).unwrap();
    let text = std::fs::read_to_string(s.join("demo/envdeck.toml"))
        .unwrap()
        .replace("sqlite://prod.db", "sqlite://./sub/../dev.db");
    std::fs::write(s.join("demo/envdeck.toml"), text).unwrap();
    let out = s
        .cmd(&[
            "--workspace",
            "demo/envdeck.toml",
            "check",
            "--from",
            "dev",
            "--to",
            "prod",
            "--area",
            "isolation",
            "--json",
        ])
        .run();
    assert!(
        has(
            &kinds(&out.json()),
            "isolation",
            "shared_database",
            "database"
        ),
        "{}",
        out.stdout
    );
    let demo = Dir::new();
    let w = demo.demo();
    let out = demo
        .cmd(&[
            "--workspace",
            w.to_str().unwrap(),
            "check",
            "--from",
            "dev",
            "--to",
            "prod",
            "--area",
            "isolation",
            "--json",
        ])
        .run();
    assert!(
        !kinds(&out.json())
            .iter()
            .any(|(_, k, _)| k == "shared_database")
    );
}

/// `check` reads each environment once: one connection per environment for all seven
/// areas, counted in the server's own log (`log_connections = on`).
#[test]
fn check_opens_each_environment_database_once() {
    let pg = cluster();
    let a = pg.product_db("once_a", 3, 2);
    let b = pg.product_db("once_b", 2, 2);
    for db in [&a, &b] {
        pg.exec(
            db,
            "CREATE TABLE roles (name text primary key, permissions text); INSERT INTO roles VALUES ('admin', 'all');",
        );
    }
    let d = Dir::new();
    d.write(".env.a", "A=1\n");
    d.write(".env.b", "A=1\nB=2\n");
    let text = crate::util::pg::workspace(&[
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
    ])
    .replace(
        "kind = \"development\"\n",
        "kind = \"development\"\nenv_file = \".env.a\"\n",
    )
    .replace(
        "kind = \"production\"\n",
        "kind = \"production\"\nenv_file = \".env.b\"\n",
    ) + "\n[[reference_data]]\ntable = \"roles\"\nkey = [\"name\"]\n\n[[tables]]\ntable = \"workflows\"\nkey = [\"name\"]\n";
    d.write("envdeck.toml", &text);
    let out = d
        .cmd(&["check", "--from", "dev", "--to", "prod", "--json"])
        .run();
    let j = out.json();
    assert!(j["errors"].as_array().unwrap().is_empty(), "{j}");
    assert!(j["skipped"].as_array().unwrap().is_empty(), "{j}");
    let log = std::fs::read_to_string(std::env::var("ENVDECK_TEST_PG_LOG").unwrap()).unwrap();
    for db in [&a, &b] {
        let n = log
            .lines()
            .filter(|l| {
                l.contains("connection authorized")
                    && l.contains(&format!("database={db} "))
                    && l.contains("application_name=envdeck")
            })
            .count();
        assert_eq!(n, 1, "{db} was opened {n} times for one check");
    }
}

/// Keys whose parts contain `/` (a workflow `Leads / weekly`, a template `billing/invoice`)
/// and NULL parts come back whole: the finding carries them as typed parts, and the
/// side-by-side values are found by those parts, never by splitting the key's text.
#[test]
fn keys_with_slashes_and_nulls_round_trip() {
    let d = Dir::new();
    let ws = d.demo();
    let dev = d.join("demo/dev.db");
    crate::util::sqlite_exec(
        &dev,
        &[
            "INSERT INTO notification_templates (type, subject, body_html) VALUES ('billing/invoice', 'Your invoice', '<p>hi</p>')",
            "UPDATE workflows SET name = 'Leads / weekly' WHERE name = 'Post new blog articles to X'",
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
            "--json",
        ])
        .run();
    let j = out.json();
    let find = |area: &str, key: &str| -> serde_json::Value {
        j["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["area"] == area && f["key"] == key)
            .unwrap_or_else(|| panic!("no {area} finding {key}: {j}"))
            .clone()
    };
    let tpl = find("reference_data", "notification_templates/billing/invoice");
    assert_eq!(
        tpl["key_parts"],
        serde_json::json!({"subject": "notification_templates", "parts": [{"type": "text", "value": "billing/invoice"}]})
    );
    let wf = find("workflows", "Leads / weekly");
    assert_eq!(
        wf["key_parts"],
        serde_json::json!({"subject": "workflows", "parts": [{"type": "text", "value": "Leads / weekly"}]})
    );
    let rt = crate::util::rt();
    let (tv, wv) = rt.block_on(async {
        let ctx = envdeck::api::Context::open(&d.data_dir()).await.unwrap();
        let opened = envdeck::api::session::workspace_open(&ctx, &ws)
            .await
            .unwrap();
        let opened = std::path::Path::new(&opened.path);
        let parts = |v: &serde_json::Value| -> envdeck::compare::KeyParts {
            serde_json::from_value(v["key_parts"].clone()).unwrap()
        };
        let tv = envdeck::api::session::finding_values(
            &ctx,
            opened,
            "dev",
            "prod",
            envdeck::compare::Area::ReferenceData,
            &parts(&tpl),
            None,
        )
        .await
        .unwrap();
        let wv = envdeck::api::session::finding_values(
            &ctx,
            opened,
            "dev",
            "prod",
            envdeck::compare::Area::Workflows,
            &parts(&wf),
            None,
        )
        .await
        .unwrap();
        (tv, wv)
    });
    assert!(
        tv.from_json
            .as_deref()
            .unwrap_or("")
            .contains("Your invoice")
            && tv.to_json.is_none(),
        "{tv:?}"
    );
    assert!(wv.from_json.is_some() && wv.to_json.is_none(), "{wv:?}");
}
