//! `envdeck` with no subcommand opens the window (feature `gui`); `envdeck <subcommand>` is
//! the CLI. Usage errors exit 64 (EX_USAGE): clap's own 2 is what `check` uses for drift.

#![cfg_attr(
    all(not(debug_assertions), target_os = "windows"),
    windows_subsystem = "windows"
)]

use std::process::ExitCode;

use clap::Parser;

/// mimalloc rather than the system allocator: a sync plan of 100,000s of rows is millions
/// of small strings, and glibc's malloc spent a third of the plan's time and kept its freed
/// memory (measured in tests/bench/sync.sh).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Turns transparent huge pages off for this process (Linux), before anything large is
/// allocated. With them, every fresh 2 MB of mimalloc's heap is zeroed at once on first
/// touch: `perf` put half of a 200,000-row `sync plan`'s time in that zeroing, and without
/// them the plan took 1.0 s instead of 1.4 s and less memory (tests/bench/sync.sh).
fn no_transparent_huge_pages() {
    #[cfg(target_os = "linux")]
    // SAFETY: PR_SET_THP_DISABLE takes integer arguments and touches no memory of ours;
    // a kernel without it returns an error, which changes nothing.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}

/// Has mimalloc return freed memory to the OS at once rather than 10 ms later: a sync plan
/// frees the 100,000s of rows it read while it allocates the SQL and the output, and with
/// the delay both were resident at the plan's peak (tests/bench/sync.sh).
fn purge_freed_memory_at_once() {
    // `mi_option_purge_delay` (mimalloc.h, v2 and v3 alike), in milliseconds.
    const MI_OPTION_PURGE_DELAY: std::ffi::c_int = 15;
    unsafe extern "C" {
        fn mi_option_set(option: std::ffi::c_int, value: std::ffi::c_long);
    }
    // SAFETY: mimalloc's options may be set at any time; this one only changes when freed
    // pages are handed back.
    unsafe { mi_option_set(MI_OPTION_PURGE_DELAY, 0) }
}

/// Exit code for a command line envdeck cannot parse (sysexits.h `EX_USAGE`).
const EX_USAGE: u8 = 64;

fn main() -> ExitCode {
    no_transparent_huge_pages();
    purge_freed_memory_at_once();
    let cli = match envdeck::cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            use clap::error::ErrorKind;
            // Help and version go to stdout and are not errors; the rest go to stderr.
            let _ = e.print();
            return match e.kind() {
                ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => ExitCode::SUCCESS,
                _ => ExitCode::from(EX_USAGE),
            };
        }
    };
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
