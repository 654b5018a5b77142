//! The command line: clap definitions, output (tables, `--json`), exit codes.
//! Exit codes: 0 all well, 1 could not run or an environment failed, 64 usage error,
//! 130 cancelled (Ctrl-C); `check` adds 2 (drift) and 3 (critical); `sync` adds 4 (refused);
//! `reconnect` adds 2 (a step did not land).

mod output;
mod progress;
mod reconnect;
mod sync;
mod sync_apply;
mod sync_undo;

use std::io::{IsTerminal, Read};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::api::{self, Context};
use crate::error::{Error, Result};
use crate::secrets::Sensitive;

#[derive(Debug, Parser)]
#[command(
    name = "envdeck",
    version,
    about = "See and fix the drift between your dev, staging and production environments.",
    long_about = "See and fix the drift between your dev, staging and production environments.\n\nWith no command, envdeck opens its window."
)]
pub struct Cli {
    /// The workspace file (default: ./envdeck.toml, then the last workspace opened).
    #[arg(long, global = true, value_name = "FILE", env = "ENVDECK_WORKSPACE")]
    pub workspace: Option<PathBuf>,
    /// Where envdeck keeps its own state and logs (default: the OS app-data directory).
    #[arg(long, global = true, value_name = "DIR", env = "ENVDECK_DATA_DIR")]
    pub data_dir: Option<PathBuf>,
    /// More log output on stderr (-v, -vv).
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Each environment: reachable or not, latency, server version, what the mapping finds.
    Status {
        /// Print JSON on stdout.
        #[arg(long)]
        json: bool,
    },
    /// Credentials in the OS keychain (values are never printed).
    #[command(subcommand)]
    Secret(SecretCommand),
    /// Compare two environments in every area; exit 0 clean, 2 drift, 3 critical, 1 could not
    /// run, 130 cancelled.
    Check {
        /// The environment that is right (e.g. dev, where the migrations ran first).
        #[arg(long)]
        from: String,
        /// The environment to check against it (e.g. prod).
        #[arg(long)]
        to: String,
        /// Only these areas (repeatable): integrations, workflows, schema, migrations,
        /// reference_data, data, config, isolation.
        #[arg(long = "area", value_name = "AREA", value_parser = parse_area)]
        areas: Vec<crate::compare::Area>,
        /// Print JSON on stdout.
        #[arg(long, conflicts_with = "sql")]
        json: bool,
        /// Print the schema findings' SQL (what would make --to like --from), in dependency
        /// order, instead of the report: a suggestion; the fix is the project's migrations.
        #[arg(long)]
        sql: bool,
    },
    /// Row-level diff of one table in two databases (URLs, or --from/--to environments).
    TableDiff {
        /// Database A (or use --from).
        url_a: Option<String>,
        /// Database B (or use --to).
        url_b: Option<String>,
        #[arg(long)]
        table: String,
        /// Key column(s), comma-separated.
        #[arg(long, value_delimiter = ',', required = true)]
        key: Vec<String>,
        /// Compared columns, comma-separated (default: every column both sides have).
        #[arg(long, value_delimiter = ',')]
        columns: Option<Vec<String>>,
        /// Environment to use as A.
        #[arg(long, conflicts_with = "url_a")]
        from: Option<String>,
        /// Environment to use as B.
        #[arg(long, conflicts_with = "url_b")]
        to: Option<String>,
        /// How many differing rows to list (counts are always exact).
        #[arg(long, default_value_t = 100)]
        limit: usize,
        /// Seconds one table scan may run (default: the workspace's [timeouts] scan, 600).
        #[arg(long, value_name = "SECS", value_parser = clap::value_parser!(u64).range(1..=86400))]
        scan_timeout: Option<u64>,
        /// Print JSON on stdout.
        #[arg(long)]
        json: bool,
    },
    /// Reconnect an environment's OAuth integrations: open its own connect page, then prove
    /// the connection landed in its database. Exit 0 all landed, 2 some did not, 1 error,
    /// 130 Ctrl-C (progress is saved: the same command resumes).
    Reconnect(reconnect::ReconnectArgs),
    /// Copy rows of configured tables into another environment: plan, apply, log.
    #[command(subcommand)]
    Sync(sync::SyncCommand),
    /// The demo workspace.
    #[command(subcommand)]
    Demo(DemoCommand),
}

