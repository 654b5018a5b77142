//! envdeck's own data directory: the local store under concurrent first use, and the
//! permissions of everything envdeck writes there.

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::{Command, Stdio};

use crate::util::{Dir, rt};

fn check_in(ws: &Path, data: &Path) -> std::process::Child {
    Command::new(env!("CARGO_BIN_EXE_envdeck"))
        .args(["check", "--from", "dev", "--to", "prod"])
        .arg("--workspace")
        .arg(ws)
        .env("ENVDECK_DATA_DIR", data)
        .env_remove("ENVDECK_WORKSPACE")
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn envdeck")
}

/// Eight `envdeck check` runs started at once on a fresh, empty data directory: one creates
/// the store, the others wait for it; every run gives the same answer as a run alone.
#[test]
fn concurrent_first_runs_on_an_empty_data_dir_all_succeed() {
    let d = Dir::new();
    let ws = d.demo();
    let alone = check_in(&ws, &d.join("alone")).wait_with_output().unwrap();
    let expected = alone.status.code();
    assert_eq!(
        expected,
        Some(3),
        "the demo has critical drift: {}",
        String::from_utf8_lossy(&alone.stderr)
    );
    let mut failures = Vec::new();
    for round in 0..8 {
        let data = d.join(&format!("round{round}"));
        let runs: Vec<_> = (0..8).map(|_| check_in(&ws, &data)).collect();
        for run in runs {
            let out = run.wait_with_output().unwrap();
            let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
            if out.status.code() != expected || stderr.contains("local store") {
                failures.push(format!("round {round}: {:?}: {stderr}", out.status.code()));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of 64 runs failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

fn mode(p: &Path) -> u32 {
    std::fs::metadata(p).unwrap().permissions().mode() & 0o777
}

/// Every file under `dir` with its mode, directories included.
fn modes(dir: &Path, out: &mut Vec<(std::path::PathBuf, u32, bool)>) {
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        let is_dir = p.is_dir();
        out.push((p.clone(), mode(&p), is_dir));
        if is_dir {
            modes(&p, out);
        }
    }
}

/// The data directory envdeck creates is 0700 and everything it writes there (logs, the
/// store with its WAL and lock files) is 0600, whatever the umask: other users on the
/// machine cannot read the audit log, the journal or the logs.
#[test]
fn the_data_dir_and_every_file_in_it_are_private() {
    let d = Dir::new();
    let ws = d.demo();
    // A data directory that does not exist yet, two levels deep.
    let data = d.join("fresh/envdeck-data");
    let out = check_in(&ws, &data).wait_with_output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(3),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // While a store is open its -wal and -shm files exist too.
    let rt = rt();
    let store = rt.block_on(async {
        let s = envdeck::state::Store::open(&data).await.unwrap();
        s.set_setting("probe", "1").await.unwrap();
        s
    });

    assert_eq!(mode(&data), 0o700, "data directory {}", data.display());
    let mut all = Vec::new();
    modes(&data, &mut all);
    let names: Vec<String> = all
        .iter()
        .map(|(p, _, _)| p.strip_prefix(&data).unwrap().display().to_string())
        .collect();
    for want in ["logs", "state.db", "state.db-wal", "state.db-shm"] {
        assert!(names.iter().any(|n| n == want), "no {want} in {names:?}");
    }
    assert!(
        names.iter().any(|n| n.starts_with("logs/envdeck.")),
        "no log file in {names:?}"
    );
    for (p, m, is_dir) in &all {
        let want = if *is_dir { 0o700 } else { 0o600 };
        assert_eq!(*m, want, "{} is {m:o}", p.display());
    }
    rt.block_on(store.close());
}
