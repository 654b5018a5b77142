//! The real OAuth parts of the reconnect tests (tests/oauth/, installed by `make test`):
//! an OAuth 2.0 / OIDC server (npm oidc-provider), a small web app playing one
//! environment's product (its callback writes the integration row into that environment's
//! PostgreSQL database), and a headless "system browser" for `ENVDECK_BROWSER`.
//!
//! ```ignore
//! let pg = util::pg::cluster();
//! let db = oauth::integrations_db(&pg, "prod");          // fresh database + schema.sql
//! let server = OAuthServer::start();                      // server.issuer
//! let app = TestApp::start(&server.issuer, &pg.url_for(&db), "app-prod"); // app.app_url
//! d.cmd(&["reconnect", ...]).env("ENVDECK_BROWSER", oauth::browser_command())
//!     .env("BROWSER_LOGIN", "bob@example.com")...
//! ```
//!
//! Every process is killed when its handle drops, and exits by itself when the test binary
//! dies (its stdin closes).

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::{Arc, Mutex, OnceLock, mpsc};
use std::time::{Duration, Instant};

use super::pg::Pg;

/// How long a server or app may take to print its ready line.
const READY_TIMEOUT: Duration = Duration::from_secs(20);

/// The OAuth clients the server knows (one per test app): public, PKCE required, any
/// loopback redirect URI.
pub const CLIENTS: &[&str] = &["app", "app-dev", "app-staging", "app-prod"];

/// tests/oauth in this checkout.
pub fn oauth_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/oauth")
}

/// The `node` to run the harness with (`ENVDECK_TEST_NODE`, else `node` on PATH), after
/// checking that tests/oauth/node_modules is installed. Panics with what to run otherwise.
pub fn node() -> PathBuf {
    static NODE: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    NODE.get_or_init(find_node)
        .clone()
        .unwrap_or_else(|e| panic!("{e}"))
}

fn find_node() -> Result<PathBuf, String> {
    let node = match std::env::var_os("ENVDECK_TEST_NODE") {
        Some(p) => PathBuf::from(p),
        None => std::env::var_os("PATH")
            .and_then(|paths| {
                std::env::split_paths(&paths)
                    .map(|d| d.join("node"))
                    .find(|p| p.is_file())
            })
            .ok_or("the OAuth tests need Node.js 20 or newer (`node` is not on PATH): run `make test`, which installs it")?,
    };
    let out = Command::new(&node)
        .arg("--version")
        .output()
        .map_err(|e| format!("cannot run {}: {e}", node.display()))?;
    let version = String::from_utf8_lossy(&out.stdout).trim().to_string();
    let major: u32 = version
        .trim_start_matches('v')
        .split('.')
        .next()
        .and_then(|m| m.parse().ok())
        .unwrap_or(0);
    if major < 20 {
        return Err(format!(
            "the OAuth tests need Node.js 20 or newer; {} is {version:?}",
            node.display()
        ));
    }
    let modules = oauth_dir().join("node_modules");
    for pkg in ["oidc-provider", "pg"] {
        if !modules.join(pkg).join("package.json").is_file() {
            return Err(format!(
                "{} lacks {pkg}: run `make test`, or `npm ci --prefix tests/oauth`",
                modules.display()
            ));
        }
    }
    Ok(node)
}

