//! Groups secret rows by environment, in the workspace's environment order.
import type { EnvSummary } from "../../bindings/EnvSummary";
import type { SecretEntry } from "../../bindings/SecretEntry";

export type SecretGroup = { env: string; summary: EnvSummary | null; secrets: SecretEntry[] };

export function groupSecrets(environments: EnvSummary[], secrets: SecretEntry[]): SecretGroup[] {
  const groups: SecretGroup[] = environments.map((e) => ({ env: e.name, summary: e, secrets: [] }));
  for (const s of secrets) {
    let group = groups.find((g) => g.env === s.env);
    if (!group) {
      group = { env: s.env, summary: null, secrets: [] };
      groups.push(group);
    }
    group.secrets.push(s);
  }
  for (const g of groups) g.secrets.sort((a, b) => a.name.localeCompare(b.name));
  return groups;
}

/** Mirrors the names the backend accepts: letters, digits and underscores, not starting with a digit. */
export function secretNameProblem(name: string): string | null {
  if (name.length === 0) return "Enter a name.";
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) return "Use letters, digits and underscores, e.g. SMTP_PASSWORD.";
  return null;
}
