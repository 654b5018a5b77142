//! Fixtures recorded from the real engine: what the window's dev-only fake backend answers
//! (`ui/src/lib/fixtures`), and the demo's expected drift (`src-tauri/demo/expected-drift.json`)
//! that the compare test, the window test and the UI tests all read. Stale fixtures fail;
//! `UPDATE_FIXTURES=1 tests/run-suite.sh --test integration fixtures` rewrites them.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Duration, Utc};
use envdeck::api::{Context, session};
use envdeck::compare::Area;
use envdeck::error::ErrorCode;
use envdeck::progress::NoProgress;
use serde_json::{Value, json};

use crate::util::{Dir, require_private_keyring, rt};

/// Where the recording says the demo lives, instead of the test's temp folder.
const DATA_DIR: &str = "/home/you/.local/share/envdeck";
/// The instant the recording's times are relative to; the fake moves them to its own "now".
const NOW: &str = "2026-11-20T12:00:00Z";
/// Written by the fake backend into every answer it cannot give, and never in the app: the
/// built window must not contain it (see `ui/src/lib/fake-backend.ts`).
const FAKE_MARKER: &str = "envdeck-fake-backend";

fn repo(p: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(p)
}

/// One (area, kind, key, severity) per finding `envdeck check --from dev --to prod` reports on
/// the demo, as the fixture lists them.
pub fn expected_drift() -> Vec<(String, String, String, String)> {
    let text = std::fs::read_to_string(repo("src-tauri/demo/expected-drift.json")).unwrap();
    let v: Value = serde_json::from_str(&text).unwrap();
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let s = |k: &str| f[k].as_str().unwrap().to_string();
            (s("area"), s("kind"), s("key"), s("severity"))
        })
        .collect()
}

/// The fake backend shows the window exactly what the engine says about the demo: same
/// findings (26 from dev to prod), same texts, same rows. A change to the engine or the demo
/// comes with re-recorded fixtures, or this fails.
#[test]
fn fake_backend_fixtures_match_the_engine_on_the_demo() {
    require_private_keyring();
    let d = Dir::new();
    let data_dir = d.data_dir();
    let (mut demo, created) = rt().block_on(record(&data_dir));
    normalise(&mut demo, created, &[&data_dir]);

    let drift: Vec<_> = demo["compare"]["dev/prod"]
        .as_object()
        .unwrap()
        .values()
        .flat_map(|r| r["findings"].as_array().unwrap().clone())
        .map(|f| {
            let s = |k: &str| f[k].as_str().unwrap().to_string();
            (s("area"), s("kind"), s("key"), s("severity"))
        })
        .collect();
    let mut want = expected_drift();
    let mut got = drift.clone();
    want.sort();
    got.sort();
    assert_eq!(
        got, want,
        "the engine's dev → prod findings on the demo differ from src-tauri/demo/expected-drift.json"
    );

    let codes: BTreeMap<&str, Value> = ErrorCode::ALL
        .iter()
        .map(|c| (c.as_str(), json!({ "retryable": c.retryable() })))
        .collect();
    check_or_write("ui/src/lib/fixtures/demo.json", &demo);
    check_or_write("ui/src/lib/fixtures/error-codes.json", &json!(codes));
}

/// The fake backend and its fixtures are for `npm run dev` and the UI tests: the window
/// people run must talk to the engine only. `make test` builds ui/dist before this runs.
#[test]
fn the_built_window_does_not_contain_the_fake_backend() {
    let assets = repo("ui/dist/assets");
    let files: Vec<PathBuf> = std::fs::read_dir(&assets)
        .unwrap_or_else(|e| panic!("{}: {e}: build the UI first (`make ui`)", assets.display()))
        .map(|e| e.unwrap().path())
        .collect();
    let text: Vec<(PathBuf, String)> = files
        .iter()
        .filter(|p| p.extension().is_some_and(|x| x == "js"))
        .map(|p| (p.clone(), std::fs::read_to_string(p).unwrap()))
        .collect();
    // The grep itself works on the minified bundle: the outside-the-app screen is there.
    assert!(
        text.iter()
            .any(|(_, t)| t.contains("must be opened through the envdeck app")),
        "no built script in {} shows the outside-the-app screen: is ui/dist current?",
        assets.display()
    );
    for (p, t) in &text {
        assert!(
            !t.contains(FAKE_MARKER) && !t.contains(DATA_DIR),
            "{} contains the fake backend or its fixtures",
            p.display()
        );
    }
    assert!(
        !files.iter().any(|p| p.to_string_lossy().contains("fake")),
        "a fake-backend chunk was built: {files:?}"
    );
}

