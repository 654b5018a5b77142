//! Normalises whatever a failed command rejects with into an `AppError`.
import type { AppError } from "./bindings/AppError";
import type { ErrorCode } from "./bindings/ErrorCode";

const CODES: readonly ErrorCode[] = [
  "workspace_not_found",
  "workspace_invalid",
  "keychain_unavailable",
  "secret_missing",
  "db_unreachable",
  "db_timeout",
  "db_auth_failed",
  "db_error",
  "table_missing",
  "read_only",
  "invalid_input",
  "io",
  "cancelled",
  "internal",
];

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === "string" && (CODES as readonly string[]).includes(value);
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

/** A short heading for an error card; the backend's message says what to do. */
export function errorTitle(code: ErrorCode): string {
  switch (code) {
    case "workspace_not_found":
      return "Workspace not found";
    case "workspace_invalid":
      return "Workspace file is invalid";
    case "keychain_unavailable":
      return "Keychain unavailable";
    case "secret_missing":
      return "Secret not set";
    case "db_unreachable":
      return "Database unreachable";
    case "db_timeout":
      return "Database timed out";
    case "db_auth_failed":
      return "Database refused the credentials";
    case "db_error":
      return "Database error";
    case "table_missing":
      return "Table missing";
    case "read_only":
      return "Read-only environment";
    case "invalid_input":
      return "Invalid input";
    case "io":
      return "File error";
    case "cancelled":
      return "Cancelled";
    case "internal":
    default:
      return "Something went wrong";
  }
}