/// A fresh database on the suite's cluster holding tests/oauth/schema.sql (an empty
/// `integrations` table as the test app writes it). Returns its name.
pub fn integrations_db(pg: &Pg, label: &str) -> String {
    let db = pg.create_db(label);
    let out = Command::new("psql")
        .arg(pg.url_for(&db))
        .args(["-v", "ON_ERROR_STOP=1", "-q", "-f"])
        .arg(oauth_dir().join("schema.sql"))
        .output()
        .expect("psql");
    assert!(
        out.status.success(),
        "loading schema.sql failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    db
}

/// The envdeck.toml of a two-environment workspace (dev, and a protected prod) whose
/// integrations the reconnect wizard watches: each environment's app URL and database URL.
pub fn reconnect_workspace(dev_app: &str, dev_db: &str, prod_app: &str, prod_db: &str) -> String {
    format!(
        r#"name = "acme"

[environments.dev]
kind = "development"
app_url = "{dev_app}"
database = {{ url = "{dev_db}" }}

[environments.prod]
kind = "production"
app_url = "{prod_app}"
database = {{ url = "{prod_db}" }}

[integrations]
healthy_status = ["connected"]
expires_at = "expires_at"
updated_at = "updated_at"
scopes = "scopes"
connect_url = "{{app_url}}/api/integrations/{{provider}}/connect"
"#
    )
}

/// The value for `ENVDECK_BROWSER`: `node /abs/tests/oauth/browser.mjs`; the caller appends
/// the URL. The browser detaches and returns at once; it reads `BROWSER_LOGIN` (default
/// ana@example.com), `BROWSER_CONSENT` (allow|deny), `BROWSER_DELAY_MS`, `BROWSER_LOG`
/// from its environment.
pub fn browser_command() -> String {
    format!(
        "{} {}",
        shell_quote(&node().to_string_lossy()),
        shell_quote(&oauth_dir().join("browser.mjs").to_string_lossy())
    )
}

fn shell_quote(s: &str) -> String {
    if s.chars()
        .all(|c| c.is_ascii_alphanumeric() || "/._-+:@=,".contains(c))
    {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', r"'\''"))
    }
}

/// What the browser reached at the end of a flow run with [`browse`].
#[derive(Debug)]
pub struct Browsed {
    /// The last page's HTTP status: 200 when the app's callback wrote the row, 400 when
    /// consent was denied.
    pub status: u16,
    /// The last URL (the app's callback, with its query).
    pub url: String,
    pub body: String,
    /// The browser's log: every redirect, form and the time the flow took.
    pub log: String,
}

/// Runs the headless browser on `url` in the foreground (`BROWSER_WAIT=1`) with `env`
/// (e.g. `[("BROWSER_LOGIN", "bob@example.com")]`) and returns where the flow ended.
/// Panics when the flow breaks before reaching the app.
pub fn browse(url: &str, env: &[(&str, &str)]) -> Browsed {
    let out = Command::new(node())
        .arg(oauth_dir().join("browser.mjs"))
        .arg(url)
        .envs(env.iter().copied())
        .env("BROWSER_WAIT", "1")
        .env_remove("BROWSER_LOG")
        .stdin(Stdio::null())
        .output()
        .expect("spawn node browser.mjs");
    let log = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "the browser failed on {url}:\n{log}");
    let j: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("browser stdout is not JSON ({e}):\n{log}"));
    Browsed {
        status: j["status"].as_u64().unwrap_or(0) as u16,
        url: j["url"].as_str().unwrap_or_default().to_string(),
        body: j["body"].as_str().unwrap_or_default().to_string(),
        log,
    }
}

/// A node process that printed one JSON ready line; killed on drop.
struct NodeProc {
    name: &'static str,
    child: Child,
    /// Held open: the process exits when it closes (on drop, or when the test binary dies).
    _stdin: Option<ChildStdin>,
    stderr: Arc<Mutex<String>>,
}

impl NodeProc {
    fn start(
        name: &'static str,
        script: &str,
        env: &[(&str, &str)],
        key: &str,
    ) -> (NodeProc, serde_json::Value) {
        let started = Instant::now();
        let mut child = Command::new(node())
            .arg(oauth_dir().join(script))
            .arg("0")
            .envs(env.iter().copied())
            .env("EXIT_ON_STDIN_EOF", "1")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("spawn node {script}: {e}"));
        let stderr = Arc::new(Mutex::new(String::new()));
        {
            let sink = stderr.clone();
            let mut pipe = child.stderr.take().unwrap();
            std::thread::spawn(move || {
                let mut buf = [0u8; 4096];
                while let Ok(n) = pipe.read(&mut buf) {
                    if n == 0 {
                        break;
                    }
                    sink.lock()
                        .unwrap()
                        .push_str(&String::from_utf8_lossy(&buf[..n]));
                }
            });
        }
        let (tx, rx) = mpsc::channel();
        {
            let stdout = child.stdout.take().unwrap();
            std::thread::spawn(move || {
                let mut lines = BufReader::new(stdout).lines();
                let _ = tx.send(lines.next());
                // Keep draining so the process never blocks on a full pipe.
                for _ in lines {}
            });
        }
        let mut proc = NodeProc {
            name,
            _stdin: child.stdin.take(),
            child,
            stderr,
        };
        let line = match rx.recv_timeout(READY_TIMEOUT) {
            Ok(Some(Ok(line))) => line,
            Ok(_) => proc.fail(&format!(
                "exited before it was ready ({:?})",
                started.elapsed()
            )),
            Err(_) => proc.fail(&format!("printed nothing within {READY_TIMEOUT:?}")),
        };
        let ready: serde_json::Value = serde_json::from_str(&line)
            .unwrap_or_else(|e| proc.fail(&format!("ready line {line:?} is not JSON: {e}")));
        if !ready[key].is_string() {
            proc.fail(&format!("ready line {line:?} has no {key:?}"));
        }
        (proc, ready)
    }

    fn fail(&mut self, why: &str) -> ! {
        let _ = self.child.kill();
        let _ = self.child.wait();
        // Let the reader thread take the last words.
        std::thread::sleep(Duration::from_millis(50));
        panic!("{} {why}; its stderr:\n{}", self.name, self.log())
    }

    fn log(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }
}