/// Every answer the window asks for on the demo, from a fresh data directory (as on first
/// launch), and the instant the demo was created.
async fn record(data_dir: &Path) -> (Value, DateTime<Utc>) {
    let ctx = Context::open(data_dir).await.unwrap();
    let workspace = session::workspace_current(&ctx).await.unwrap();
    let created = Utc::now();
    let ws = Path::new(&workspace.path);
    let envs: Vec<String> = workspace
        .environments
        .iter()
        .map(|e| e.name.clone())
        .collect();
    let mut status = BTreeMap::new();
    let mut detail = BTreeMap::new();
    for e in &envs {
        status.insert(
            e,
            json!(session::environment_status(&ctx, ws, e).await.unwrap()),
        );
        detail.insert(
            e,
            json!(session::environment_detail(&ctx, ws, e).await.unwrap()),
        );
    }
    // The dashboard's drawers (api/details.rs): every integration and workflow of the demo.
    let mut drawers = BTreeMap::new();
    for e in &envs {
        let listed = session::environment_detail(&ctx, ws, e).await.unwrap();
        let mut integrations = BTreeMap::new();
        for r in &listed.integrations {
            let account = r.account.as_deref();
            let got = envdeck::api::details::integration(&ctx, ws, e, &r.provider, account)
                .await
                .unwrap();
            let mut v = json!(got);
            drawer_times(&mut v, created);
            integrations.insert(format!("{}/{}", r.provider, account.unwrap_or("")), v);
        }
        let mut workflows = BTreeMap::new();
        for w in &listed.workflows {
            let got = envdeck::api::details::workflow(&ctx, ws, e, &w.key)
                .await
                .unwrap();
            let mut v = json!(got);
            drawer_times(&mut v, created);
            workflows.insert(w.key.clone(), v);
        }
        drawers.insert(
            e,
            json!({ "integrations": integrations, "workflows": workflows }),
        );
    }
    let mut compare = BTreeMap::new();
    let mut values = BTreeMap::new();
    // The compare drawer's side-by-side view of schema, migration and config findings.
    let mut sides = BTreeMap::new();
    for from in &envs {
        for to in envs.iter().filter(|t| *t != from) {
            let pair = format!("{from}/{to}");
            let mut areas = serde_json::Map::new();
            let mut pair_values: BTreeMap<&str, BTreeMap<String, Value>> = BTreeMap::new();
            let mut pair_sides: BTreeMap<&str, BTreeMap<String, Value>> = BTreeMap::new();
            for area in Area::ALL {
                let report =
                    session::compare_area(&ctx, ws, from, to, area, "fixtures", &NoProgress)
                        .await
                        .unwrap();
                // The two sides a finding's "Show values" asks for.
                if matches!(
                    area,
                    Area::Workflows | Area::ReferenceData | Area::Data | Area::Schema
                ) {
                    for f in &report.findings {
                        let key = json!(f)["key"].as_str().unwrap().to_string();
                        let v = session::finding_values(
                            &ctx,
                            ws,
                            from,
                            to,
                            area,
                            &f.key_parts,
                            Some(f.kind),
                        )
                        .await
                        .unwrap();
                        pair_values
                            .entry(area.as_str())
                            .or_default()
                            .insert(key, json!(v));
                    }
                }
                if envdeck::compare::sides::has_sides(area) {
                    for f in &report.findings {
                        let s = envdeck::api::compare::finding_sides(
                            &ctx,
                            ws,
                            from,
                            to,
                            area,
                            &f.key_parts,
                            f.kind,
                        )
                        .await
                        .unwrap();
                        pair_sides
                            .entry(area.as_str())
                            .or_default()
                            .insert(f.key.clone(), json!(s));
                    }
                }
                areas.insert(area.as_str().to_string(), json!(report));
            }
            compare.insert(pair.clone(), Value::Object(areas));
            values.insert(pair.clone(), json!(pair_values));
            sides.insert(pair, json!(pair_sides));
        }
    }
    let demo = json!({
        "recorded": "by tests/fixtures.rs from the engine on the demo workspace: do not edit, run `UPDATE_FIXTURES=1 tests/run-suite.sh --test integration fixtures`",
        "now": NOW,
        "workspace": workspace,
        "secrets": session::secrets_list(&ctx, ws).await.unwrap(),
        "status": status,
        "detail": detail,
        "compare": compare,
        "parity": session::integration_parity(&ctx, ws).await.unwrap(),
        "values": values,
        "sides": sides,
        "drawers": drawers,
    });
    (demo, created)
}

