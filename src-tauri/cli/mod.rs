//! The command line: clap definitions, output (tables, `--json`), exit codes.
//! Exit codes: 0 all well, 1 could not run or an environment failed, 2 usage error.

mod output;
mod progress;

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
    /// Compare two environments in every area; exit 0 clean, 2 drift, 3 critical, 1 could not run.
    Check {
        #[arg(long)]
        from: String,
        #[arg(long)]
        to: String,
        /// Only these areas (repeatable): integrations, workflows, schema, migrations,
        /// reference_data, config, isolation.
        #[arg(long = "area", value_name = "AREA")]
        areas: Vec<String>,
        /// Print JSON on stdout.
        #[arg(long)]
        json: bool,
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
        /// Print JSON on stdout.
        #[arg(long)]
        json: bool,
    },
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
}

#[derive(Debug, Subcommand)]
pub enum DemoCommand {
    /// Write a demo workspace (envdeck.toml, two SQLite databases, two env files) into DIR.
    Init { dir: PathBuf },
}

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
    match outcome {
        Ok(code) => code,
        Err(e) => fail(&e),
    }
}

fn fail(e: &Error) -> ExitCode {
    tracing::info!(code = %e.code, "command failed: {}", e.message);
    eprintln!("{}", output::error_line(e));
    ExitCode::from(1)
}

async fn dispatch(ctx: &Context, cli: &Cli) -> Result<ExitCode> {
    let Some(command) = &cli.command else {
        return Ok(ExitCode::SUCCESS);
    };
    let explicit = cli.workspace.as_deref();
    match command {
        Command::Status { json } => {
            let ws = api::workspace::resolve(ctx, explicit).await?;
            for w in &ws.warnings {
                eprintln!("{}", output::warning_line(w));
            }
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
            let ws = api::workspace::resolve(ctx, explicit).await?;
            ws.environment(env)?;
            crate::secrets::validate_name("secret name", name)?;
            let value = read_secret(&format!("{}/{env}/{name}", ws.name))?;
            api::secrets::set(ctx, &ws, env, name, value).await?;
            eprintln!("stored {name} for {env} in the OS keychain");
            Ok(ExitCode::SUCCESS)
        }
        Command::Secret(SecretCommand::List { env, json }) => {
            let ws = api::workspace::resolve(ctx, explicit).await?;
            let list = api::secrets::list(ctx, &ws, env.as_deref()).await?;
            if *json {
                output::print_json(&list)?;
            } else {
                output::print_secrets(&list);
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Secret(SecretCommand::Delete { env, name }) => {
            let ws = api::workspace::resolve(ctx, explicit).await?;
            if api::secrets::delete(ctx, &ws, env, name).await? {
                eprintln!("deleted {name} for {env} from the OS keychain");
            } else {
                eprintln!("{name} for {env} was not set; nothing to delete");
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Check {
            from,
            to,
            areas,
            json,
        } => {
            let ws = api::workspace::resolve(ctx, explicit).await?;
            let areas = areas
                .iter()
                .map(|a| {
                    crate::compare::Area::parse(a).ok_or_else(|| {
                        Error::invalid_input(format!(
                            "unknown area {a:?}: use integrations, workflows, schema, migrations, reference_data, config or isolation"
                        ))
                    })
                })
                .collect::<Result<Vec<_>>>()?;
            let cancel = crate::progress::Cancel::new();
            progress::cancel_on_ctrl_c(&cancel);
            let bar = progress::Bar::new();
            let report = api::compare::check(ctx, &ws, from, to, &areas, &bar, &cancel).await?;
            if *json {
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
            json,
        } => {
            let cancel = crate::progress::Cancel::new();
            progress::cancel_on_ctrl_c(&cancel);
            let mut a = open_side(ctx, explicit, url_a, from, "A (or --from)").await?;
            let mut b = open_side(ctx, explicit, url_b, to, "B (or --to)").await?;
            let spec = crate::tablediff::Spec {
                table: table.clone(),
                key: key.clone(),
                columns: columns.clone(),
                ignore: Vec::new(),
                row_cap: *limit,
            };
            let bar = progress::Bar::new();
            let d = crate::tablediff::diff(&mut a, &mut b, &spec, &bar, &cancel).await?;
            if *json {
                output::print_json(&d)?;
            } else {
                output::print_table_diff(&d);
            }
            Ok(ExitCode::SUCCESS)
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

/// One side of `table-diff`: a URL (opened read-only) or a workspace environment.
async fn open_side(
    ctx: &Context,
    workspace: Option<&std::path::Path>,
    url: &Option<String>,
    env: &Option<String>,
    which: &str,
) -> Result<crate::connectors::Connection> {
    match (url, env) {
        (Some(u), _) => {
            let base = std::env::current_dir().unwrap_or_default();
            crate::connectors::Connection::open(&Sensitive::new(u.clone()), &base, true).await
        }
        (None, Some(e)) => {
            let ws = api::workspace::resolve(ctx, workspace).await?;
            ctx.connect(&ws, ws.environment(e)?).await
        }
        (None, None) => Err(Error::invalid_input(format!(
            "give database {which}: a URL or an environment"
        ))),
    }
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
