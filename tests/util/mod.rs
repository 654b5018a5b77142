//! Shared test helpers: a temp folder per test, the envdeck binary as a user runs it,
//! the throwaway PostgreSQL started by tests/run-suite.sh, the private keyring, and the
//! real window under Xvfb.

#![allow(dead_code)]

pub mod oauth;
pub mod pg;
#[cfg(all(target_os = "linux", feature = "gui"))]
pub mod window;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// A temp folder with an envdeck data directory inside; removed on drop.
pub struct Dir {
    pub tmp: tempfile::TempDir,
    /// Every output an `envdeck` run produced here, for leak checks.
    pub outputs: std::cell::RefCell<Vec<String>>,
}

impl Dir {
    pub fn new() -> Dir {
        Dir {
            tmp: tempfile::Builder::new()
                .prefix("envdeck-test")
                .tempdir()
                .unwrap(),
            outputs: Default::default(),
        }
    }

    pub fn path(&self) -> &Path {
        self.tmp.path()
    }

    pub fn join(&self, p: &str) -> PathBuf {
        self.tmp.path().join(p)
    }

    pub fn data_dir(&self) -> PathBuf {
        self.join("data")
    }

    pub fn write(&self, name: &str, text: &str) -> PathBuf {
        let p = self.join(name);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(&p, text).unwrap();
        p
    }

    /// `envdeck ARGS` run from this folder, with its own data directory.
    pub fn cmd(&self, args: &[&str]) -> TestCommand<'_> {
        let mut c = Command::new(env!("CARGO_BIN_EXE_envdeck"));
        c.args(args)
            .current_dir(self.path())
            .env("ENVDECK_DATA_DIR", self.data_dir())
            .env_remove("ENVDECK_WORKSPACE")
            .env("NO_COLOR", "1");
        TestCommand {
            dir: self,
            cmd: c,
            stdin: None,
        }
    }

    /// Writes the demo workspace into `<dir>/demo` and returns its envdeck.toml.
    pub fn demo(&self) -> PathBuf {
        let out = self.cmd(&["demo", "init", "demo"]).run();
        assert!(out.ok(), "demo init failed: {}", out.stderr);
        self.join("demo/envdeck.toml")
    }

    /// Every file under the data directory, as bytes (the SQLite store included).
    pub fn data_files(&self) -> Vec<(PathBuf, Vec<u8>)> {
        let mut out = Vec::new();
        walk(&self.data_dir(), &mut out);
        out
    }
}

fn walk(dir: &Path, out: &mut Vec<(PathBuf, Vec<u8>)>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    for e in rd.flatten() {
        let p = e.path();
        if p.is_dir() {
            walk(&p, out);
        } else if let Ok(b) = std::fs::read(&p) {
            out.push((p, b));
        }
    }
}

pub struct TestCommand<'a> {
    dir: &'a Dir,
    cmd: Command,
    stdin: Option<Vec<u8>>,
}

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn ok(&self) -> bool {
        self.code == 0
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| {
            panic!(
                "stdout is not JSON ({e}):\n{}\nstderr:\n{}",
                self.stdout, self.stderr
            )
        })
    }
}

impl TestCommand<'_> {
    pub fn env(mut self, k: &str, v: impl AsRef<std::ffi::OsStr>) -> Self {
        self.cmd.env(k, v);
        self
    }

    pub fn stdin(mut self, s: &str) -> Self {
        self.stdin = Some(s.as_bytes().to_vec());
        self
    }

    /// Starts envdeck without waiting for it (no input; output piped).
    pub fn spawn(mut self) -> std::process::Child {
        self.cmd
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn envdeck")
    }

    pub fn run(mut self) -> Run {
        use std::io::Write;
        self.cmd
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = self.cmd.spawn().expect("spawn envdeck");
        let input = self.stdin.take().unwrap_or_default();
        {
            let mut si = child.stdin.take().unwrap();
            si.write_all(&input).unwrap();
        }
        let Output {
            status,
            stdout,
            stderr,
        } = child.wait_with_output().unwrap();
        let run = Run {
            code: status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&stdout).into_owned(),
            stderr: String::from_utf8_lossy(&stderr).into_owned(),
        };
        self.dir
            .outputs
            .borrow_mut()
            .extend([run.stdout.clone(), run.stderr.clone()]);
        run
    }
}

/// Fails unless the suite runs inside tests/with-keyring.sh, so a test never touches the
/// keychain of the person running it.
pub fn require_private_keyring() {
    assert_eq!(
        std::env::var("ENVDECK_TEST_KEYRING").as_deref(),
        Ok("1"),
        "keychain tests need the private Secret Service: run the suite with `make test` (tests/run-suite.sh)"
    );
}

/// A fresh random token for planting values that must never show up anywhere.
pub fn planted(label: &str) -> String {
    let mut b = [0u8; 8];
    let f = std::fs::File::open("/dev/urandom").map(|mut f| {
        use std::io::Read;
        f.read_exact(&mut b)
    });
    assert!(f.is_ok());
    format!(
        "{label}{}",
        b.iter().map(|x| format!("{x:02x}")).collect::<String>()
    )
}

/// A multi-threaded runtime for tests that call the library directly.
pub fn rt() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
}

/// Runs `statements` on a SQLite file (created if missing) with sqlx directly: test data
/// goes in through the driver, since envdeck's own connections never write.
pub fn sqlite_exec(file: &Path, statements: &[&str]) {
    rt().block_on(async {
        use sqlx::Connection as _;
        let o = sqlx::sqlite::SqliteConnectOptions::new()
            .filename(file)
            .create_if_missing(true);
        let mut c = sqlx::SqliteConnection::connect_with(&o).await.unwrap();
        for s in statements {
            sqlx::query(sqlx::AssertSqlSafe(s.to_string()))
                .execute(&mut c)
                .await
                .unwrap_or_else(|e| panic!("{s}: {e}"));
        }
        c.close().await.unwrap();
    });
}

/// The first column of every row of `sql` on a SQLite file, as text joined by spaces.
pub fn sqlite_query(file: &Path, sql: &str) -> String {
    rt().block_on(async {
        use sqlx::{Connection as _, Row as _};
        let o = sqlx::sqlite::SqliteConnectOptions::new().filename(file);
        let mut c = sqlx::SqliteConnection::connect_with(&o).await.unwrap();
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql.to_string()))
            .fetch_all(&mut c)
            .await
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
        c.close().await.unwrap();
        rows.iter()
            .map(|r| r.get::<String, _>(0))
            .collect::<Vec<_>>()
            .join(" ")
    })
}
