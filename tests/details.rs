//! The dashboard's drawers (api/details.rs) on real PostgreSQL: the values a person sees,
//! and no token, secret column or secret-looking definition field among them.

use envdeck::api::{Context, details};
use envdeck::error::ErrorCode;

use crate::util::pg::{Pg, cluster, workspace};
use crate::util::{Dir, planted, rt};

const MAPPING: &str = r#"
[integrations]
table = "integrations"
provider = "provider"
account = "account_email"
status = "status"
healthy_status = ["connected"]
expires_at = "expires_at"
updated_at = "updated_at"
scopes = "scopes"
secret_columns = ["access_token", "refresh_token", "signing_blob"]

[workflows]
table = "workflows"
key = ["name"]
definition = "definition"
active = "is_active"
runs = "execution_count"
failures = "failed_executions"
last_run_at = "last_execution_at"
last_run_status = "last_execution_status"
"#;

/// A production workspace over one product database.
fn prod_workspace(pg: &Pg, d: &Dir, db: &str) -> std::path::PathBuf {
    d.write(
        "envdeck.toml",
        &(workspace(&[(
            "prod",
            "production",
            &format!("{{ url = \"{}\" }}", pg.url_for(db)),
        )]) + MAPPING),
    )
}

/// The integration drawer shows the mapped columns (account, status, scopes, expiry) of
/// the row asked for, names the secret columns without reading them, and no token value
/// is anywhere in the answer.
#[test]
fn the_integration_drawer_shows_mapped_columns_and_never_a_token() {
    let pg = cluster();
    let db = pg.product_db("det_int", 0, 0);
    let (access, refresh, blob) = (planted("acc"), planted("ref"), planted("blob"));
    pg.exec(
        &db,
        &format!(
            "ALTER TABLE integrations ADD COLUMN signing_blob text;
             INSERT INTO integrations (user_id, provider, status, access_token, refresh_token, signing_blob,
               expires_at, scopes, account_email)
             VALUES (1, 'slack', 'revoked', '{access}', '{refresh}', '{blob}', now() + interval '3 days',
               'chat:write channels:read', 'ana@acme.test'),
                    (2, 'slack', 'connected', 'other-token', NULL, NULL, NULL, 'chat:write', 'bo@acme.test');"
        ),
    );
    let d = Dir::new();
    let ws = prod_workspace(&pg, &d, &db);
    let got = rt().block_on(async {
        let ctx = Context::open(&d.data_dir()).await.unwrap();
        details::integration(&ctx, &ws, "prod", "slack", Some("ana@acme.test")).await
    });
    let got = got.unwrap();
    let field = |k: &str| {
        got.fields
            .iter()
            .find(|f| f.key == k)
            .unwrap_or_else(|| panic!("no field {k}: {:?}", got.fields))
            .value
            .clone()
    };
    assert_eq!(field("account").as_deref(), Some("ana@acme.test"));
    assert_eq!(field("status").as_deref(), Some("revoked"));
    assert_eq!(field("scopes").as_deref(), Some("chat:write channels:read"));
    assert!(field("expires_at").is_some());
    assert_eq!(got.health.as_str(), "broken");
    assert_eq!(got.matching, 1);
    let mut withheld = got.withheld.clone();
    withheld.sort();
    assert_eq!(withheld, ["access_token", "refresh_token", "signing_blob"]);

    let text = serde_json::to_string(&got).unwrap();
    for secret in [&access, &refresh, &blob] {
        assert!(
            !text.contains(secret.as_str()),
            "a secret reached the answer: {text}"
        );
    }
    assert!(!text.contains("other-token"), "{text}");
}

