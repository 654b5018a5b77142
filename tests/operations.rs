//! The window's long work stops when asked: `cancel_operation(id)` ends every compare call
//! running under that id within a second, with `cancelled`, and the server stops their
//! statements too; other operations keep running.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use envdeck::api::{Context, session};
use envdeck::compare::Area;
use envdeck::error::ErrorCode;
use envdeck::progress::NoProgress;

use crate::util::pg::{Pg, cluster, workspace};
use crate::util::{Dir, rt};

/// A workspace file (and prod's database name): dev has `roles` as a table; in prod
/// `roles` is a view that sleeps 30 s per row. Only `reference_data` reads it.
pub fn slow_workspace_text(pg: &Pg) -> (String, String) {
    let fast = pg.create_db("ofast");
    pg.exec(
        &fast,
        "CREATE TABLE roles (name text primary key, permissions text); INSERT INTO roles VALUES ('admin', 'all');",
    );
    let slow = pg.create_db("oslow");
    pg.exec(
        &slow,
        "CREATE VIEW roles AS SELECT name, permissions || pg_sleep(30)::text AS permissions FROM (VALUES ('admin', 'all')) v(name, permissions);",
    );
    let text = workspace(&[
        (
            "dev",
            "development",
            &format!("{{ url = \"{}\" }}", pg.url_for(&fast)),
        ),
        (
            "prod",
            "production",
            &format!("{{ url = \"{}\" }}", pg.url_for(&slow)),
        ),
    ]) + "\n[[reference_data]]\ntable = \"roles\"\nkey = [\"name\"]\n\n[timeouts]\nstatement = 120\nscan = 120\n";
    (text, slow)
}

fn slow_workspace(pg: &Pg, d: &Dir) -> (PathBuf, String) {
    let (text, slow) = slow_workspace_text(pg);
    (d.write("envdeck.toml", &text), slow)
}

/// envdeck's statements the server is running in `db`.
pub fn active(pg: &Pg, db: &str) -> u32 {
    pg.query(
        "postgres",
        &format!(
            "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'envdeck' AND datname = '{db}' AND state = 'active'"
        ),
    )
    .parse()
    .unwrap()
}

fn wait_for(what: &str, limit: Duration, mut f: impl FnMut() -> bool) {
    let t = Instant::now();
    while !f() {
        assert!(t.elapsed() < limit, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn cancel_operation_stops_its_compare_calls_and_their_server_side_queries() {
    let pg = cluster();
    let d = Dir::new();
    let (ws, slow) = slow_workspace(&pg, &d);
    let rt = rt();
    let ctx = rt.block_on(Context::open(&d.data_dir())).unwrap();
    let call = |operation: &'static str| {
        let (ctx, ws) = (ctx.clone(), ws.clone());
        rt.spawn(async move {
            session::compare_area(
                &ctx,
                &ws,
                "dev",
                "prod",
                Area::ReferenceData,
                operation,
                &NoProgress,
            )
            .await
        })
    };
    // Two areas of one Compare, and another operation.
    let (a, b, other) = (call("op-1"), call("op-1"), call("op-2"));
    wait_for(
        "the three slow reads to start",
        Duration::from_secs(10),
        || active(&pg, &slow) == 3,
    );

    let t = Instant::now();
    session::cancel_operation(&ctx, "op-1");
    for call in [a, b] {
        let err = rt.block_on(call).unwrap().unwrap_err();
        assert_eq!(err.code, ErrorCode::Cancelled, "{err}");
    }
    let took = t.elapsed();
    assert!(
        took < Duration::from_secs(1),
        "ended {took:?} after the cancel"
    );
    wait_for(
        "the server to stop op-1's statements",
        Duration::from_secs(2),
        || active(&pg, &slow) == 1,
    );
    assert_eq!(ctx.operations.running("op-1"), 0);
    assert_eq!(ctx.operations.running("op-2"), 1, "op-2 was not cancelled");

    // A call that reaches the backend after its operation was cancelled does not start.
    let t = Instant::now();
    let late = rt.block_on(async {
        session::compare_area(
            &ctx,
            &ws,
            "dev",
            "prod",
            Area::ReferenceData,
            "op-1",
            &NoProgress,
        )
        .await
    });
    assert_eq!(late.unwrap_err().code, ErrorCode::Cancelled);
    assert!(t.elapsed() < Duration::from_millis(500));

    session::cancel_operation(&ctx, "op-2");
    let err = rt.block_on(other).unwrap().unwrap_err();
    assert_eq!(err.code, ErrorCode::Cancelled);
    wait_for(
        "the server to stop op-2's statement",
        Duration::from_secs(2),
        || active(&pg, &slow) == 0,
    );
}
