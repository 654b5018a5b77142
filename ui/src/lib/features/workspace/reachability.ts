//! Collapses an environment's status load into what the sidebar dot and the status card show.
import type { AppError } from "../../bindings/AppError";
import type { EnvStatus } from "../../bindings/EnvStatus";
import { ERRORS } from "../../errors";
import type { Loadable } from "../../loadable";

export type Reachability = "pending" | "true" | "false";

export function reachability(status: Loadable<EnvStatus> | undefined): Reachability {
  if (!status || status.status === "loading") return "pending";
  if (status.status === "error") return "false";
  return status.value.reachable ? "true" : "false";
}

/** The failure behind an unreachable environment, whether the command rejected or reported it. */
export function statusError(status: Loadable<EnvStatus> | undefined): AppError | null {
  if (!status || status.status === "loading") return null;
  if (status.status === "error") return status.error;
  const s = status.value;
  if (s.reachable && !s.error) return null;
  const code = s.error_code ?? "db_error";
  return {
    code,
    message: s.error ?? `envdeck could not reach the database of \`${s.name}\`.`,
    // A status carries only the code; Retry follows it like any other error.
    retryable: ERRORS[code].retryable,
    // The technical part (a keychain's D-Bus error), folded under the sentence by ErrorCard.
    ...(s.error_detail ? { detail: s.error_detail } : {}),
  };
}
