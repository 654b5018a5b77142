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
 * - `settings`: a link to Settings, where the missing or wrong secret or database source is set;
 * - `rerun`: Run again, after the person cancelled;
 * - `new_workspace`: New workspace… (and the app's Open), when there is no workspace to read;
 * - `copy`: Copy details, for a report (a bug in envdeck);
 * - `none`: nothing to press; the next step is something to do elsewhere (`next` says what).
 */
export type ErrorAction = "retry" | "reload" | "settings" | "rerun" | "new_workspace" | "copy" | "none";

export type ErrorHandling = {
  /** A short heading for an error card; the backend's message says what went wrong. */
  title: string;
  /** The Rust side's `ErrorCode::retryable`, for statuses that carry only a code. */
  retryable: boolean;
  action: ErrorAction;
  /** What to do next, in one sentence, shown on every card of this code (a caller's `hint` replaces it). */
  next: string;
  /** Also link to Settings (besides `action`): the fix is usually a database source or a secret there. */
  settings?: boolean;
};

export const ERRORS: Record<ErrorCode, ErrorHandling> = {
  workspace_not_found: {
    title: "Workspace not found",
    retryable: false,
    action: "new_workspace",
    next: "Open another envdeck.toml, or create a new workspace.",
  },
  workspace_invalid: {
    title: "Workspace file is invalid",
    retryable: false,
    action: "reload",
    next: "Fix envdeck.toml at the line named above, save it, then Reload.",
  },
  keychain_unavailable: {
    title: "Keychain unavailable",
    retryable: true,
    action: "retry",
    next: "Unlock the OS keychain (or start it), then Retry. Nothing was changed meanwhile.",
  },
  secret_missing: {
    title: "Secret not set",
    retryable: false,
    action: "settings",
    next: "Set the missing secret in Settings → Secrets; the environment is read again at once.",
  },
  db_unreachable: {
    title: "Database unreachable",
    retryable: true,
    action: "retry",
    next: "Check that the database is running and that the host and port above are right (VPN, firewall), then Retry.",
    settings: true,
  },
  db_timeout: {
    title: "Database timed out",
    retryable: true,
    action: "retry",
    next: "Retry when the database is less busy, or raise the timeout in envdeck.toml's [timeouts].",
  },
  db_auth_failed: {
    title: "Database refused the credentials",
    retryable: false,
    action: "settings",
    next: "Update the user or password of this database in Settings (its URL in the keychain).",
  },
  db_not_found: {
    title: "Database not found",
    retryable: false,
    action: "reload",
    next: "Fix the database name or SQLite path in Settings → Environments, then Reload.",
    settings: true,
  },
  db_error: {
    title: "Database error",
    retryable: false,
    action: "none",
    next: "Read the database's own message above; the database server's log has the rest.",
  },
  table_missing: {
    title: "Table missing",
    retryable: false,
    action: "reload",
    next: "Map the right table in envdeck.toml (or create the table in that database), then Reload.",
  },
  read_only: {
    title: "Read-only environment",
    retryable: false,
    action: "none",
    next: "This environment is protected: copy into it through the guarded sync (Compare → a finding → Copy), never directly.",
  },
  invalid_input: {
    title: "Invalid input",
    retryable: false,
    action: "none",
    next: "Correct the value named above and try again; nothing was changed.",
  },
  io: {
    title: "File error",
    retryable: false,
    action: "none",
    next: "Check that the file above exists and that you may read and write its folder, then try again.",
  },
  cancelled: {
    title: "Cancelled",
    retryable: false,
    action: "rerun",
    next: "Nothing was changed. Run it again when you are ready.",
  },
  internal: {
    title: "Something went wrong",
    retryable: false,
    action: "copy",
    next: "This is a bug in envdeck: copy the details into a report. Retrying the last action may still work.",
  },
};

/** Text split where it says "Settings", so that word can be a link to the Settings page. */
export function settingsParts(text: string): { text: string; settings: boolean }[] {
  const out: { text: string; settings: boolean }[] = [];
  // "in Settings", "or in Settings", "Settings → Secrets": the word itself becomes the link.
  const re = /\bSettings\b(?: → [A-Z][a-z]+)?/g;
  let last = 0;
  for (const m of text.matchAll(re)) {
    const at = m.index ?? 0;
    if (at > last) out.push({ text: text.slice(last, at), settings: false });
    out.push({ text: m[0], settings: true });
    last = at + m[0].length;
  }
  if (last < text.length) out.push({ text: text.slice(last), settings: false });
  return out;
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === "string" && Object.hasOwn(ERRORS, value);
}

/** The backend promises `{code, message, retryable}`, but a plugin or a panic may still reject with a string. */
export function toAppError(raw: unknown): AppError {
  if (raw && typeof raw === "object" && "message" in raw) {
    const r = raw as { code?: unknown; message?: unknown; retryable?: unknown; detail?: unknown };
    const e: AppError = {
      code: isErrorCode(r.code) ? r.code : "internal",
      message: String(r.message),
      retryable: r.retryable === true,
    };
    if (typeof r.detail === "string" && r.detail) e.detail = r.detail;
    return e;
  }
  if (typeof raw === "string") return { code: "internal", message: raw, retryable: false };
  return { code: "internal", message: String(raw ?? "Unknown error"), retryable: false };
}

/** A short heading for an error card. */
export function errorTitle(code: ErrorCode): string {
  return ERRORS[code].title;
}
