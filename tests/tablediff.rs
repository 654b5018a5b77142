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

    // An all-NULL key that appears twice cannot be paired by key: it is an error, not a guess.
    pg.exec(
        &a,
        "INSERT INTO t VALUES (NULL,NULL,'{}',8,'x'),(NULL,NULL,'{}',9,'x')",
    );
    pg.exec(&b, "INSERT INTO t VALUES (NULL,NULL,'{}',9,'x')");
    let out = d
        .cmd(&["table-diff", &ua, &ub, "--table", "t", "--key", "org,code"])
        .run();
    assert_eq!(out.code, 1, "{}", out.stdout);
    assert!(
        out.stderr
            .contains("key `NULL/NULL` appears 2 times in A: choose a unique key"),
        "{}",
        out.stderr
    );
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

/// A SQLite file at `name` holding what `sql` creates; returns its URL.
fn sqlite_db(d: &Dir, name: &str, sql: &[&str]) -> String {
    let p = d.join(name);
    std::fs::write(&p, b"").unwrap();
    let url = format!("sqlite://{}", p.display());
    crate::util::sqlite_exec(&p, sql);
    url
}

/// A workspace with two PostgreSQL environments, `dev` (a) and `prod` (b), plus `extra`.
fn pg_workspace(d: &Dir, pg: &crate::util::pg::Pg, a: &str, b: &str, extra: &str) {
    d.write(
        "envdeck.toml",
        &(crate::util::pg::workspace(&[
            (
                "dev",
                "development",
                &format!("{{ url = \"{}\" }}", pg.url_for(a)),
            ),
            (
                "prod",
                "production",
                &format!("{{ url = \"{}\" }}", pg.url_for(b)),
            ),
        ]) + extra),
    );
}

/// A secret column as key would put its values in the output: refused with the reason, for
/// name-based secrets and for the workspace's `secret_columns` alike.
#[test]
fn a_secret_column_is_refused_as_key() {
    let pg = cluster();
    let a = pg.product_db("ska", 2, 0);
    let b = pg.product_db("skb", 2, 0);
    for db in [&a, &b] {
        pg.exec(db, "ALTER TABLE integrations ADD COLUMN webhook_sig text");
    }
    let d = Dir::new();
    let (ua, ub) = (pg.url_for(&a), pg.url_for(&b));
    let out = d
        .cmd(&[
            "table-diff",
            &ua,
            &ub,
            "--table",
            "integrations",
            "--key",
            "access_token",
        ])
        .run();
    assert_eq!(out.code, 1, "{}\n{}", out.stdout, out.stderr);
    assert!(
        out.stderr.contains("error[invalid_input]")
            && out.stderr.contains("\"access_token\" is a secret column"),
        "{}",
        out.stderr
    );
    assert!(!out.stdout.contains("tok-"), "{}", out.stdout);
    pg_workspace(
        &d,
        &pg,
        &a,
        &b,
        "\n[integrations]\nsecret_columns = [\"WEBHOOK_SIG\"]\n",
    );
    let out = d
        .cmd(&[
            "table-diff",
            "--from",
            "dev",
            "--to",
            "prod",
            "--table",
            "integrations",
            "--key",
            "provider,webhook_sig",
        ])
        .run();
    assert_eq!(out.code, 1, "{}\n{}", out.stdout, out.stderr);
    assert!(
        out.stderr.contains("\"webhook_sig\" is a secret column"),
        "{}",
        out.stderr
    );
}