#[derive(Debug, Subcommand)]
pub enum SecretCommand {
    /// Store a secret; the value is read from stdin (no echo on a terminal).
    Set { env: String, name: String },
    /// Secret names with set / not set.
    List {
        env: Option<String>,
        /// Print JSON on stdout.
        #[arg(long)]
        json: bool,
    },
    /// Remove a secret from the keychain.
    Delete { env: String, name: String },
    /// Move ENV's database URL, written with a password in envdeck.toml, into the keychain
    /// (as DATABASE_URL) and point the file at it.
    MoveUrl { env: String },
}

#[derive(Debug, Subcommand)]
pub enum DemoCommand {
    /// Write a demo workspace (envdeck.toml, two SQLite databases, two env files) into DIR.
    Init { dir: PathBuf },
}

/// `--area` values: a typo is a usage error (exit 64), not a failed check.
fn parse_area(s: &str) -> std::result::Result<crate::compare::Area, String> {
    crate::compare::Area::parse(s).ok_or_else(|| {
        "use integrations, workflows, schema, migrations, reference_data, data, config or isolation"
            .to_string()
    })
}

/// Exit code for a cancelled command (128 + SIGINT), as shells report it.
pub const EXIT_CANCELLED: u8 = 130;

#[cfg(unix)]
unsafe extern "C" {
    fn signal(signum: i32, handler: usize) -> usize;
}

/// Like other command-line tools, stop quietly when the reader of our output goes away
/// (`envdeck check --json | head`) instead of panicking on a broken pipe.
fn default_sigpipe() {
    #[cfg(unix)]
    // SAFETY: resetting SIGPIPE (13) to SIG_DFL (0) at start-up, before any thread runs.
    unsafe {
        signal(13, 0);
    }
}

/// Runs a CLI command and maps the outcome to an exit code.
pub fn run(cli: Cli) -> ExitCode {
    default_sigpipe();
    let data_dir = match crate::paths::data_dir(cli.data_dir.clone()) {
        Ok(d) => d,
        Err(e) => return fail(&e),
    };
    let _log = crate::logging::init(&data_dir, Some(cli.verbose));
    let rt = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            return fail(&Error::internal(format!(
                "could not start the runtime: {e}"
            )));
        }
    };
    let outcome = rt.block_on(async {
        let ctx = Context::open(&data_dir).await?;
        let code = dispatch(&ctx, &cli).await;
        ctx.store.close().await;
        code
    });
    // A keychain call that timed out may still hold a blocking thread: do not wait on it.
    rt.shutdown_timeout(std::time::Duration::from_millis(200));
    match outcome {
        Ok(code) => code,
        Err(e) => fail(&e),
    }
}

fn fail(e: &Error) -> ExitCode {
    tracing::info!(code = %e.code, "command failed: {}", e.chain_text());
    eprintln!("{}", output::error_line(e));
    if e.code == crate::error::ErrorCode::Cancelled {
        ExitCode::from(EXIT_CANCELLED)
    } else {
        ExitCode::from(1)
    }
}

/// The workspace a command acts on, its warnings printed once on stderr.
async fn load_workspace(
    ctx: &Context,
    explicit: Option<&std::path::Path>,
) -> Result<crate::workspace::Workspace> {
    let ws = api::workspace::resolve(ctx, explicit).await?;
    for w in &ws.warnings {
        tracing::info!("workspace warning: {}", w.message);
        eprintln!("{}", output::warning_line(&w.message));
    }
    Ok(ws)
}