/// The workflow drawer shows the run counters, the last run and the definition's nodes;
/// a secret-looking field of the definition and a secret column of the table never show.
#[test]
fn the_workflow_drawer_shows_runs_and_the_definition_without_secrets() {
    let pg = cluster();
    let db = pg.product_db("det_wf", 0, 0);
    let (key, hook) = (planted("key"), planted("hook"));
    pg.exec(
        &db,
        &format!(
            r#"ALTER TABLE workflows ADD COLUMN webhook_secret text;
             INSERT INTO workflows (user_id, name, definition, is_active, execution_count, failed_executions,
               last_execution_at, last_execution_status, webhook_secret)
             VALUES (1, 'Weekly digest',
               '{{"nodes":[{{"name":"Fetch orders","type":"n8n-nodes-base.httpRequest","parameters":{{"url":"https://api.acme.test","apiKey":"{key}"}}}}],"connections":{{"Fetch orders":{{"main":[]}}}}}}',
               false, 40, 3, '2026-11-19T08:00:00Z', 'error', '{hook}'),
                    (1, 'Other', '{{}}', true, 0, 0, NULL, NULL, NULL);"#
        ),
    );
    let d = Dir::new();
    let ws = prod_workspace(&pg, &d, &db);
    let got = rt()
        .block_on(async {
            let ctx = Context::open(&d.data_dir()).await.unwrap();
            details::workflow(&ctx, &ws, "prod", "Weekly digest").await
        })
        .unwrap();
    assert_eq!(got.name, "Weekly digest");
    assert_eq!(got.active, Some(false));
    assert_eq!((got.runs, got.failures), (Some(40), Some(3)));
    assert_eq!(got.last_runs.len(), 1);
    assert_eq!(got.last_runs[0].status.as_deref(), Some("error"));
    assert_eq!(
        got.last_runs[0].started_at.as_deref(),
        Some("2026-11-19T08:00:00Z")
    );
    // The last run failed: it is the last failure the row knows of.
    assert_eq!(got.last_failure_at.as_deref(), Some("2026-11-19T08:00:00Z"));
    let definition = got.definition.clone().unwrap();
    assert!(definition.contains("Fetch orders"), "{definition}");
    assert!(definition.contains("https://api.acme.test"), "{definition}");
    assert!(definition.contains("<redacted>"), "{definition}");

    let text = serde_json::to_string(&got).unwrap();
    for secret in [&key, &hook] {
        assert!(
            !text.contains(secret.as_str()),
            "a secret reached the answer: {text}"
        );
    }
}

/// A production workspace whose workflows have a runs table (`workflow_runs`).
fn runs_workspace(pg: &Pg, d: &Dir, db: &str) -> std::path::PathBuf {
    d.write(
        "envdeck.toml",
        &(workspace(&[(
            "prod",
            "production",
            &format!("{{ url = \"{}\" }}", pg.url_for(db)),
        )]) + MAPPING
            + "runs_table = \"workflow_runs\"\nruns_workflow = \"workflow_id\"\nruns_status = \"state\"\nruns_started_at = \"started_at\"\nruns_finished_at = \"finished_at\"\nruns_error = \"error_message\"\n"),
    )
}

/// Without a runs table the drawer shows the one run the workflows table records and says,
/// in a sentence, that no runs table is mapped and how to map one.
#[test]
fn without_a_runs_table_the_drawer_says_so_and_how_to_map_one() {
    let pg = cluster();
    let db = pg.product_db("det_norun", 0, 2);
    let d = Dir::new();
    let ws = prod_workspace(&pg, &d, &db);
    let got = rt()
        .block_on(async {
            let ctx = Context::open(&d.data_dir()).await.unwrap();
            details::workflow(&ctx, &ws, "prod", "wf 1").await
        })
        .unwrap();
    assert_eq!(got.runs_table, None);
    assert!(got.last_runs.is_empty(), "{:?}", got.last_runs);
    let note = got
        .runs_note
        .expect("a sentence about the missing runs table");
    assert!(note.starts_with("No runs table is mapped"), "{note}");
    assert!(note.contains("runs_table = \"execution_entity\""), "{note}");
    assert!(note.contains("envdeck.toml:"), "the line to edit: {note}");
}

