//! envdeck's one error type: a machine-readable [`ErrorCode`] the UI and CLI branch on, and a
//! sentence for people that says what went wrong and what to do. Secret values never enter a
//! message: callers mask URLs (see [`crate::connectors::mask_url`]) before building one.

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
    /// Whether trying again unchanged may succeed (network, timeouts, a locked keychain).
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
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct Error {
    pub code: ErrorCode,
    pub message: String,
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// Every message is made safe here, whoever built it: URL passwords are masked and
    /// quoted values cut (see [`crate::secrets::redact::message`]).
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Error {
            code,
            message: crate::secrets::redact::message(&message.into()),
        }
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
    }

    /// A timeout says which table envdeck was reading; other errors already say enough.
    pub fn while_reading(self, table: &str) -> Error {
        if self.code == ErrorCode::DbTimeout {
            Error::new(
                self.code,
                format!("reading table {table:?}: {}", self.message),
            )
        } else {
            self
        }
    }

    /// The shape that crosses IPC and goes into `--json` error output.
    pub fn to_wire(&self) -> AppError {
        AppError {
            code: self.code,
            message: self.message.clone(),
            retryable: self.code.retryable(),
        }
    }
}

/// The serialized form of [`Error`]: `{code, message, retryable}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export_to = "AppError.ts")]
pub struct AppError {
    pub code: ErrorCode,
    pub message: String,
    pub retryable: bool,
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
