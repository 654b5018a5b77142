//! Human-readable durations, expiries and rates. Pure functions: the caller passes "now".
import type { DatabaseSourceView } from "./bindings/DatabaseSourceView";

const UNITS: Array<[name: string, seconds: number]> = [
  ["year", 365 * 86400],
  ["month", 30 * 86400],
  ["day", 86400],
  ["hour", 3600],
  ["minute", 60],
];

/** "3 days", "1 hour", "less than a minute" — rounds to the largest unit that fits. */
export function humanDuration(seconds: number): string {
  const s = Math.abs(seconds);
  for (const [name, size] of UNITS) {
    if (s >= size) {
      const n = Math.round(s / size);
      return `${n} ${name}${n === 1 ? "" : "s"}`;
    }
  }
  return "less than a minute";
}

/** "expires in 3 days", "expired 2 hours ago", or null when there is no expiry. */
export function expiresLabel(expiresInSeconds: number | null): string | null {
  if (expiresInSeconds === null) return null;
  return expiresInSeconds < 0
    ? `expired ${humanDuration(expiresInSeconds)} ago`
    : `expires in ${humanDuration(expiresInSeconds)}`;
}

export type ExpiryLevel = "none" | "ok" | "soon" | "expired";

/** Expired is an error, under a week is a warning. */
export function expiryLevel(expiresInSeconds: number | null): ExpiryLevel {
  if (expiresInSeconds === null) return "none";
  if (expiresInSeconds < 0) return "expired";
  if (expiresInSeconds < 7 * 86400) return "soon";
  return "ok";
}

/** "3 hours ago", "in 5 minutes", "just now". */
export function relativeTime(iso: string, now: number = Date.now()): string {
  const then = Date.parse(iso);
  if (Number.isNaN(then)) return iso;
  const diff = Math.round((then - now) / 1000);
  if (Math.abs(diff) < 60) return "just now";
  return diff < 0 ? `${humanDuration(diff)} ago` : `in ${humanDuration(diff)}`;
}

export function absoluteTime(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString();
}

export function latencyLabel(ms: number | null): string {
  if (ms === null) return "—";
  return ms < 1 ? "<1 ms" : `${Math.round(ms)} ms`;
}

/** Failure rate in percent, or null when the workflow never ran. */
export function failureRate(runs: number | null, failures: number | null): number | null {
  if (!runs || runs <= 0 || failures === null) return null;
  return (failures / runs) * 100;
}

export function percentLabel(p: number): string {
  if (p === 0) return "0 %";
  if (p < 0.1) return "<0.1 %";
  return `${p < 10 ? p.toFixed(1) : Math.round(p)} %`;
}

export function countLabel(n: number | null): string {
  return n === null ? "—" : n.toLocaleString("en-US");
}

export function databaseSourceLabel(db: DatabaseSourceView): string {
  switch (db.type) {
    case "url":
      return `URL ${db.display}`;
    case "secret":
      return `keychain secret ${db.name}`;
    case "env":
      return `env var ${db.var} (${db.is_set ? "set" : "not set"})`;
  }
}

/**
 * A key cut after each separator (`/`, `.`, `_`), so a line may break there and nowhere
 * else: "public.users/ana_b" → ["public.", "users/", "ana_", "b"]. Joined, the parts are the key.
 */
export function keySegments(key: string): string[] {
  return key.match(/[^/._]*[/._]+|[^/._]+$/g) ?? [key];
}
