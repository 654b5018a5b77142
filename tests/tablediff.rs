//! `envdeck table-diff`: exact counts on composite, NULL, text and jsonb keys, a table
//! missing on one side, large reference tables, SQLite, and a capped row list.

use crate::util::Dir;
use crate::util::pg::cluster;

fn diff(d: &Dir, a: &str, b: &str, args: &[&str]) -> serde_json::Value {
    let mut all = vec!["table-diff", a, b, "--json"];
    all.extend_from_slice(args);
    let out = d.cmd(&all).run();
    assert!(out.ok(), "{}\n{}", out.stdout, out.stderr);
    out.json()
}

fn counts(j: &serde_json::Value) -> (u64, u64, u64) {
    (
        j["only_in_a"].as_u64().unwrap(),
        j["only_in_b"].as_u64().unwrap(),
        j["changed"].as_u64().unwrap(),
    )
}

#[test]
fn composite_null_text_and_jsonb_keys_give_exact_counts() {
    let pg = cluster();
    let a = pg.create_db("tda");
    let b = pg.create_db("tdb");
    let schema = "CREATE TABLE t (org text, code text, doc jsonb, n int, v text);";
    pg.exec(&a, schema);
    pg.exec(&b, schema);
    // Keys: (org, code) with NULLs and text that sorts differently by collation ('B' < 'a' in C).
    pg.exec(&a, "INSERT INTO t VALUES ('acme','a','{\"k\":1}',1,'x'),('acme','B','{\"k\":2}',2,'x'),('acme',NULL,'{\"k\":3}',3,'x'),
                 (NULL,'z','{\"k\":4}',4,'x'),('globex','é','{\"k\":5}',5,'x'),('globex','e','{\"k\":6}',6,'same')");
    pg.exec(&b, "INSERT INTO t VALUES ('acme','a','{\"k\":1}',1,'x'),('acme','B','{\"k\":2}',2,'CHANGED'),('acme',NULL,'{\"k\":3}',3,'x'),
                 (NULL,'z','{\"k\":4}',4,'x'),('globex','e','{\"k\":6}',6,'same'),('initech','q','{\"k\":7}',7,'x')");
    let d = Dir::new();
    let (ua, ub) = (pg.url_for(&a), pg.url_for(&b));
    let j = diff(&d, &ua, &ub, &["--table", "t", "--key", "org,code"]);
    assert_eq!(counts(&j), (1, 1, 1), "{j}");
    assert_eq!(j["hashing"], "database");
    let rows = j["rows"].as_array().unwrap();
    let changed = rows.iter().find(|r| r["kind"] == "changed").unwrap();
    assert_eq!(changed["key"], serde_json::json!(["acme", "B"]));
    assert_eq!(
        changed["columns"],
        serde_json::json!(["v"]),
        "names the differing column, not its value"
    );
    assert!(
        rows.iter()
            .any(|r| r["kind"] == "only_in_a" && r["key"] == serde_json::json!(["globex", "é"]))
    );
    assert!(
        !j.to_string().contains("CHANGED"),
        "values are never printed"
    );

    // A jsonb key and a --columns subset: the v change is outside the compared columns.
    let j = diff(
        &d,
        &ua,
        &ub,
        &["--table", "t", "--key", "doc", "--columns", "n"],
    );
    assert_eq!(counts(&j), (1, 1, 0), "{j}");

    // NULL keys on both sides pair up; duplicate NULL-key rows count once each.
    pg.exec(
        &a,
        "INSERT INTO t VALUES (NULL,NULL,'{}',8,'x'),(NULL,NULL,'{}',9,'x')",
    );
    pg.exec(&b, "INSERT INTO t VALUES (NULL,NULL,'{}',9,'x')");
    let j = diff(&d, &ua, &ub, &["--table", "t", "--key", "org,code"]);
    assert_eq!(counts(&j), (2, 1, 1), "{j}");
}

#[test]
fn a_table_missing_on_one_side_is_an_error_naming_it() {
    let pg = cluster();
    let a = pg.product_db("tma", 2, 0);
    let b = pg.create_db("tmb");
    let d = Dir::new();
    let out = d
        .cmd(&[
            "table-diff",
            &pg.url_for(&a),
            &pg.url_for(&b),
            "--table",
            "integrations",
            "--key",
            "id",
        ])
        .run();
    assert_eq!(out.code, 1);
    assert!(
        out.stderr.contains("error[table_missing]") && out.stderr.contains("\"integrations\""),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains(&b), "says which side: {}", out.stderr);
    let pw = pg.admin.password().unwrap();
    assert!(!out.stderr.contains(pw));
    let bad_key = d
        .cmd(&[
            "table-diff",
            &pg.url_for(&a),
            &pg.url_for(&a),
            "--table",
            "integrations",
            "--key",
            "nope",
        ])
        .run();
    assert_eq!(bad_key.code, 1);
    assert!(
        bad_key.stderr.contains("key column \"nope\""),
        "{}",
        bad_key.stderr
    );
}

/// 10,000-row reference tables through the workspace: the reference_data area lists
/// exactly the planted differences.
#[test]
fn ten_thousand_row_reference_tables_report_exactly_the_differences() {
    let pg = cluster();
    let a = pg.product_db("refa", 0, 0);
    let b = pg.product_db("refb", 0, 0);
    for db in [&a, &b] {
        pg.exec(db, "CREATE TABLE plans (code text primary key, price int, features jsonb);
                     INSERT INTO plans SELECT 'plan-' || g, g, jsonb_build_object('n', g) FROM generate_series(1, 10000) g;");
    }
    pg.exec(
        &b,
        "DELETE FROM plans WHERE code IN ('plan-17', 'plan-9999');
                 UPDATE plans SET price = price + 1 WHERE code = 'plan-5000';
                 INSERT INTO plans VALUES ('plan-x', 0, '{}');",
    );
    let d = Dir::new();
    d.write(
        "envdeck.toml",
        &(crate::util::pg::workspace(&[
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
        ]) + "\n[[reference_data]]\ntable = \"plans\"\nkey = [\"code\"]\n"),
    );
    let out = d
        .cmd(&[
            "check",
            "--from",
            "dev",
            "--to",
            "prod",
            "--area",
            "reference_data",
            "--json",
        ])
        .run();
    assert_eq!(out.code, 2, "{}", out.stderr);
    let mut got: Vec<(String, String)> = out.json()["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["kind"].as_str().unwrap().to_string(),
                f["key"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    got.sort();
    assert_eq!(
        got,
        [
            ("changed".to_string(), "plans/plan-5000".to_string()),
            ("extra".to_string(), "plans/plan-x".to_string()),
            ("missing".to_string(), "plans/plan-17".to_string()),
            ("missing".to_string(), "plans/plan-9999".to_string()),
        ]
    );
    // The same tables through table-diff --from/--to.
    let j = d
        .cmd(&[
            "table-diff",
            "--from",
            "dev",
            "--to",
            "prod",
            "--table",
            "plans",
            "--key",
            "code",
            "--json",
        ])
        .run()
        .json();
    assert_eq!(counts(&j), (2, 1, 1));
    assert_eq!(j["rows_a"], 10000);
}

#[test]
fn sqlite_tables_diff_with_client_side_hashing_and_a_stated_cap() {
    let d = Dir::new();
    d.demo();
    std::fs::copy(d.join("demo/dev.db"), d.join("copy.db")).unwrap();
    let a = format!("sqlite://{}", d.join("demo/dev.db").display());
    let b = format!("sqlite://{}", d.join("demo/prod.db").display());
    let j = diff(&d, &a, &b, &["--table", "roles", "--key", "name"]);
    assert_eq!(counts(&j), (1, 0, 0), "manager is missing in prod: {j}");
    assert_eq!(j["hashing"], "client");
    let same = diff(
        &d,
        &a,
        &format!("sqlite://{}", d.join("copy.db").display()),
        &["--table", "workflows", "--key", "name"],
    );
    assert_eq!(counts(&same), (0, 0, 0));
    // Listing is capped and says so; counts stay exact.
    let wf = diff(
        &d,
        &a,
        &b,
        &["--table", "workflows", "--key", "id", "--limit", "3"],
    );
    assert_eq!(wf["rows"].as_array().unwrap().len(), 3);
    assert_eq!(wf["rows_cap"], 3);
    assert!(counts(&wf).0 + counts(&wf).1 + counts(&wf).2 > 3);
    let human = d
        .cmd(&[
            "table-diff",
            &a,
            &b,
            "--table",
            "workflows",
            "--key",
            "id",
            "--limit",
            "3",
        ])
        .run();
    assert!(
        human.stdout.contains("at most 3 rows are listed"),
        "{}",
        human.stdout
    );
}
