//! `envdeck` with no subcommand opens the window (feature `gui`); `envdeck <subcommand>` is
//! the CLI.

#![cfg_attr(
    all(not(debug_assertions), target_os = "windows"),
    windows_subsystem = "windows"
)]

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = envdeck::cli::Cli::parse();
    if cli.command.is_none() {
        #[cfg(feature = "gui")]
        return envdeck::app::run(cli.data_dir.clone());
        #[cfg(not(feature = "gui"))]
        {
            eprintln!(
                "this envdeck was built without the window (feature `gui`); run `envdeck --help` for the CLI"
            );
            return ExitCode::from(2);
        }
    }
    envdeck::cli::run(cli)
}
