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
