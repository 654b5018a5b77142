//! sqlx errors turned into envdeck errors: a code, a sentence, no secret. The sqlx error
//! itself is kept as the cause, for the logs, with the URL's password fragments cut.

use crate::error::{Error, ErrorCode};

/// For reads (streams): a read-only refusal cannot happen there.
pub(super) fn map(e: sqlx::Error, display: &str, fragments: &[String]) -> Error {
    map_for(e, display, fragments, false)
}

/// `protected`: whether the connection was opened read-only on purpose, which decides what
/// a read-only refusal means.
pub(super) fn map_for(
    e: sqlx::Error,
    display: &str,
    fragments: &[String],
    protected: bool,
) -> Error {
    let (code, msg) = classify(&e, display, protected);
    Error::new(code, super::urls::scrub(&msg, fragments))
        .with_cause_cleaned(&e, &|s| super::urls::scrub(s, fragments))
}

fn classify(e: &sqlx::Error, display: &str, protected: bool) -> (ErrorCode, String) {
    match e {
        sqlx::Error::Io(io) => {
            let what = match io.kind() {
                std::io::ErrorKind::ConnectionRefused => "connection refused".to_string(),
                std::io::ErrorKind::TimedOut => "timed out".to_string(),
                _ => io.to_string(),
            };
            (
                ErrorCode::DbUnreachable,
                format!(
                    "could not reach {display} ({what}): check that the database is running and the host and port are right"
                ),
            )
        }
        sqlx::Error::Tls(t) => (
            ErrorCode::DbUnreachable,
            format!("TLS with {display} failed ({t}): check sslmode and the server's certificate"),
        ),
        sqlx::Error::PoolTimedOut => (
            ErrorCode::DbTimeout,
            format!("no connection to {display} in time: try again"),
        ),
        sqlx::Error::Configuration(c) => (
            ErrorCode::InvalidInput,
            format!(
                "the database URL {display} is not usable ({c}): fix it in envdeck.toml or the keychain"
            ),
        ),
        sqlx::Error::Database(db) => {
            let code = db.code().map(|c| c.to_string()).unwrap_or_default();
            let text = db.message().to_string();
            match code.as_str() {
                "28P01" | "28000" => (
                    ErrorCode::DbAuthFailed,
                    format!(
                        "{display} rejected the credentials ({text}): check the user and password, e.g. `envdeck secret set <env> DATABASE_URL`"
                    ),
                ),
                "3D000" => (
                    ErrorCode::DbNotFound,
                    format!("{display}: {text}: check the database name in the URL"),
                ),
                "25006" => read_only(display, &text, protected),
                "42P01" => (
                    ErrorCode::TableMissing,
                    format!("{display}: {text}: check the table names in envdeck.toml"),
                ),
                "57014" => (
                    ErrorCode::DbTimeout,
                    format!(
                        "{display} stopped a statement that ran longer than envdeck's timeout ({text}): raise [timeouts] statement (or scan, for a table diff) in envdeck.toml, or try again when the database is less busy"
                    ),
                ),
                "55P03" => (
                    ErrorCode::DbTimeout,
                    format!(
                        "{display}: another session holds a lock envdeck waited for longer than its lock timeout ({text}): try again when that session is done, or raise [timeouts] lock in envdeck.toml"
                    ),
                ),
                // SQLite extended codes: 8 = READONLY (and its variants), 14 = CANTOPEN.
                c if c == "8" || c.starts_with("8") && text.contains("readonly") => {
                    read_only(display, &text, protected)
                }
                "14" => (
                    ErrorCode::DbUnreachable,
                    format!(
                        "could not open {display} ({text}): check the file and its permissions"
                    ),
                ),
                _ if text.starts_with("no such table") => (
                    ErrorCode::TableMissing,
                    format!("{display}: {text}: check the table names in envdeck.toml"),
                ),
                _ if text.contains("readonly database") => read_only(display, &text, protected),
                _ => (ErrorCode::DbError, format!("{display}: {text}")),
            }
        }
        other => (ErrorCode::DbError, format!("{display}: {other}")),
    }
}

fn read_only(display: &str, text: &str, protected: bool) -> (ErrorCode, String) {
    let msg = if protected {
        format!(
            "{display} is a protected environment and was opened read-only ({text}); changes reach it only through the guarded sync"
        )
    } else {
        format!(
            "{display} refused the write: envdeck reads every environment through a read-only session ({text}); changes reach a database only through the guarded sync"
        )
    };
    (ErrorCode::ReadOnly, msg)
}