/// With a runs table the drawer lists that workflow's ten newest runs, newest first (a run
/// with no start last), with their length and error, and counts runs, failures (statuses
/// matched case-insensitively) and the last failure over all its runs, not another's.
#[test]
fn the_workflow_drawer_lists_the_ten_newest_runs_and_counts_failures() {
    let pg = cluster();
    let db = pg.product_db("det_runs", 0, 2);
    let url_with_password = "postgres://n8n:hunter2-planted@db.acme.test/n8n";
    pg.exec(
        &db,
        &format!(
            "CREATE TABLE workflow_runs (id serial primary key, workflow_id bigint references workflows(id),
               state text, started_at timestamptz, finished_at timestamptz, error_message text);
             -- wf 1: 13 runs, an hour apart, the newest first in time order below; 4 failures.
             INSERT INTO workflow_runs (workflow_id, state, started_at, finished_at, error_message)
             SELECT w.id,
                    CASE g WHEN 2 THEN 'ERROR' WHEN 5 THEN 'crashed' WHEN 12 THEN 'error' ELSE 'success' END,
                    timestamptz '2026-11-20 12:00:00+00' - g * interval '1 hour',
                    timestamptz '2026-11-20 12:00:00+00' - g * interval '1 hour' + interval '1500 milliseconds',
                    CASE g WHEN 2 THEN 'connect to {url_with_password} refused' END
             FROM workflows w, generate_series(0, 12) g WHERE w.name = 'wf 1';
             INSERT INTO workflow_runs (workflow_id, state, started_at)
             SELECT id, 'error', NULL FROM workflows WHERE name = 'wf 1';
             -- wf 2: runs that must not be counted for wf 1.
             INSERT INTO workflow_runs (workflow_id, state, started_at)
             SELECT id, 'error', timestamptz '2026-11-21 00:00:00+00' FROM workflows WHERE name = 'wf 2';"
        ),
    );
    let d = Dir::new();
    let ws = runs_workspace(&pg, &d, &db);
    let got = rt()
        .block_on(async {
            let ctx = Context::open(&d.data_dir()).await.unwrap();
            details::workflow(&ctx, &ws, "prod", "wf 1").await
        })
        .unwrap();
    assert_eq!(got.runs_table.as_deref(), Some("workflow_runs"));
    assert_eq!(got.runs_note, None);
    assert_eq!(got.last_runs.len(), details::LAST_RUNS);
    let starts: Vec<&str> = got
        .last_runs
        .iter()
        .map(|r| r.started_at.as_deref().unwrap())
        .collect();
    assert_eq!(starts[0], "2026-11-20T12:00:00Z");
    assert_eq!(starts[9], "2026-11-20T03:00:00Z");
    assert!(starts.windows(2).all(|w| w[0] > w[1]), "{starts:?}");
    let third = &got.last_runs[2];
    assert_eq!(third.status.as_deref(), Some("ERROR"));
    assert_eq!(third.elapsed_ms, Some(1500));
    assert_eq!(third.finished_at.as_deref(), Some("2026-11-20T10:00:01Z"));
    let error = third.error.as_deref().unwrap();
    assert!(error.starts_with("connect to postgres://"), "{error}");
    assert!(
        !error.contains("hunter2-planted"),
        "a password in an error: {error}"
    );
    assert_eq!(got.last_runs[0].error, None);
    // 13 timed runs and one without a start; ERROR, crashed, error and the start-less error.
    assert_eq!((got.runs, got.failures), (Some(14), Some(4)));
    assert_eq!(got.last_failure_at.as_deref(), Some("2026-11-20T10:00:00Z"));
}

/// A runs-table column that does not exist is a coded error naming the table, the column
/// and the envdeck.toml line to fix; a runs table missing from the database names the key.
#[test]
fn a_wrong_runs_mapping_names_the_column_and_the_line() {
    let pg = cluster();
    let db = pg.product_db("det_runs_bad", 0, 1);
    pg.exec(
        &db,
        "CREATE TABLE workflow_runs (id serial primary key, workflow_id bigint, state text,
           started_at timestamptz, finished_at timestamptz);",
    );
    let d = Dir::new();
    let ws = runs_workspace(&pg, &d, &db);
    let err = rt()
        .block_on(async {
            let ctx = Context::open(&d.data_dir()).await.unwrap();
            details::workflow(&ctx, &ws, "prod", "wf 1").await
        })
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::TableMissing, "{}", err.message);
    assert!(err.message.contains("\"error_message\""), "{}", err.message);
    assert!(err.message.contains("runs_error at"), "{}", err.message);
    assert!(err.message.contains("envdeck.toml:"), "{}", err.message);

    pg.exec(&db, "DROP TABLE workflow_runs;");
    let err = rt()
        .block_on(async {
            let ctx = Context::open(&d.data_dir()).await.unwrap();
            details::workflow(&ctx, &ws, "prod", "wf 1").await
        })
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::TableMissing, "{}", err.message);
    assert!(
        err.message.contains("[workflows] runs_table"),
        "{}",
        err.message
    );
}

