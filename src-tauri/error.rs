//! envdeck's one error type: a machine-readable [`ErrorCode`] the UI and CLI branch on, and a
//! sentence for people that says what went wrong and what to do. Secret values never enter a
//! message: callers mask URLs (see [`crate::connectors::mask_url`]) before building one.
//!
//! A code exists because the window or the CLI does something different for it (the window's
//! table is `ui/src/lib/errors.ts`, exhaustive over [`ErrorCode`]). The underlying causes
//! (an I/O error, a driver error) are kept, made safe, for the logs only.

use serde::Serialize;
use ts_rs::TS;

/// What kind of failure this is. The UI branches on this, never on message text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export_to = "ErrorCode.ts")]
pub enum ErrorCode {
    /// No envdeck.toml where one was expected.
    WorkspaceNotFound,
    /// envdeck.toml is there but wrong (syntax, unknown key, bad value).
    WorkspaceInvalid,
    /// No OS keychain reachable, or it is locked. Never falls back to plaintext.
    KeychainUnavailable,
    /// The workspace names a secret or env var that is not set.
    SecretMissing,
    /// The database host refused or could not be reached.
    DbUnreachable,
    /// The database did not answer within the connect or statement timeout.
    DbTimeout,
    /// The database rejected the credentials.
    DbAuthFailed,
    /// The database the URL names does not exist: a SQLite file that is not there, or a
    /// database name the PostgreSQL server does not know. Only fixing the URL helps.
    DbNotFound,
    /// Any other database error.
    DbError,
    /// A table named by the workspace mapping does not exist.
    TableMissing,
    /// A write reached a read-only (protected) environment.
    ReadOnly,
    /// The user gave an argument envdeck cannot use.
    InvalidInput,
    /// A local file could not be read or written.
    Io,
    /// The person cancelled a long operation.
    Cancelled,
    /// A bug in envdeck.
    Internal,
}

impl ErrorCode {
    /// Every code, for tests and the recorded fixtures the window checks its table against.
    pub const ALL: [ErrorCode; 15] = [
        ErrorCode::WorkspaceNotFound,
        ErrorCode::WorkspaceInvalid,
        ErrorCode::KeychainUnavailable,
        ErrorCode::SecretMissing,
        ErrorCode::DbUnreachable,
        ErrorCode::DbTimeout,
        ErrorCode::DbAuthFailed,
        ErrorCode::DbNotFound,
        ErrorCode::DbError,
        ErrorCode::TableMissing,
        ErrorCode::ReadOnly,
        ErrorCode::InvalidInput,
        ErrorCode::Io,
        ErrorCode::Cancelled,
        ErrorCode::Internal,
    ];

    /// Whether trying again unchanged may succeed (network, timeouts, a locked keychain).
    /// The window offers Retry only for these.
    pub fn retryable(self) -> bool {
        matches!(
            self,
            ErrorCode::DbUnreachable | ErrorCode::DbTimeout | ErrorCode::KeychainUnavailable
        )
    }

    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::WorkspaceNotFound => "workspace_not_found",
            ErrorCode::WorkspaceInvalid => "workspace_invalid",
            ErrorCode::KeychainUnavailable => "keychain_unavailable",
            ErrorCode::SecretMissing => "secret_missing",
            ErrorCode::DbUnreachable => "db_unreachable",
            ErrorCode::DbTimeout => "db_timeout",
            ErrorCode::DbAuthFailed => "db_auth_failed",
            ErrorCode::DbNotFound => "db_not_found",
            ErrorCode::DbError => "db_error",
            ErrorCode::TableMissing => "table_missing",
            ErrorCode::ReadOnly => "read_only",
            ErrorCode::InvalidInput => "invalid_input",
            ErrorCode::Io => "io",
            ErrorCode::Cancelled => "cancelled",
            ErrorCode::Internal => "internal",
        }
    }
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An error with a code and a sentence that says what to do.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{message}")]
pub struct Error {
    pub code: ErrorCode,
    pub message: String,
    /// What caused it, for the logs: never serialized, never shown to people. Record the
    /// error as `error = &e as &dyn std::error::Error` (or `{e:?}`) to log the chain.
    #[source]
    cause: Option<Box<Cause>>,
    /// When `message` carries a technical part (a D-Bus error, an OS status): the sentence
    /// the window shows first and that part, which it folds away. See [`Error::with_detail`].
    split: Option<Box<(String, String)>>,
}

