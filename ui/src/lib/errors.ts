//! What the window does for each error code, and the normalising of whatever a failed command
//! rejects with into an `AppError`. A code exists because the UI treats it differently: the
//! table below is exhaustive over the generated `ErrorCode`, so a code added in Rust fails
//! `npm run check` until it is handled here (and errors.test.ts checks `retryable` against
//! the Rust side's, recorded in fixtures/error-codes.json).
import type { AppError } from "./bindings/AppError";
import type { ErrorCode } from "./bindings/ErrorCode";

/**
 * What an error card offers besides the message:
 * - `retry`: Retry, because trying again unchanged may work (only for retryable codes);
 * - `reload`: Reload, once the person has fixed a file or a URL (retrying unchanged cannot help);
 * - `settings`: a link to Settings, where the missing or wrong secret is set;
 * - `rerun`: Run again, after the person cancelled;
 * - `none`: nothing; the message says what to do.
 */
export type ErrorAction = "retry" | "reload" | "settings" | "rerun" | "none";

export type ErrorHandling = {
  /** A short heading for an error card; the backend's message says what to do. */
  title: string;
  /** The Rust side's `ErrorCode::retryable`, for statuses that carry only a code. */
  retryable: boolean;
  action: ErrorAction;
};

export const ERRORS: Record<ErrorCode, ErrorHandling> = {
  workspace_not_found: { title: "Workspace not found", retryable: false, action: "none" },
  workspace_invalid: { title: "Workspace file is invalid", retryable: false, action: "reload" },
  keychain_unavailable: { title: "Keychain unavailable", retryable: true, action: "retry" },
  secret_missing: { title: "Secret not set", retryable: false, action: "settings" },
  db_unreachable: { title: "Database unreachable", retryable: true, action: "retry" },
  db_timeout: { title: "Database timed out", retryable: true, action: "retry" },
  db_auth_failed: { title: "Database refused the credentials", retryable: false, action: "settings" },
  db_not_found: { title: "Database not found", retryable: false, action: "reload" },
  db_error: { title: "Database error", retryable: false, action: "none" },
  table_missing: { title: "Table missing", retryable: false, action: "reload" },
  read_only: { title: "Read-only environment", retryable: false, action: "none" },
  invalid_input: { title: "Invalid input", retryable: false, action: "none" },
  io: { title: "File error", retryable: false, action: "none" },
  cancelled: { title: "Cancelled", retryable: false, action: "rerun" },
  internal: { title: "Something went wrong", retryable: false, action: "none" },
};

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === "string" && Object.hasOwn(ERRORS, value);
}

/** The backend promises `{code, message, retryable}`, but a plugin or a panic may still reject with a string. */
export function toAppError(raw: unknown): AppError {
  if (raw && typeof raw === "object" && "message" in raw) {
    const r = raw as { code?: unknown; message?: unknown; retryable?: unknown };
    return {
      code: isErrorCode(r.code) ? r.code : "internal",
      message: String(r.message),
      retryable: r.retryable === true,
    };
  }
  if (typeof raw === "string") return { code: "internal", message: raw, retryable: false };
  return { code: "internal", message: String(raw ?? "Unknown error"), retryable: false };
}

/** A short heading for an error card. */
export function errorTitle(code: ErrorCode): string {
  return ERRORS[code].title;
}