/// A runs mapping that cannot be right is refused when the file loads, with the line and a
/// sentence: a runs column without a runs table, a secret column, the integrations table.
#[test]
fn a_bad_runs_mapping_is_refused_on_load() {
    let d = Dir::new();
    let base = workspace(&[("dev", "development", "{ url = \"sqlite://dev.db\" }")]);
    for (extra, key, says) in [
        (
            "[workflows]\nruns_status = \"state\"\n",
            "workflows.runs_status",
            "runs_table is not",
        ),
        (
            "[workflows]\nruns_table = \"execution_entity\"\nruns_error = \"access_token\"\n",
            "workflows.runs_error",
            "secret column",
        ),
        (
            "[workflows]\nruns_table = \"integrations\"\n",
            "workflows.runs_table",
            "integrations table",
        ),
        (
            "[workflows]\nfailed_status = []\n",
            "workflows.failed_status",
            "no status counts as a failure",
        ),
    ] {
        let ws = d.write("envdeck.toml", &(base.clone() + extra));
        let err = envdeck::workspace::load(&ws).unwrap_err();
        assert_eq!(err.code, ErrorCode::WorkspaceInvalid, "{}", err.message);
        assert!(err.message.contains(key), "{}", err.message);
        assert!(err.message.contains(says), "{}", err.message);
        assert!(err.message.contains("envdeck.toml:"), "{}", err.message);
    }
}

/// On the demo (SQLite, n8n's own column names), the drawer's runs come from
/// execution_entity and agree with the dashboard's counters; the newest run is the failure
/// the dashboard shows, with its message.
#[test]
fn the_demo_drawer_shows_n8n_runs_that_match_the_dashboard() {
    let d = Dir::new();
    let ws = d.demo();
    let got = rt()
        .block_on(async {
            let ctx = Context::open(&d.data_dir()).await.unwrap();
            details::workflow(&ctx, &ws, "prod", "Slack lead alert").await
        })
        .unwrap();
    assert_eq!(got.runs_table.as_deref(), Some("execution_entity"));
    assert_eq!((got.runs, got.failures), (Some(412), Some(47)));
    assert_eq!(got.last_runs.len(), details::LAST_RUNS);
    let newest = &got.last_runs[0];
    assert_eq!(newest.status.as_deref(), Some("error"));
    assert!(newest.error.as_deref().unwrap().contains("invalid_auth"));
    assert!(newest.elapsed_ms.is_some_and(|ms| ms > 0));
    assert_eq!(got.last_failure_at, newest.started_at);
    assert!(
        got.last_runs
            .iter()
            .any(|r| r.status.as_deref() == Some("success"))
    );
}

/// A row that is gone since the dashboard was read, and a database that does not answer,
/// each come back as a coded error with a sentence saying what to do.
#[test]
fn a_missing_row_and_an_unreachable_database_are_coded_errors() {
    let pg = cluster();
    let db = pg.product_db("det_err", 1, 1);
    let d = Dir::new();
    let ws = prod_workspace(&pg, &d, &db);
    let (gone, wf_gone) = rt().block_on(async {
        let ctx = Context::open(&d.data_dir()).await.unwrap();
        (
            details::integration(&ctx, &ws, "prod", "nope", None)
                .await
                .unwrap_err(),
            details::workflow(&ctx, &ws, "prod", "nope")
                .await
                .unwrap_err(),
        )
    });
    assert_eq!(gone.code, ErrorCode::InvalidInput);
    assert!(gone.message.contains("Refresh"), "{}", gone.message);
    assert_eq!(wf_gone.code, ErrorCode::InvalidInput);

    // A closed port: refused within the connect timeout, as an unreachable database.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = closed.local_addr().unwrap().port();
    drop(closed);
    let ws = d.write(
        "envdeck.toml",
        &(workspace(&[(
            "prod",
            "production",
            &format!("{{ url = \"postgres://u@127.0.0.1:{port}/x\" }}"),
        )]) + MAPPING
            + "\n[timeouts]\nconnect = 2\n"),
    );
    let started = std::time::Instant::now();
    let err = rt()
        .block_on(async {
            let ctx = Context::open(&d.data_dir()).await.unwrap();
            details::workflow(&ctx, &ws, "prod", "wf 1").await
        })
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::DbUnreachable, "{}", err.message);
    assert!(started.elapsed() < std::time::Duration::from_secs(10));
}
