//! The plan's last checks and the `[workflows]` table: another unique constraint colliding
//! (with a target row, or between two planned rows) blocks; a workflow's n8n credential
//! references land remapped to the target's credential of the same type and name, or block
//! naming the node and credential; its owner follows the users' natural key (a declared
//! foreign key, or `owner`/`owner_table`); copies land inactive unless `--activate`; the
//! demo's missing workflow plans clean.

use crate::sync_apply::confirmed_apply;
use crate::util::pg::{Pg, cluster, workspace};
use crate::util::{Dir, Run, planted, sqlite_exec};

fn pg_dir(pg: &Pg, dev: &str, prod: &str, extra: &str) -> Dir {
    let d = Dir::new();
    d.write(
        "envdeck.toml",
        &(workspace(&[
            (
                "dev",
                "development",
                &format!("{{ url = \"{}\" }}", pg.url_for(dev)),
            ),
            (
                "prod",
                "production",
                &format!("{{ url = \"{}\" }}", pg.url_for(prod)),
            ),
        ]) + extra),
    );
    d
}

fn sqlite_dir(extra: &str) -> Dir {
    let d = Dir::new();
    d.write(
        "envdeck.toml",
        &(workspace(&[
            ("dev", "development", "{ url = \"sqlite://dev.db\" }"),
            ("prod", "production", "{ url = \"sqlite://prod.db\" }"),
        ]) + extra),
    );
    d
}

fn plan(d: &Dir, args: &[&str]) -> Run {
    let mut a = vec!["sync", "plan", "--from", "dev", "--to", "prod", "--json"];
    a.extend_from_slice(args);
    d.cmd(&a).run()
}

fn blockers(j: &serde_json::Value) -> Vec<String> {
    j["blockers"]
        .as_array()
        .unwrap_or_else(|| panic!("no blockers: {j}"))
        .iter()
        .map(|b| b["sentence"].as_str().unwrap().to_string())
        .collect()
}

/// `sync plan -o plan.json` then `sync apply` with the plan's fingerprint.
fn plan_and_apply(d: &Dir, args: &[&str]) -> (serde_json::Value, Run) {
    let mut a = args.to_vec();
    a.extend(["-o", "plan.json"]);
    let p = plan(d, &a);
    assert_eq!(p.code, 0, "{}{}", p.stdout, p.stderr);
    let j = p.json();
    let fp = j["fingerprint"].as_str().unwrap().to_string();
    let o = confirmed_apply(d, &fp).run();
    (j, o)
}

