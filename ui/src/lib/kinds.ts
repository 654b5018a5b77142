//! Environment kinds: their colour (the same hex values the e2e tests check) and short labels.
import type { EnvKind } from "./bindings/EnvKind";

export const KIND_COLOR: Record<EnvKind, string> = {
  development: "#22c55e",
  staging: "#f59e0b",
  production: "#ef4444",
};

export const KIND_SHORT: Record<EnvKind, string> = {
  development: "dev",
  staging: "staging",
  production: "prod",
};

const KIND_RANK: Record<EnvKind, number> = { development: 0, staging: 1, production: 2 };

/** Environments in the order people read them: development → staging → production, then by name. */
export function sortEnvironments<T extends { name: string; kind: EnvKind }>(environments: readonly T[]): T[] {
  return [...environments].sort((a, b) => KIND_RANK[a.kind] - KIND_RANK[b.kind] || a.name.localeCompare(b.name));
}
