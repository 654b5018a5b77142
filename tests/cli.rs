//! The command line's contract with scripts: usage errors exit 64, never a code that
//! `check` gives a meaning (2 drift, 3 critical, 1 could not run).

use crate::util::Dir;

/// A typo in a CI job must not read as "drift": every usage error exits 64 (EX_USAGE) with
/// clap's message on stderr; `--help` and `--version` still exit 0.
#[test]
fn usage_errors_exit_64_and_help_exits_0() {
    let d = Dir::new();
    for args in [
        vec!["check", "--from", "dev"],
        vec!["--bogus", "status"],
        vec!["table-diff"],
        vec!["secret", "set"],
        vec!["secret"],
        vec!["check", "--from", "dev", "--to", "prod", "--nope"],
    ] {
        let out = d.cmd(&args).run();
        assert_eq!(out.code, 64, "{args:?}: {}", out.stderr);
        assert!(
            out.stderr.contains("Usage:") || out.stderr.contains("usage:"),
            "{args:?}: {}",
            out.stderr
        );
        assert!(out.stdout.is_empty(), "{args:?}: {}", out.stdout);
    }
    let help = d.cmd(&["--help"]).run();
    assert_eq!(help.code, 0, "{}", help.stderr);
    assert!(help.stdout.contains("Usage:"), "{}", help.stdout);
    let version = d.cmd(&["--version"]).run();
    assert_eq!(version.code, 0, "{}", version.stderr);
    assert!(version.stdout.starts_with("envdeck "), "{}", version.stdout);
}