/// The statement log of both PostgreSQL databases shows no secret column selected in
/// plain text, the output never holds a token, and a token change shows as "differs".
#[test]
fn secret_columns_are_compared_only_as_a_hash_inside_postgres() {
    let pg = cluster();
    let log_path = std::env::var("ENVDECK_TEST_PG_LOG")
        .expect("tests/run-suite.sh exports ENVDECK_TEST_PG_LOG");
    let a = pg.product_db("sta", 3, 0);
    let b = pg.product_db("stb", 3, 0);
    let (ta, tb, ra) = (
        crate::util::planted("tokA"),
        crate::util::planted("tokB"),
        crate::util::planted("refA"),
    );
    pg.exec(
        &a,
        &format!(
            "UPDATE integrations SET access_token = '{ta}', refresh_token = '{ra}' WHERE id = 1"
        ),
    );
    pg.exec(
        &b,
        &format!("UPDATE integrations SET access_token = '{tb}', refresh_token = '{ra}' WHERE id = 1; UPDATE integrations SET status = 'expired' WHERE id = 2"),
    );
    for db in [&a, &b] {
        pg.exec(
            "postgres",
            &format!("ALTER DATABASE {db} SET log_statement = 'all'"),
        );
    }
    let from = std::fs::metadata(&log_path).unwrap().len() as usize;
    let d = Dir::new();
    let (ua, ub) = (pg.url_for(&a), pg.url_for(&b));
    // Timestamps differ between the two databases; compare the rest.
    let cols = "provider,status,access_token,refresh_token,account_email";
    let args = ["--table", "integrations", "--key", "id", "--columns", cols];
    let j = diff(&d, &ua, &ub, &args);
    assert_eq!(counts(&j), (0, 0, 2), "{j}");
    let row1 = j["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["key"] == serde_json::json!(["1"]))
        .unwrap();
    assert_eq!(row1["columns"], serde_json::json!(["access_token"]), "{j}");
    for out in d.outputs.borrow().iter() {
        for t in [&ta, &tb, &ra] {
            assert!(
                !out.contains(t.as_str()),
                "a token reached the output: {out}"
            );
        }
    }
    let log = std::fs::read(&log_path).unwrap();
    let log = String::from_utf8_lossy(&log[from..]);
    assert!(
        log.contains("integrations"),
        "the statement log holds the diff's statements: {log}"
    );
    let hashed = log
        .replace("md5(CAST(\"access_token\" AS TEXT))", "")
        .replace("md5(CAST(\"refresh_token\" AS TEXT))", "");
    for c in ["access_token", "refresh_token"] {
        let hit = hashed.lines().find(|l| l.contains(c));
        assert!(hit.is_none(), "{c} selected outside a hash: {hit:?}");
    }
    let human = d
        .cmd(&[&["table-diff", &ua, &ub][..], &args[..]].concat())
        .run();
    assert!(human.ok(), "{}", human.stderr);
    assert!(
        human.stdout.contains("access_token (secret, differs)"),
        "{}",
        human.stdout
    );
    for out in d.outputs.borrow().iter() {
        for t in [&ta, &tb, &ra] {
            assert!(
                !out.contains(t.as_str()),
                "a token reached the output: {out}"
            );
        }
    }
}

/// SQLite cannot hash inside the database: secret columns are left out of the comparison,
/// the result says so, and no token value is read into the output.
#[test]
fn secret_columns_are_not_compared_when_a_side_is_sqlite() {
    let pg = cluster();
    let d = Dir::new();
    let (ta, tb) = (crate::util::planted("tokA"), crate::util::planted("tokB"));
    let schema = "CREATE TABLE integrations (id INTEGER PRIMARY KEY, provider TEXT, status TEXT, access_token TEXT, refresh_token TEXT)";
    let a = sqlite_db(
        &d,
        "a.db",
        &[
            schema,
            &format!(
                "INSERT INTO integrations VALUES (1,'provider1','connected','{ta}','r1'),(2,'provider2','connected','tok-2',NULL)"
            ),
        ],
    );
    let b = sqlite_db(
        &d,
        "b.db",
        &[
            schema,
            &format!(
                "INSERT INTO integrations VALUES (1,'provider1','connected','{tb}','r2'),(2,'provider2','expired','tok-2',NULL)"
            ),
        ],
    );
    let pgb = pg.product_db("stc", 2, 0);
    pg.exec(
        &pgb,
        &format!("UPDATE integrations SET access_token = '{tb}', refresh_token = 'r2'; UPDATE integrations SET status = 'expired' WHERE id = 2"),
    );
    for b in [b, pg.url_for(&pgb)] {
        let args = ["--table", "integrations", "--key", "id"];
        let j = diff(&d, &a, &b, &args);
        assert_eq!(counts(&j), (0, 0, 1), "only the status change counts: {j}");
        assert_eq!(
            j["skipped_secret_columns"],
            serde_json::json!(["access_token", "refresh_token"]),
            "{j}"
        );
        let human = d
            .cmd(&[&["table-diff", &a, &b][..], &args[..]].concat())
            .run();
        assert!(human.ok(), "{}", human.stderr);
        assert!(
            human.stdout.contains("not compared: access_token, refresh_token (secret columns are compared only as a hash inside PostgreSQL)"),
            "{}",
            human.stdout
        );
    }
    for out in d.outputs.borrow().iter() {
        assert!(!out.contains(&ta) && !out.contains(&tb), "{out}");
    }
}

/// numeric 1.0 and 1 are one key; float8 and SQLite REAL agree on 0.1, 1e20 and infinity;
/// keys are merged in numeric order (9 before 10), and a changed row is still found.
#[test]
fn numeric_keys_compare_by_value_on_both_engines() {
    let pg = cluster();
    let a = pg.create_db("nka");
    let b = pg.create_db("nkb");
    pg.exec(&a, "CREATE TABLE p (k numeric, v text); INSERT INTO p VALUES (1.0,'x'),(2.50,'y'),(9,'n'),(10,'z'),(-3,'m'),(1e20,'e'),('NaN','q')");
    pg.exec(&b, "CREATE TABLE p (k numeric, v text); INSERT INTO p VALUES (1,'x'),(2.5,'CHANGED'),(9.00,'n'),(10.000,'z'),(-3.0,'m'),(100000000000000000000,'e'),('NaN','q')");
    let d = Dir::new();
    let (ua, ub) = (pg.url_for(&a), pg.url_for(&b));
    let j = diff(&d, &ua, &ub, &["--table", "p", "--key", "k"]);
    assert_eq!(counts(&j), (0, 0, 1), "{j}");
    assert_eq!(j["rows"][0]["key"], serde_json::json!(["2.5"]), "{j}");
    assert_eq!(j["rows"][0]["columns"], serde_json::json!(["v"]), "{j}");

    // float8 in PostgreSQL against REAL in SQLite.
    pg.exec(&a, "CREATE TABLE f (k float8, v text); INSERT INTO f VALUES (1.0,'x'),(0.1,'y'),(1e20,'z'),(10,'t'),(9,'n'),('Infinity','i')");
    let s = sqlite_db(
        &d,
        "f.db",
        &[
            "CREATE TABLE f (k REAL, v TEXT)",
            "INSERT INTO f VALUES (1.0,'x'),(0.1,'CHANGED'),(1.0e20,'z'),(10,'t'),(9.0,'n'),(9e999,'i')",
        ],
    );
    let j = diff(&d, &ua, &s, &["--table", "f", "--key", "k"]);
    assert_eq!(counts(&j), (0, 0, 1), "{j}");
    assert_eq!(j["rows"][0]["key"], serde_json::json!(["0.1"]), "{j}");
    assert_eq!(j["rows"][0]["columns"], serde_json::json!(["v"]), "{j}");

    // The reference_data area of `check` sees the same: no false missing/extra rows.
    pg.exec(&a, "CREATE TABLE prices (amount numeric, label text); INSERT INTO prices VALUES (1.0,'a'),(2.50,'b'),(10,'c')");
    pg.exec(&b, "CREATE TABLE prices (amount numeric, label text); INSERT INTO prices VALUES (1,'a'),(2.5,'b'),(10.0,'c')");
    pg_workspace(
        &d,
        &pg,
        &a,
        &b,
        "\n[[reference_data]]\ntable = \"prices\"\nkey = [\"amount\"]\n",
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
    assert_eq!(out.code, 0, "{}\n{}", out.stdout, out.stderr);
    assert_eq!(out.json()["findings"], serde_json::json!([]));
}

/// Two rows with one key on one side cannot be paired by key: the diff says which key,
/// how often and on which side, instead of guessing.
#[test]
fn a_duplicate_key_is_an_error_naming_the_key_and_the_side() {
    let pg = cluster();
    let a = pg.create_db("dka");
    let b = pg.create_db("dkb");
    pg.exec(&a, "CREATE TABLE g (grp text, v int); INSERT INTO g VALUES ('g0',1),('g1',1),('g1',2),('g2',3)");
    pg.exec(&b, "CREATE TABLE g (grp text, v int); INSERT INTO g VALUES ('g0',1),('g1',2),('g1',1),('g2',3)");
    let d = Dir::new();
    let out = d
        .cmd(&[
            "table-diff",
            &pg.url_for(&a),
            &pg.url_for(&b),
            "--table",
            "g",
            "--key",
            "grp",
        ])
        .run();
    assert_eq!(out.code, 1, "{}\n{}", out.stdout, out.stderr);
    assert!(
        out.stderr
            .contains("key `g1` appears 2 times in A: choose a unique key"),
        "{}",
        out.stderr
    );
    pg_workspace(
        &d,
        &pg,
        &a,
        &b,
        "\n[[reference_data]]\ntable = \"g\"\nkey = [\"grp\"]\n",
    );
    pg.exec(&a, "DELETE FROM g WHERE v = 2");
    let out = d
        .cmd(&[
            "table-diff",
            "--from",
            "dev",
            "--to",
            "prod",
            "--table",
            "g",
            "--key",
            "grp",
        ])
        .run();
    assert_eq!(out.code, 1, "{}\n{}", out.stdout, out.stderr);
    assert!(
        out.stderr
            .contains("key `g1` appears 2 times in prod: choose a unique key"),
        "{}",
        out.stderr
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
    assert_eq!(out.code, 1, "the area could not run: {}", out.stderr);
    assert!(
        out.stdout
            .contains("key `g1` appears 2 times in prod: choose a unique key"),
        "{}",
        out.stdout
    );
}
