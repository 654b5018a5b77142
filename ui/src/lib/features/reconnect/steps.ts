//! Pure helpers of the reconnect wizard: elapsed time, where to go next, what an outcome means.
import type { ReconnectOutcome } from "../../bindings/ReconnectOutcome";
import type { ReconnectReason } from "../../bindings/ReconnectReason";
import type { ReconnectStep } from "../../bindings/ReconnectStep";

/** `0:12`, `1:05`, `12:00`. */
export function elapsedLabel(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
}

export const REASON_LABEL: Record<ReconnectReason, string> = {
  missing: "missing",
  expired: "expired",
  broken: "broken",
  asked: "added",
};

/** A step with nothing left to do. */
export const isDone = (s: ReconnectStep): boolean => s.status === "landed" || s.status === "skipped";

/** The first step not done at or after `from` (with `wrap`, else before it); `null` when none is. */
export function nextStep(steps: ReconnectStep[], from = 0, wrap = true): number | null {
  for (let i = from; i < steps.length; i++) if (!isDone(steps[i])) return i;
  if (wrap) for (let i = 0; i < Math.min(from, steps.length); i++) if (!isDone(steps[i])) return i;
  return null;
}

/** The step as it stands after `o`. */
export function withOutcome(step: ReconnectStep, o: ReconnectOutcome): ReconnectStep {
  const status = o.kind === "landed" ? "landed" : o.kind === "skipped" ? "skipped" : "failed";
  return { ...step, status, outcome: o };
}

/** Options of one wait: 10 minutes, every 2 s (the end-to-end test asks for faster polls). */
export function watchOptions(
  reference: string | null,
  timeoutMs = 10 * 60 * 1000,
): { timeout_ms: number; interval_ms: number; reference: string | null } {
  const fast = typeof window !== "undefined" ? window.__ENVDECK_TEST_RECONNECT_INTERVAL_MS__ : undefined;
  return { timeout_ms: timeoutMs, interval_ms: typeof fast === "number" ? fast : 2000, reference };
}

declare global {
  interface Window {
    /** Set by the WebDriver test only: poll the databases this often while waiting. */
    __ENVDECK_TEST_RECONNECT_INTERVAL_MS__?: number;
  }
}
