//! Domain code stays below the api: the folders that hold envdeck's logic never reach up
//! into `crate::api` or `crate::cli`, and never touch tauri, so the CLI, the window and the
//! tests all run the same engine.

use std::path::{Path, PathBuf};

/// The domain folders (and files) of src-tauri/. `sync` and `reconnect` are checked as soon
/// as they exist.
const DOMAIN: &[&str] = &[
    "workspace",
    "secrets",
    "connectors",
    "snapshot",
    "compare",
    "tablediff",
    "state",
    "sync",
    "reconnect",
    "expiry",
    "demo",
    "progress.rs",
    "error.rs",
];

const FORBIDDEN: &[&str] = &[
    "crate::api",
    "crate::cli",
    "crate::commands",
    "crate::app",
    "tauri::",
    "use tauri",
    "#[tauri",
];

fn rust_files(p: &Path, out: &mut Vec<PathBuf>) {
    if p.is_file() {
        if p.extension().is_some_and(|e| e == "rs") {
            out.push(p.to_path_buf());
        }
        return;
    }
    if let Ok(rd) = std::fs::read_dir(p) {
        for e in rd.flatten() {
            rust_files(&e.path(), out);
        }
    }
}

#[test]
fn domain_modules_never_reach_up_into_api_cli_or_tauri() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src-tauri");
    let mut files = Vec::new();
    for d in DOMAIN {
        rust_files(&root.join(d), &mut files);
    }
    assert!(files.len() > 20, "found only {} domain files", files.len());
    let mut offences = Vec::new();
    for f in &files {
        let text = std::fs::read_to_string(f).unwrap();
        for (i, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or("");
            for bad in FORBIDDEN {
                if code.contains(bad) {
                    offences.push(format!(
                        "{}:{}: {}",
                        f.strip_prefix(&root).unwrap().display(),
                        i + 1,
                        line.trim()
                    ));
                }
            }
        }
    }
    assert!(
        offences.is_empty(),
        "domain code reaches up:\n{}",
        offences.join("\n")
    );
}