async fn dispatch(ctx: &Context, cli: &Cli) -> Result<ExitCode> {
    let Some(command) = &cli.command else {
        return Ok(ExitCode::SUCCESS);
    };
    let explicit = cli.workspace.as_deref();
    match command {
        Command::Status { json } => {
            let ws = load_workspace(ctx, explicit).await?;
            let report = api::status::status(ctx, &ws).await;
            if *json {
                output::print_json(&report)?;
            } else {
                output::print_status(&report);
            }
            let failed = report.environments.iter().any(|e| e.error.is_some());
            Ok(if failed {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            })
        }
        Command::Secret(SecretCommand::Set { env, name }) => {
            let ws = load_workspace(ctx, explicit).await?;
            ws.environment(env)?;
            crate::secrets::validate_name("secret name", name)?;
            let value = read_secret(&format!("{}/{env}/{name}", ws.name))?;
            api::secrets::set(ctx, &ws, env, name, value).await?;
            eprintln!("stored {name} for {env} in the OS keychain");
            Ok(ExitCode::SUCCESS)
        }
        Command::Secret(SecretCommand::List { env, json }) => {
            let ws = load_workspace(ctx, explicit).await?;
            let list = api::secrets::list(ctx, &ws, env.as_deref()).await?;
            if *json {
                output::print_json(&list)?;
            } else {
                output::print_secrets(&list);
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Secret(SecretCommand::Delete { env, name }) => {
            let ws = load_workspace(ctx, explicit).await?;
            if api::secrets::delete(ctx, &ws, env, name).await? {
                eprintln!("deleted {name} for {env} from the OS keychain");
            } else {
                eprintln!("{name} for {env} was not set; nothing to delete");
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Secret(SecretCommand::MoveUrl { env }) => {
            let ws = api::workspace::resolve(ctx, explicit).await?;
            api::workspace::move_url_to_keychain(ctx, &ws, env).await?;
            eprintln!(
                "moved the database URL of {env} into the OS keychain as {}; {} now reads database = {{ secret = \"{}\" }}",
                api::workspace::MOVED_URL_SECRET,
                ws.path.display(),
                api::workspace::MOVED_URL_SECRET
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Check {
            from,
            to,
            areas,
            json,
            sql,
        } => {
            let ws = load_workspace(ctx, explicit).await?;
            let cancel = crate::progress::Cancel::new();
            progress::cancel_on_ctrl_c(&cancel);
            let bar = progress::Bar::new();
            let report = api::compare::check(ctx, &ws, from, to, areas, &bar, &cancel).await?;
            if *sql {
                print!(
                    "{}",
                    crate::compare::sql_script(
                        &report.findings,
                        &report.to,
                        report.migration_table.as_deref()
                    )
                );
            } else if *json {
                output::print_json(&report)?;
            } else {
                output::print_check(&report);
            }
            for e in &report.errors {
                eprintln!(
                    "{}",
                    output::error_line(&Error::new(
                        e.error.code,
                        format!("{}: {}", e.area, e.error.message)
                    ))
                );
            }
            Ok(ExitCode::from(report.exit_code()))
        }
        Command::TableDiff {
            url_a,
            url_b,
            table,
            key,
            columns,
            from,
            to,
            limit,
            scan_timeout,
            json,
        } => {
            let cancel = crate::progress::Cancel::new();
            progress::cancel_on_ctrl_c(&cancel);
            let ws = if from.is_some() || to.is_some() {
                Some(load_workspace(ctx, explicit).await?)
            } else {
                None
            };
            let limits = match (&ws, scan_timeout) {
                (_, Some(secs)) => crate::connectors::Limits {
                    scan: std::time::Duration::from_secs(*secs),
                    ..ws.as_ref().map(api::limits).unwrap_or_default()
                },
                (Some(ws), None) => api::limits(ws),
                (None, None) => crate::connectors::Limits::default(),
            };
            let spec = crate::tablediff::Spec {
                table: table.clone(),
                key: key.clone(),
                columns: columns.clone(),
                ignore: Vec::new(),
                row_cap: *limit,
                // Databases given by URL get the default list (names that look secret
                // count anyway).
                secret_columns: ws
                    .as_ref()
                    .map(|w| w.integrations.secret_columns.clone())
                    .unwrap_or_else(|| crate::workspace::IntegrationsMap::default().secret_columns),
                labels: [
                    from.clone().unwrap_or_else(|| "A".into()),
                    to.clone().unwrap_or_else(|| "B".into()),
                ],
            };
            let print = |d: &crate::tablediff::TableDiff| -> Result<ExitCode> {
                if *json {
                    output::print_json(d)?;
                } else {
                    output::print_table_diff(d);
                }
                Ok(ExitCode::SUCCESS)
            };
            // A configured [[tables]] table linked to a configured parent is matched as
            // `check` matches it: through the parent's natural key, not raw ids.
            if let (Some(w), Some(f), Some(t)) = (&ws, from, to) {
                let (fe, te) = (w.environment(f)?, w.environment(t)?);
                let work = api::table_diff::configured(ctx, w, fe, te, &spec, &cancel);
                if let Some(d) = crate::progress::until_cancelled(&cancel, work).await? {
                    return print(&d);
                }
            }
            let mut a = open_side(ctx, ws.as_ref(), url_a, from, "A", limits, &cancel).await?;
            let mut b = open_side(ctx, ws.as_ref(), url_b, to, "B", limits, &cancel).await?;
            let bar = progress::Bar::new();
            let d = crate::progress::until_cancelled(
                &cancel,
                crate::tablediff::diff(&mut a, &mut b, &spec, &bar, &cancel),
            )
            .await?;
            print(&d)
        }
        Command::Reconnect(args) => {
            let ws = load_workspace(ctx, explicit).await?;
            reconnect::run(ctx, &ws, args).await
        }
        Command::Sync(cmd) => {
            let ws = load_workspace(ctx, explicit).await?;
            sync::run(ctx, &ws, cmd).await
        }
        Command::Demo(DemoCommand::Init { dir }) => {
            let file = crate::demo::init(dir).await?;
            println!("{}", file.display());
            eprintln!(
                "demo workspace written; try `envdeck --workspace {} status`",
                file.display()
            );
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// One side of `table-diff`: a URL (opened read-only) or a workspace environment. A cancel
/// also stops the statement its server session runs.
async fn open_side(
    ctx: &Context,
    ws: Option<&crate::workspace::Workspace>,
    url: &Option<String>,
    env: &Option<String>,
    which: &str,
    limits: crate::connectors::Limits,
    cancel: &crate::progress::Cancel,
) -> Result<crate::connectors::Connection> {
    let conn = match (url, env, ws) {
        (Some(u), _, _) => {
            let base = std::env::current_dir().unwrap_or_default();
            let label = format!("URL {which}");
            let opts = crate::connectors::OpenOptions {
                base: &base,
                protected: true,
                label: &label,
                limits,
            };
            crate::connectors::Connection::open_with(&Sensitive::new(u.clone()), &opts).await?
        }
        (None, Some(e), Some(ws)) => {
            let env = ws.environment(e)?;
            let mut conn = ctx.connect(ws, env).await?;
            conn.set_limits(limits);
            conn
        }
        _ => {
            return Err(Error::invalid_input(format!(
                "give database {which}: a URL, or --{} with an environment",
                if which == "A" { "from" } else { "to" }
            )));
        }
    };
    if let Some(h) = conn.cancel_hook() {
        cancel.on_cancel(h);
    }
    Ok(conn)
}

/// A secret from stdin: prompted without echo on a terminal, else read whole (one trailing
/// newline dropped).
fn read_secret(label: &str) -> Result<Sensitive<String>> {
    let value = if std::io::stdin().is_terminal() {
        rpassword::prompt_password(format!("value for {label} (input hidden): "))
            .map_err(|e| Error::invalid_input(format!("could not read the value: {e}")))?
    } else {
        let mut s = String::new();
        std::io::stdin().read_to_string(&mut s).map_err(|e| {
            Error::invalid_input(format!("could not read the value from stdin: {e}"))
        })?;
        if s.ends_with('\n') {
            s.pop();
            if s.ends_with('\r') {
                s.pop();
            }
        }
        s
    };
    if value.is_empty() {
        return Err(Error::invalid_input(
            "the value is empty: pipe it on stdin (e.g. `printf %s \"$URL\" | envdeck secret set prod DATABASE_URL`) or type it at the prompt",
        ));
    }
    Ok(Sensitive::new(value))
}