/// Two errors are the same when people would read the same thing: the causes are for logs.
impl PartialEq for Error {
    fn eq(&self, other: &Self) -> bool {
        self.code == other.code && self.message == other.message
    }
}

impl Eq for Error {}

/// One link of an error's cause chain, its text made safe like a message.
#[derive(Debug, Clone)]
pub struct Cause {
    text: String,
    next: Option<Box<Cause>>,
}

impl std::fmt::Display for Cause {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text)
    }
}

impl std::error::Error for Cause {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.next.as_deref().map(|c| c as _)
    }
}

impl Cause {
    /// `err` and its sources, each cleaned by `clean` and then [`crate::secrets::redact::message`].
    fn chain(err: &(dyn std::error::Error + 'static), clean: &dyn Fn(&str) -> String) -> Cause {
        Cause {
            text: crate::secrets::redact::message(&clean(&err.to_string())),
            next: err.source().map(|s| Box::new(Cause::chain(s, clean))),
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// Every message is made safe here, whoever built it: URL passwords are masked and
    /// quoted values cut (see [`crate::secrets::redact::message`]).
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Error {
            code,
            message: crate::secrets::redact::message(&message.into()),
            cause: None,
            split: None,
        }
    }

    /// Says which part of the message is for people and which is technical: the window
    /// shows `sentence` (what happened, what to do) and folds `technical` under "Technical
    /// detail"; the CLI and the logs keep printing the whole message. Both are made safe.
    pub fn with_detail(
        mut self,
        sentence: impl Into<String>,
        technical: impl Into<String>,
    ) -> Self {
        let safe = |s: String| crate::secrets::redact::message(&s);
        self.split = Some(Box::new((safe(sentence.into()), safe(technical.into()))));
        self
    }

    /// The technical part of the message, folded away in the window, if it has one.
    pub fn detail(&self) -> Option<&str> {
        self.split.as_ref().map(|s| s.1.as_str())
    }

    /// Keeps `cause` (and its own sources) for the logs, made safe like a message.
    pub fn with_cause(self, cause: &(dyn std::error::Error + 'static)) -> Self {
        self.with_cause_cleaned(cause, &|s| s.to_string())
    }

    /// Like [`Error::with_cause`], with `clean` run on each cause's text first (e.g. to cut
    /// the password fragments of the URL a driver error may quote).
    pub fn with_cause_cleaned(
        mut self,
        cause: &(dyn std::error::Error + 'static),
        clean: &dyn Fn(&str) -> String,
    ) -> Self {
        self.cause = Some(Box::new(Cause::chain(cause, clean)));
        self
    }

    /// The message followed by every cause, `: `-separated: one line for a log.
    pub fn chain_text(&self) -> String {
        let mut out = self.message.clone();
        let mut next = self.cause.as_deref();
        while let Some(c) = next {
            out.push_str(": ");
            out.push_str(&c.text);
            next = c.next.as_deref();
        }
        out
    }

    pub fn invalid_input(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::InvalidInput, message)
    }

    pub fn internal(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::Internal, message)
    }

    pub fn io(what: &str, path: &std::path::Path, err: &std::io::Error) -> Self {
        Self::new(
            ErrorCode::Io,
            format!("could not {what} {}: {err}", path.display()),
        )
        .with_cause(err)
    }

    /// A timeout says which table envdeck was reading; other errors already say enough.
    pub fn while_reading(self, table: &str) -> Error {
        if self.code == ErrorCode::DbTimeout {
            Error {
                message: crate::secrets::redact::message(&format!(
                    "reading table {table:?}: {}",
                    self.message
                )),
                split: None,
                ..self
            }
        } else {
            self
        }
    }

    /// The shape that crosses IPC and goes into `--json` error output.
    pub fn to_wire(&self) -> AppError {
        AppError {
            code: self.code,
            message: match &self.split {
                Some(s) => s.0.clone(),
                None => self.message.clone(),
            },
            retryable: self.code.retryable(),
            detail: self.split.as_ref().map(|s| s.1.clone()),
        }
    }
}

/// The serialized form of [`Error`]: `{code, message, retryable}`, and `detail` when the
/// message has a technical part.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export_to = "AppError.ts")]
pub struct AppError {
    pub code: ErrorCode,
    pub message: String,
    pub retryable: bool,
    /// Technical detail the window folds under the message (a keychain's D-Bus error…).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub detail: Option<String>,
}

impl Serialize for Error {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        self.to_wire().serialize(s)
    }
}

impl From<Error> for AppError {
    fn from(e: Error) -> Self {
        e.to_wire()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The window's Retry button follows `retryable`: it must not promise that retrying a
    /// missing database (or a wrong password) helps.
    #[test]
    fn only_passing_failures_are_retryable() {
        let retryable: Vec<_> = ErrorCode::ALL
            .into_iter()
            .filter(|c| c.retryable())
            .collect();
        assert_eq!(
            retryable,
            [
                ErrorCode::KeychainUnavailable,
                ErrorCode::DbUnreachable,
                ErrorCode::DbTimeout
            ]
        );
    }

    /// `as_str` is what the CLI prints (`error[db_timeout]`) and serde what crosses IPC.
    #[test]
    fn every_code_prints_as_it_serializes() {
        for c in ErrorCode::ALL {
            assert_eq!(serde_json::to_value(c).unwrap(), c.as_str());
        }
    }

    /// The cause chain reaches the logs (through `source()`), made safe, and never the wire.
    #[test]
    fn causes_are_kept_for_logs_only_and_masked() {
        let io = std::io::Error::other("postgres://app:hunter2@db/app refused");
        let e = Error::new(ErrorCode::DbUnreachable, "could not reach db").with_cause(&io);
        let src = std::error::Error::source(&e).expect("a source");
        assert!(src.to_string().contains("refused"), "{src}");
        assert!(!e.chain_text().contains("hunter2"), "{}", e.chain_text());
        assert_eq!(
            serde_json::to_value(&e).unwrap(),
            serde_json::json!({"code": "db_unreachable", "message": "could not reach db", "retryable": true})
        );
        assert_eq!(
            e,
            Error::new(ErrorCode::DbUnreachable, "could not reach db")
        );
    }

    /// The window shows the sentence and folds the technical part; the CLI (which prints
    /// `message`) loses nothing; a password in either is masked.
    #[test]
    fn a_detailed_error_crosses_ipc_as_sentence_and_folded_detail() {
        let e = Error::new(
            ErrorCode::KeychainUnavailable,
            "the OS keychain is unavailable (org.freedesktop.DBus.Error.ServiceUnknown). Unlock it.",
        )
        .with_detail(
            "the OS keychain is unavailable. Unlock it.",
            "org.freedesktop.DBus.Error.ServiceUnknown postgres://a:pw@h/db",
        );
        assert!(e.message.contains("ServiceUnknown"), "{}", e.message);
        let wire = serde_json::to_value(&e).unwrap();
        assert_eq!(
            wire["message"],
            "the OS keychain is unavailable. Unlock it."
        );
        assert_eq!(
            wire["detail"],
            "org.freedesktop.DBus.Error.ServiceUnknown postgres://a:****@h/db"
        );
        let plain = serde_json::to_value(Error::internal("x")).unwrap();
        assert!(plain.get("detail").is_none(), "{plain}");
    }
}