const CUSTOMERS: &str = "
[[tables]]
table = \"customers\"
key = [\"email\"]
";

/// Prod gained a unique `handle` that dev lacks. A dev customer whose handle a prod
/// customer already has is blocked naming the table, the column, the value and what to do;
/// two dev customers with one handle are blocked as colliding with each other; a customer
/// already in prod says so (the natural key first), never "would collide".
#[test]
fn another_unique_constraint_colliding_in_the_target_or_within_the_plan_blocks_on_postgres() {
    let pg = cluster();
    let (dev, prod) = (pg.create_db("uniq_dev"), pg.create_db("uniq_prod"));
    pg.exec(
        &dev,
        "CREATE TABLE customers (id serial PRIMARY KEY, email text NOT NULL UNIQUE, handle text);
         INSERT INTO customers (email, handle) VALUES ('a@x.test', 'acme'), ('b@x.test', 'globex'),
           ('c@x.test', 'globex'), ('d@x.test', NULL), ('e@x.test', NULL), ('old@x.test', 'acme');",
    );
    pg.exec(
        &prod,
        "CREATE TABLE customers (id serial PRIMARY KEY, email text NOT NULL UNIQUE, handle text UNIQUE);
         INSERT INTO customers (email, handle) VALUES ('old@x.test', 'acme');",
    );
    let d = pg_dir(&pg, &dev, &prod, CUSTOMERS);

    let o = plan(&d, &["--table", "customers", "--key", "a@x.test"]);
    assert_eq!(o.code, 4, "{}{}", o.stdout, o.stderr);
    let b = blockers(&o.json()).join("\n");
    assert!(
        b.contains("customers (a@x.test) would collide with a row already in prod")
            && b.contains("(handle) = (acme)")
            && b.contains("customers_handle_key")
            && b.contains("leave this row out"),
        "{b}"
    );

    let o = plan(
        &d,
        &[
            "--table",
            "customers",
            "--key",
            "b@x.test",
            "--key",
            "c@x.test",
        ],
    );
    assert_eq!(o.code, 4, "{}{}", o.stdout, o.stderr);
    let b = blockers(&o.json()).join("\n");
    assert!(
        b.contains("customers (b@x.test) and customers (c@x.test) both have (handle) = (globex)"),
        "{b}"
    );

    // NULLs never collide; the row already in prod is reported as such, once.
    let o = plan(
        &d,
        &[
            "--table",
            "customers",
            "--key",
            "d@x.test",
            "--key",
            "e@x.test",
        ],
    );
    assert_eq!(o.code, 0, "{}{}", o.stdout, o.stderr);
    let o = plan(&d, &["--table", "customers", "--key", "old@x.test"]);
    assert_eq!(o.code, 4);
    let b = blockers(&o.json());
    assert_eq!(b.len(), 1, "{b:?}");
    assert!(b[0].contains("is already in prod"), "{b:?}");
}

/// The same on SQLite, where the constraint is a unique index (pragma index_list); a
/// foreign key in the constraint is compared as prod's parent id after remapping.
#[test]
fn a_unique_index_colliding_through_a_remapped_foreign_key_blocks_on_sqlite() {
    let d = sqlite_dir(
        "
[[tables]]
table = \"customers\"
key = [\"email\"]

[[tables]]
table = \"notes\"
key = [\"customer_id\", \"title\"]
",
    );
    let schema = [
        "CREATE TABLE customers (id INTEGER PRIMARY KEY, email TEXT NOT NULL UNIQUE)",
        "CREATE TABLE notes (id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL REFERENCES customers (id), title TEXT NOT NULL, slug TEXT NOT NULL)",
    ];
    let mut dev = schema.to_vec();
    dev.extend([
        "INSERT INTO customers VALUES (1, 'a@x.test')",
        "INSERT INTO notes VALUES (10, 1, 'Renewal call', 'renewal')",
    ]);
    sqlite_exec(&d.join("dev.db"), &dev);
    let mut prod = schema.to_vec();
    prod.extend([
        "CREATE UNIQUE INDEX notes_customer_slug ON notes (customer_id, slug)",
        "INSERT INTO customers VALUES (70, 'a@x.test')",
        "INSERT INTO notes VALUES (90, 70, 'Renewal', 'renewal')",
    ]);
    sqlite_exec(&d.join("prod.db"), &prod);
    let o = plan(&d, &["--table", "notes", "--all-missing"]);
    assert_eq!(o.code, 4, "{}{}", o.stdout, o.stderr);
    let b = blockers(&o.json()).join("\n");
    assert!(
        b.contains("notes (a@x.test, Renewal call) would collide with a row already in prod")
            && b.contains("(customer_id, slug) = (70, renewal)")
            && b.contains("notes_customer_slug"),
        "{b}"
    );
}

const WF_SCHEMA: &str = "
CREATE TABLE users (id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, email text NOT NULL UNIQUE);
CREATE TABLE credentials_entity (id varchar(36) PRIMARY KEY, name text NOT NULL, type text NOT NULL,
  data text NOT NULL);
CREATE TABLE workflows (id serial PRIMARY KEY, user_id bigint NOT NULL REFERENCES users (id),
  name text NOT NULL UNIQUE, definition jsonb NOT NULL, is_active boolean NOT NULL DEFAULT false);";

fn definition(node: &str, ty: &str, id: &str, name: &str) -> String {
    format!(
        r#"{{"nodes":[{{"name":"Trigger","type":"n8n-nodes-base.manualTrigger"}},{{"name":"{node}","type":"n8n-nodes-base.x","credentials":{{"{ty}":{{"id":"{id}","name":"{name}"}}}}}}],"connections":{{}}}}"#
    )
}

const WORKFLOWS: &str = "
[workflows]
table = \"workflows\"
key = [\"name\"]
definition = \"definition\"
active = \"is_active\"
";

const USERS: &str = "
[[tables]]
table = \"users\"
key = [\"email\"]
";

/// Dev: ana (1) owns "Post to X" (X account credential d-x, active) and "Slack alert" (a
/// Slack credential prod lacks). Prod: ana is user 8, its X account credential is p-x.
fn wf_env(pg: &Pg, secret: &str) -> (String, String) {
    let (dev, prod) = (pg.create_db("wf_dev"), pg.create_db("wf_prod"));
    pg.exec(&dev, WF_SCHEMA);
    pg.exec(&prod, WF_SCHEMA);
    pg.exec(
        &dev,
        &format!(
            "INSERT INTO users (id, email) VALUES (1, 'ana@acme.test'), (2, 'ben@acme.test');
             INSERT INTO credentials_entity VALUES ('d-x', 'X account', 'twitterOAuth2Api', '{secret}'),
               ('d-s', 'Slack bot', 'slackApi', '{secret}');
             INSERT INTO workflows (user_id, name, definition, is_active) VALUES
               (1, 'Post to X', '{}', true), (1, 'Slack alert', '{}', true);",
            definition("Post to X", "twitterOAuth2Api", "d-x", "X account"),
            definition("Notify #sales", "slackApi", "d-s", "Slack bot"),
        ),
    );
    pg.exec(
        &prod,
        &format!(
            "INSERT INTO users (id, email) VALUES (7, 'ben@acme.test'), (8, 'ana@acme.test');
             INSERT INTO credentials_entity VALUES ('p-x', 'X account', 'twitterOAuth2Api', '{secret}');"
        ),
    );
    (dev, prod)
}

/// A copied workflow's credential reference lands with prod's credential id (same type
/// and name), its owner is prod's ana (through the declared foreign key and the users'
/// email), and it is inactive; the plan shows the rewrite and says it lands inactive. The
/// credentials' encrypted data is read nowhere.
#[test]
fn a_workflow_lands_with_the_targets_credential_and_owner_and_inactive_on_postgres() {
    let pg = cluster();
    let secret = planted("n8nenc_");
    let (dev, prod) = wf_env(&pg, &secret);
    let d = pg_dir(
        &pg,
        &dev,
        &prod,
        &format!("{WORKFLOWS}credentials_table = \"credentials_entity\"\n{USERS}"),
    );
    let (j, o) = plan_and_apply(&d, &["--table", "workflows", "--key", "Post to X"]);
    assert_eq!(o.code, 0, "{}{}", o.stdout, o.stderr);
    let row = &j["tables"][0]["rows"][0];
    assert_eq!(
        row["credentials"][0],
        serde_json::json!({"node": "Post to X", "credential_type": "twitterOAuth2Api",
            "name": "X account", "from_id": "d-x", "to_id": "p-x"}),
        "{j}"
    );
    assert_eq!(row["remapped"][0]["to_value"], "8", "{j}");
    let warnings = j["warnings"].to_string();
    assert!(
        warnings.contains("land inactive in prod") && warnings.contains("Post to X"),
        "{warnings}"
    );
    assert_eq!(
        pg.query(
            &prod,
            "SELECT u.email || ' ' || w.is_active || ' ' || (w.definition #>> '{nodes,1,credentials,twitterOAuth2Api,id}')
               || ' ' || (w.definition #>> '{nodes,1,credentials,twitterOAuth2Api,name}')
             FROM workflows w JOIN users u ON u.id = w.user_id"
        ),
        "ana@acme.test false p-x X account"
    );
    let file = std::fs::read_to_string(d.join("plan.json")).unwrap();
    for shown in d.outputs.borrow().iter().chain([&file]) {
        assert!(!shown.contains(&secret), "credential data leaked: {shown}");
    }
}

/// `--activate` keeps dev's active flag: the workflow is active in prod after the apply
/// (the plan file remembers it, so the apply's own plan matches the preview).
#[test]
fn a_workflow_planned_with_activate_lands_active_on_postgres() {
    let pg = cluster();
    let (dev, prod) = wf_env(&pg, "x");
    let d = pg_dir(
        &pg,
        &dev,
        &prod,
        &format!("{WORKFLOWS}credentials_table = \"credentials_entity\"\n{USERS}"),
    );
    let (j, o) = plan_and_apply(
        &d,
        &["--table", "workflows", "--key", "Post to X", "--activate"],
    );
    assert_eq!(o.code, 0, "{}{}", o.stdout, o.stderr);
    assert!(
        j["warnings"].to_string().contains("--activate"),
        "{}",
        j["warnings"]
    );
    assert_eq!(
        pg.query(
            &prod,
            "SELECT is_active FROM workflows WHERE name = 'Post to X'"
        ),
        "t"
    );
}

/// A credential prod lacks blocks naming the workflow, the node, the credential's type and
/// name, and what to do; without `credentials_table` every reference blocks asking for it.
/// A blocked workflow is never inserted.
#[test]
fn a_missing_credential_or_no_credentials_table_blocks_the_workflow_on_postgres() {
    let pg = cluster();
    let (dev, prod) = wf_env(&pg, "x");
    let d = pg_dir(
        &pg,
        &dev,
        &prod,
        &format!("{WORKFLOWS}credentials_table = \"credentials_entity\"\n{USERS}"),
    );
    let o = plan(&d, &["--table", "workflows", "--key", "Slack alert"]);
    assert_eq!(o.code, 4, "{}{}", o.stdout, o.stderr);
    let j = o.json();
    let b = blockers(&j);
    assert_eq!(
        b,
        [
            "workflow \"Slack alert\": node \"Notify #sales\" uses the slackApi credential \"Slack bot\", which does not exist in prod: create a slackApi credential named \"Slack bot\" in prod first, then plan again"
        ],
        "{j}"
    );
    assert_eq!(j["tables"].as_array().unwrap().len(), 0, "{j}");

    let d = pg_dir(&pg, &dev, &prod, &format!("{WORKFLOWS}{USERS}"));
    let o = plan(&d, &["--table", "workflows", "--key", "Post to X"]);
    assert_eq!(o.code, 4, "{}{}", o.stdout, o.stderr);
    let b = blockers(&o.json()).join("\n");
    assert!(
        b.contains("node \"Post to X\" uses the twitterOAuth2Api credential \"X account\"")
            && b.contains("[workflows] credentials_table is not configured"),
        "{b}"
    );
    assert_eq!(pg.query(&prod, "SELECT count(*) FROM workflows"), "0");
}

/// SQLite, no declared foreign key on user_id: `owner = "user_id"`, `owner_table =
/// "users"` remaps it through the users' email (dev's 1 is prod's 5) and the workflow lands
/// inactive (0); an owner prod lacks blocks naming them.
#[test]
fn owner_and_owner_table_remap_an_undeclared_owner_on_sqlite() {
    let d = sqlite_dir(&format!(
        "{WORKFLOWS}owner = \"user_id\"\nowner_table = \"users\"\n{USERS}"
    ));
    let schema = [
        "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL UNIQUE)",
        "CREATE TABLE workflows (id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL, name TEXT NOT NULL UNIQUE, definition TEXT NOT NULL, is_active INTEGER NOT NULL DEFAULT 0)",
    ];
    let mut dev = schema.to_vec();
    dev.extend([
        "INSERT INTO users VALUES (1, 'ana@acme.test'), (2, 'zoe@acme.test')",
        "INSERT INTO workflows VALUES (3, 1, 'Digest', '{\"nodes\":[]}', 1), (4, 2, 'Zoe''s', '{\"nodes\":[]}', 1)",
    ]);
    sqlite_exec(&d.join("dev.db"), &dev);
    let mut prod = schema.to_vec();
    prod.push("INSERT INTO users VALUES (5, 'ana@acme.test')");
    sqlite_exec(&d.join("prod.db"), &prod);

    let (j, o) = plan_and_apply(&d, &["--table", "workflows", "--key", "Digest"]);
    assert_eq!(o.code, 0, "{}{}", o.stdout, o.stderr);
    let r = &j["tables"][0]["rows"][0]["remapped"][0];
    assert_eq!(
        (
            r["column"].as_str(),
            r["from_value"].as_str(),
            r["to_value"].as_str()
        ),
        (Some("user_id"), Some("1"), Some("5")),
        "{j}"
    );
    assert_eq!(
        sqlite_query(
            &d.join("prod.db"),
            "SELECT user_id || ' ' || is_active FROM workflows"
        ),
        "5 0"
    );

    let o = plan(&d, &["--table", "workflows", "--key", "Zoe's"]);
    assert_eq!(o.code, 4, "{}{}", o.stdout, o.stderr);
    let b = blockers(&o.json()).join("\n");
    assert!(
        b.contains("needs users (zoe@acme.test), which is missing in prod"),
        "{b}"
    );
}

/// The first column of the first row of `sql` on a SQLite file, as text.
fn sqlite_query(file: &std::path::Path, sql: &str) -> String {
    crate::util::rt().block_on(async {
        use sqlx::Connection as _;
        let o = sqlx::sqlite::SqliteConnectOptions::new().filename(file);
        let mut c = sqlx::SqliteConnection::connect_with(&o).await.unwrap();
        let v: String = sqlx::query_scalar(sqlx::AssertSqlSafe(sql.to_string()))
            .fetch_one(&mut c)
            .await
            .unwrap();
        c.close().await.unwrap();
        v
    })
}

/// The demo's dev-only workflow plans clean: its X credential points at prod's, its owner
/// is matched by email, and it lands inactive.
#[test]
fn the_demos_missing_workflow_plans_unblocked() {
    let d = Dir::new();
    let ws = d.demo();
    let o = d
        .cmd(&[
            "--workspace",
            ws.to_str().unwrap(),
            "sync",
            "plan",
            "--from",
            "dev",
            "--to",
            "prod",
            "--table",
            "workflows",
            "--key",
            "Post new blog articles to X",
            "--json",
        ])
        .run();
    assert_eq!(o.code, 0, "{}{}", o.stdout, o.stderr);
    let j = o.json();
    assert_eq!(j["blockers"], serde_json::json!([]), "{j}");
    let row = &j["tables"][0]["rows"][0];
    assert_eq!(row["credentials"][0]["to_id"], "Pz4pRodTw1tter91", "{j}");
    assert_eq!(row["remapped"][0]["parent_key"][0], "ana@acme.test", "{j}");
    assert!(j["warnings"].to_string().contains("land inactive"), "{j}");
}

/// `owner` without `owner_table` is refused when the workspace loads, at its line.
#[test]
fn owner_without_owner_table_is_refused_at_its_line() {
    let d = sqlite_dir(&format!("{WORKFLOWS}owner = \"user_id\"\n"));
    let o = plan(&d, &["--table", "workflows", "--all-missing"]);
    assert_eq!(o.code, 1, "{}{}", o.stdout, o.stderr);
    assert!(
        o.stderr.contains("envdeck.toml:")
            && o.stderr
                .contains("owner and workflows.owner_table go together"),
        "{}",
        o.stderr
    );
}
