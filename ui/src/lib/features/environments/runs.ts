//! How a workflow run looks: its status (succeeded, failed, anything else) and its length.
import { humanDuration } from "../../format";

export function runTone(status: string | null): "ok" | "err" | "neutral" {
  const s = (status ?? "").toLowerCase();
  if (["success", "succeeded", "ok", "completed"].includes(s)) return "ok";
  if (["error", "failed", "failure", "crashed", "timeout"].includes(s)) return "err";
  return "neutral";
}

/** A run's length: "850 ms", "12 s", "3 minutes". */
export function runDuration(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))} ms`;
  if (ms < 60_000) return `${Math.round(ms / 1000)} s`;
  return humanDuration(Math.round(ms / 1000));
}

/** How much of a run's error shows before it is folded. */
export const ERROR_FOLD = 160;

/**
 * The line a long or multi-line error folds to (its first line, cut at {@link ERROR_FOLD}
 * characters), or `null` when the error is short enough to show whole.
 */
export function foldedError(error: string): string | null {
  const first = error.split("\n", 1)[0].trimEnd();
  if (first === error && error.length <= ERROR_FOLD) return null;
  return first.length > ERROR_FOLD ? `${first.slice(0, ERROR_FOLD).trimEnd()}…` : `${first} …`;
}
