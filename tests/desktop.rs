//! The window's desktop conveniences that the Rust side backs: the findings export (the
//! `check --json` report written to a file) and the recent-workspaces list.

use std::path::Path;

use envdeck::api::{Context, export, session};

use crate::util::{Dir, rt};

/// Values of the demo's env files whose names say they are secret.
fn secret_values(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    for file in [".env.local", ".env.production"] {
        let text = std::fs::read_to_string(dir.join(file)).unwrap();
        for line in text.lines() {
            let Some((k, v)) = line.split_once('=') else {
                continue;
            };
            let secret = ["SECRET", "KEY", "TOKEN", "PASSWORD"]
                .iter()
                .any(|w| k.contains(w));
            if secret && v.len() >= 8 {
                out.push(v.trim().to_string());
            }
        }
    }
    assert!(
        out.len() > 5,
        "the demo's env files have secrets to look for"
    );
    out
}

/// "Save as JSON…" on the Compare screen writes exactly what `envdeck check --json` prints
/// for the same pair, so scripts that read one read the other; and never a secret value.
#[test]
fn exported_findings_are_the_check_json_report_without_secrets() {
    let d = Dir::new();
    let ws = d.demo();
    let cli = d
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
    assert_eq!(cli.code, 3, "{}", cli.stderr);

    let out = d.join("exports/drift.json");
    std::fs::create_dir_all(out.parent().unwrap()).unwrap();
    let written = rt().block_on(async {
        let ctx = Context::open(&d.join("window-data")).await.unwrap();
        export::export_findings(&ctx, &ws, "dev", "prod", &out).await
    });
    let text = std::fs::read_to_string(&out).unwrap();
    assert_eq!(text, cli.stdout, "the file differs from `check --json`");
    let report: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(
        written.unwrap() as usize,
        report["findings"].as_array().unwrap().len()
    );
    assert_eq!(report["from"], "dev");
    assert_eq!(report["to"], "prod");

    for v in secret_values(ws.parent().unwrap()) {
        assert!(!text.contains(&v), "a secret value was exported: {v}");
    }
    assert!(
        !text.contains("demo-dev-") && !text.contains("demo-prod-"),
        "a demo token was exported"
    );
}

/// An export to a folder that does not exist says where it could not write, with the `io`
/// code, and leaves nothing behind.
#[test]
fn an_export_that_cannot_be_written_says_where() {
    let d = Dir::new();
    let ws = d.demo();
    let out = d.join("no/such/folder/drift.json");
    let err = rt()
        .block_on(async {
            let ctx = Context::open(&d.data_dir()).await.unwrap();
            export::export_findings(&ctx, &ws, "dev", "prod", &out).await
        })
        .unwrap_err();
    assert_eq!(err.code.as_str(), "io");
    assert!(err.message.contains("no/such/folder"), "{}", err.message);
    assert!(!out.exists());
}

fn workspace(d: &Dir, dir: &str, name: &str) -> std::path::PathBuf {
    d.write(
        &format!("{dir}/envdeck.toml"),
        &format!(
            "name = \"{name}\"\n\n[environments.dev]\nkind = \"development\"\ndatabase = {{ url = \"sqlite://dev.db\" }}\n"
        ),
    )
}

/// The sidebar's recent workspaces: newest first, each once, remembered across starts; a
/// file deleted since is listed as missing rather than failing the list.
#[test]
fn recent_workspaces_are_remembered_newest_first_and_gone_ones_are_missing() {
    let d = Dir::new();
    let acme = workspace(&d, "acme", "acme");
    let globex = workspace(&d, "globex", "globex");
    let data = d.data_dir();
    rt().block_on(async {
        let ctx = Context::open(&data).await.unwrap();
        assert!(session::workspace_recent(&ctx).await.unwrap().is_empty());
        session::workspace_open(&ctx, &acme).await.unwrap();
        session::workspace_open(&ctx, &globex).await.unwrap();
        session::workspace_open(&ctx, &acme).await.unwrap();
        ctx.store.close().await;
    });
    std::fs::remove_file(&globex).unwrap();
    let list = rt().block_on(async {
        // A new start: the list comes from the store, not from memory.
        let ctx = Context::open(&data).await.unwrap();
        session::workspace_recent(&ctx).await.unwrap()
    });
    let got: Vec<(&str, bool)> = list.iter().map(|r| (r.name.as_str(), r.missing)).collect();
    assert_eq!(got, [("acme", false), ("globex", true)]);
    assert_eq!(
        Path::new(&list[0].path),
        std::path::absolute(&acme).unwrap()
    );
}

/// A workspace created from the window is in the recent list at once, first, and once.
#[test]
fn a_created_workspace_is_first_in_the_recent_list() {
    let d = Dir::new();
    let acme = workspace(&d, "acme", "acme");
    d.write("new/dev.db", "");
    let input: envdeck::workspace::create::NewWorkspace =
        serde_json::from_value(serde_json::json!({
            "path": d.join("new").to_string_lossy(),
            "name": "fresh",
            "environments": [{"name": "dev", "kind": "development", "protected": false,
                              "database": {"type": "sqlite", "path": "dev.db"}}],
        }))
        .unwrap();
    let (created, restarted) = rt().block_on(async {
        let ctx = Context::open(&d.data_dir()).await.unwrap();
        session::workspace_open(&ctx, &acme).await.unwrap();
        envdeck::api::workspace::create_from_window(&ctx, &input, false)
            .await
            .unwrap();
        let created = session::workspace_recent(&ctx).await.unwrap();
        // The next start opens it again: still listed once.
        session::workspace_current(&ctx).await.unwrap();
        (created, session::workspace_recent(&ctx).await.unwrap())
    });
    for list in [&created, &restarted] {
        let got: Vec<&str> = list.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(got, ["fresh", "acme"]);
        assert_eq!(Path::new(&list[0].path), d.join("new/envdeck.toml"));
    }
}

/// The list keeps the last few only.
#[test]
fn recent_workspaces_keep_the_last_few() {
    let d = Dir::new();
    let data = d.data_dir();
    let names: Vec<String> = (0..envdeck::state::RECENT_LIMIT + 3)
        .map(|i| format!("ws{i}"))
        .collect();
    let list = rt().block_on(async {
        let ctx = Context::open(&data).await.unwrap();
        for n in &names {
            session::workspace_open(&ctx, &workspace(&d, n, n))
                .await
                .unwrap();
        }
        session::workspace_recent(&ctx).await.unwrap()
    });
    let got: Vec<&str> = list.iter().map(|r| r.name.as_str()).collect();
    let want: Vec<&str> = names
        .iter()
        .rev()
        .take(envdeck::state::RECENT_LIMIT)
        .map(String::as_str)
        .collect();
    assert_eq!(got, want);
}
