//! Every read path opens environments read-only: a probe in the database logs, for each row
//! envdeck reads, whether the reading transaction was read-only, and after status, check,
//! table-diff, the dashboard, the parity grid and the side-by-side values, every line says
//! it was.

use crate::util::pg::{Pg, cluster, workspace};
use crate::util::{Dir, rt};

/// A product database whose `integrations`, `workflows` and `roles` are views that call a
/// probe for every row read; the probe logs `transaction_read_only` to the server log.
fn probed_db(pg: &Pg, label: &str) -> String {
    let db = pg.product_db(label, 3, 2);
    pg.exec(
        &db,
        "CREATE FUNCTION envdeck_probe() RETURNS boolean LANGUAGE plpgsql VOLATILE AS $$
           BEGIN
             RAISE LOG 'envdeck-probe read_only=% db=%', current_setting('transaction_read_only'), current_database();
             RETURN true;
           END $$;
         ALTER TABLE integrations RENAME TO integrations_t;
         CREATE VIEW integrations AS SELECT * FROM integrations_t WHERE envdeck_probe();
         ALTER TABLE workflows RENAME TO workflows_t;
         CREATE VIEW workflows AS SELECT * FROM workflows_t WHERE envdeck_probe();
         CREATE TABLE roles_t (name text primary key, permissions text);
         INSERT INTO roles_t VALUES ('admin', 'all'), ('viewer', 'read');
         CREATE VIEW roles AS SELECT * FROM roles_t WHERE envdeck_probe();",
    );
    db
}

#[test]
fn every_read_path_opens_environments_read_only() {
    let pg = cluster();
    let (a, b) = (probed_db(&pg, "roa"), probed_db(&pg, "rob"));
    pg.exec(
        &a,
        "UPDATE workflows_t SET description = 'changed' WHERE name = 'wf 1'",
    );
    let d = Dir::new();
    let p = d.write(
        "envdeck.toml",
        &(workspace(&[
            ("dev", "development", &format!("{{ url = \"{}\" }}", pg.url_for(&a))),
            ("prod", "production", &format!("{{ url = \"{}\" }}", pg.url_for(&b))),
        ]) + "\n[workflows]\ntable = \"workflows\"\nkey = [\"name\"]\ndefinition = \"definition\"\n\n[[reference_data]]\ntable = \"roles\"\nkey = [\"name\"]\n"),
    );
    for args in [
        vec!["status"],
        vec!["check", "--from", "dev", "--to", "prod"],
        vec!["check", "--from", "prod", "--to", "dev"],
        vec![
            "table-diff",
            "--from",
            "dev",
            "--to",
            "prod",
            "--table",
            "integrations",
            "--key",
            "id",
        ],
    ] {
        let out = d.cmd(&args).run();
        assert!(
            !out.stderr.contains("error[internal]"),
            "{args:?}: {}",
            out.stderr
        );
    }
    rt().block_on(async {
        let ctx = envdeck::api::Context::open(&d.data_dir()).await.unwrap();
        let ws = envdeck::api::session::workspace_open(&ctx, &p)
            .await
            .unwrap();
        let ws = std::path::Path::new(&ws.path);
        for env in ["dev", "prod"] {
            let detail = envdeck::api::session::environment_detail(&ctx, ws, env)
                .await
                .unwrap();
            assert_eq!(detail.integrations.len(), 3, "{env}");
        }
        let grid = envdeck::api::session::integration_parity(&ctx, ws)
            .await
            .unwrap();
        assert!(grid.errors.is_empty());
        envdeck::api::session::finding_values(
            &ctx,
            ws,
            "dev",
            "prod",
            envdeck::compare::Area::Workflows,
            &envdeck::compare::KeyParts::name("wf 1"),
            None,
        )
        .await
        .unwrap();
        envdeck::api::session::finding_values(
            &ctx,
            ws,
            "dev",
            "prod",
            envdeck::compare::Area::ReferenceData,
            &envdeck::compare::KeyParts::of(
                Some("roles"),
                vec![envdeck::compare::KeyPart::text("admin")],
            ),
            None,
        )
        .await
        .unwrap();
    });
    let log = std::fs::read_to_string(std::env::var("ENVDECK_TEST_PG_LOG").unwrap()).unwrap();
    let probes: Vec<&str> = log
        .lines()
        .filter(|l| {
            l.contains("envdeck-probe")
                && (l.contains(&format!("db={a}")) || l.contains(&format!("db={b}")))
        })
        .collect();
    assert!(probes.len() > 20, "the probe ran {} times", probes.len());
    for db in [&a, &b] {
        assert!(
            probes.iter().any(|l| l.contains(&format!("db={db}"))),
            "{db} never read"
        );
    }
    let writable: Vec<&&str> = probes
        .iter()
        .filter(|l| !l.contains("read_only=on"))
        .collect();
    assert!(
        writable.is_empty(),
        "read in a writable transaction: {writable:?}"
    );
}