impl Drop for NodeProc {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The OAuth 2.0 / OIDC server (tests/oauth/server.mjs) on a free loopback port.
pub struct OAuthServer {
    /// `http://127.0.0.1:PORT`
    pub issuer: String,
    proc: NodeProc,
}

impl OAuthServer {
    /// Starts the server with the [`CLIENTS`]; waits (≤ 20 s) for its ready line.
    pub fn start() -> OAuthServer {
        OAuthServer::start_with_clients(CLIENTS)
    }

    pub fn start_with_clients(clients: &[&str]) -> OAuthServer {
        let clients = clients.join(",");
        let (proc, ready) = NodeProc::start(
            "the OAuth server (tests/oauth/server.mjs)",
            "server.mjs",
            &[("OAUTH_CLIENTS", &clients)],
            "issuer",
        );
        OAuthServer {
            issuer: ready["issuer"].as_str().unwrap().to_string(),
            proc,
        }
    }

    /// What the server printed on stderr so far.
    pub fn log(&self) -> String {
        self.proc.log()
    }
}

/// One environment's product (tests/oauth/app.mjs) on a free loopback port: its callback
/// writes into `db_url`'s `integrations` table.
pub struct TestApp {
    /// `http://127.0.0.1:PORT`
    pub app_url: String,
    proc: NodeProc,
}

impl TestApp {
    /// Starts the app as OAuth client `client_id` (one of [`CLIENTS`]) of `issuer`, writing
    /// into the `integrations` table of `db_url`; waits (≤ 20 s) for its ready line.
    pub fn start(issuer: &str, db_url: &str, client_id: &str) -> TestApp {
        TestApp::start_with(issuer, db_url, client_id, &[])
    }

    /// Same, with more environment for app.mjs: `INTEGRATIONS_TABLE`, `APP_URL`,
    /// `PROVIDER_SCOPES` (JSON `{"provider":"scope scope"}`).
    pub fn start_with(
        issuer: &str,
        db_url: &str,
        client_id: &str,
        env: &[(&str, &str)],
    ) -> TestApp {
        let mut all = vec![
            ("ISSUER", issuer),
            ("DATABASE_URL", db_url),
            ("CLIENT_ID", client_id),
        ];
        all.extend_from_slice(env);
        let (proc, ready) = NodeProc::start(
            "the test app (tests/oauth/app.mjs)",
            "app.mjs",
            &all,
            "app_url",
        );
        TestApp {
            app_url: ready["app_url"].as_str().unwrap().to_string(),
            proc,
        }
    }

    /// `{app_url}/api/integrations/{provider}/connect`
    pub fn connect_url(&self, provider: &str) -> String {
        format!("{}/api/integrations/{provider}/connect", self.app_url)
    }

    /// From now on the app asks `scopes` (space-separated, besides openid email
    /// offline_access) for `provider`.
    pub fn set_scopes(&self, provider: &str, scopes: &str) {
        let body = serde_json::json!({ "provider": provider, "scopes": scopes }).to_string();
        let (status, text) = http_post(&format!("{}/__test/scopes", self.app_url), &body);
        assert_eq!(status, 200, "POST /__test/scopes: {text}");
    }

    /// What the app printed on stderr so far (each connect, callback and row written).
    pub fn log(&self) -> String {
        self.proc.log()
    }
}

/// A minimal HTTP/1.1 POST of a JSON body to a loopback `http://` URL: (status, body).
fn http_post(url: &str, body: &str) -> (u16, String) {
    let u = url::Url::parse(url).unwrap();
    let host = u.host_str().unwrap();
    let addr = format!("{host}:{}", u.port_or_known_default().unwrap());
    let mut s = std::net::TcpStream::connect(&addr).unwrap_or_else(|e| panic!("{addr}: {e}"));
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    write!(
        s,
        "POST {} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        u.path(),
        body.len()
    )
    .unwrap();
    let mut resp = String::new();
    s.read_to_string(&mut resp).unwrap();
    let status = resp
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let text = resp
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default();
    (status, text)
}