/// Takes out what changes from run to run: the temp folder, durations, and times the demo
/// computes from the moment it is created (which become offsets from [`NOW`]).
fn normalise(v: &mut Value, created: DateTime<Utc>, dirs: &[&Path]) {
    let now: DateTime<Utc> = NOW.parse().unwrap();
    let mut prefixes: Vec<String> = Vec::new();
    for d in dirs {
        prefixes.push(d.to_string_lossy().into_owned());
        if let Ok(c) = d.canonicalize() {
            prefixes.push(c.to_string_lossy().into_owned());
        }
    }
    walk(v, &mut |key, v| match (key, &*v) {
        ("duration_ms" | "latency_ms", Value::Number(_)) => *v = json!(0),
        ("expires_in_seconds", Value::Number(n)) => *v = json!(to_minute(n.as_i64().unwrap())),
        ("expires_at" | "last_run_at", Value::String(s)) => {
            let t: DateTime<Utc> = s.parse().unwrap();
            let offset = to_minute((t - created).num_seconds());
            *v = json!(
                (now + Duration::seconds(offset))
                    .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
            );
        }
        (_, Value::String(s)) => {
            let mut s = s.clone();
            for p in &prefixes {
                s = s.replace(p.as_str(), DATA_DIR);
            }
            *v = json!(s);
        }
        _ => {}
    });
}

/// The drawers' times that the demo computes from its creation (an integration's
/// `expires_at` field, a run's start and end, a workflow's last failure), moved as
/// [`normalise`] moves the dashboard's.
fn drawer_times(v: &mut Value, created: DateTime<Utc>) {
    let now: DateTime<Utc> = NOW.parse().unwrap();
    let shift = |s: &str| {
        let t: DateTime<Utc> = s.parse().unwrap();
        let offset = to_minute((t - created).num_seconds());
        json!((now + Duration::seconds(offset)).to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
    };
    // `get_mut`, not indexing: indexing a missing key would add it as null.
    if let Some(fields) = v.get_mut("fields").and_then(Value::as_array_mut) {
        for f in fields {
            if f["key"] == "expires_at"
                && let Some(s) = f["value"].as_str()
            {
                let moved = shift(s);
                f["value"] = moved;
            }
        }
    }
    if let Some(runs) = v.get_mut("last_runs").and_then(Value::as_array_mut) {
        for r in runs {
            if let Some(s) = r["started_at"].as_str() {
                let moved = shift(s);
                // The end moves with the start, so the run keeps its length.
                if let Some(f) = r["finished_at"].as_str() {
                    let by = moved.as_str().unwrap().parse::<DateTime<Utc>>().unwrap()
                        - s.parse::<DateTime<Utc>>().unwrap();
                    let end = f.parse::<DateTime<Utc>>().unwrap() + by;
                    r["finished_at"] =
                        json!(end.to_rfc3339_opts(chrono::SecondsFormat::Secs, true));
                }
                r["started_at"] = moved;
            }
        }
    }
    if let Some(s) = v.get("last_failure_at").and_then(Value::as_str) {
        let moved = shift(s);
        v["last_failure_at"] = moved;
    }
}

/// `secs` rounded to the nearest minute: the demo's times are whole minutes from its creation.
fn to_minute(secs: i64) -> i64 {
    (secs as f64 / 60.0).round() as i64 * 60
}

fn walk(v: &mut Value, f: &mut dyn FnMut(&str, &mut Value)) {
    fn go(key: &str, v: &mut Value, f: &mut dyn FnMut(&str, &mut Value)) {
        match v {
            Value::Object(m) => m.iter_mut().for_each(|(k, x)| go(k, x, f)),
            Value::Array(a) => a.iter_mut().for_each(|x| go(key, x, f)),
            _ => f(key, v),
        }
    }
    go("", v, f)
}

/// Writes `value` to `path` with `UPDATE_FIXTURES` set, else fails when the file differs.
fn check_or_write(path: &str, value: &Value) {
    let text = serde_json::to_string_pretty(value).unwrap() + "\n";
    let file = repo(path);
    if std::env::var_os("UPDATE_FIXTURES").is_some() {
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(&file, text).unwrap();
        return;
    }
    let committed = std::fs::read_to_string(&file).unwrap_or_default();
    assert!(
        committed == text,
        "{path} is stale: run `UPDATE_FIXTURES=1 tests/run-suite.sh --test integration fixtures` and commit the result"
    );
}
