//! What the Compare screen knows about areas, severities and findings: order, labels,
//! counting, sorting and filtering. Pure functions, tested without a DOM.
import type { Area } from "../../bindings/Area";
import type { EnvSummary } from "../../bindings/EnvSummary";
import type { Finding } from "../../bindings/Finding";
import type { Severity } from "../../bindings/Severity";

/** The areas in the order people read them (and the backend sorts them). */
export const AREAS: readonly Area[] = [
  "integrations",
  "workflows",
  "schema",
  "migrations",
  "reference_data",
  "data",
  "config",
  "isolation",
];

export const AREA_TITLE: Record<Area, string> = {
  integrations: "Integrations",
  workflows: "Workflows",
  schema: "Schema",
  migrations: "Migrations",
  reference_data: "Reference data",
  data: "Data",
  config: "Config (env files)",
  isolation: "Isolation",
};

/** For the findings table's narrow Area column. */
export const AREA_SHORT: Record<Area, string> = { ...AREA_TITLE, config: "Config" };

/** One line under each card title: what the area compares. */
export const AREA_BLURB: Record<Area, string> = {
  integrations: "OAuth connections per provider and account",
  workflows: "Definitions and on/off state",
  schema: "Tables, constraints, functions, policies…",
  migrations: "Applied migrations",
  reference_data: "Roles, templates and other seeded rows",
  data: "Rows of [[tables]], matched by natural key",
  config: "Keys in each environment's env file",
  isolation: "Shared databases, backends and secrets",
};

/** Most severe first. */
export const SEVERITIES: readonly Severity[] = ["critical", "warning", "info"];

export const SEVERITY_LABEL: Record<Severity, string> = {
  critical: "Critical",
  warning: "Warning",
  info: "Info",
};

const SEVERITY_RANK: Record<Severity, number> = { critical: 0, warning: 1, info: 2 };

const KIND_LABEL: Record<string, string> = {
  local_url_in_protected: "localhost in protected",
  column_type: "column type changed",
  pending: "pending in target",
  unknown: "unknown in source",
};

/** "missing_table" → "missing table"; a few kinds get a clearer phrase. */
export function kindLabel(kind: string): string {
  return KIND_LABEL[kind] ?? kind.replaceAll("_", " ");
}

export type SeverityCounts = Record<Severity, number>;

export function countBySeverity(findings: readonly Finding[]): SeverityCounts {
  const counts: SeverityCounts = { critical: 0, warning: 0, info: 0 };
  for (const f of findings) counts[f.severity] += 1;
  return counts;
}

/** Severity (critical first), then area order, then key, then kind. */
export function sortFindings(findings: readonly Finding[]): Finding[] {
  return [...findings].sort(
    (a, b) =>
      SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] ||
      AREAS.indexOf(a.area) - AREAS.indexOf(b.area) ||
      a.key.localeCompare(b.key) ||
      a.kind.localeCompare(b.kind),
  );
}

export type FindingFilter = {
  /** `null` shows every area. */
  area: Area | null;
  /** Empty shows every severity. */
  severities: readonly Severity[];
  /** Case-insensitive, over key, kind and detail. */
  text: string;
};

export const NO_FILTER: FindingFilter = { area: null, severities: [], text: "" };

export function isFiltered(f: FindingFilter): boolean {
  return f.area !== null || f.severities.length > 0 || f.text.trim() !== "";
}

export function filterFindings(findings: readonly Finding[], filter: FindingFilter): Finding[] {
  const words = filter.text.trim().toLowerCase().split(/\s+/).filter(Boolean);
  return findings.filter((f) => {
    if (filter.area && f.area !== filter.area) return false;
    if (filter.severities.length > 0 && !filter.severities.includes(f.severity)) return false;
    if (words.length === 0) return true;
    const hay = `${f.key}\n${f.kind}\n${kindLabel(f.kind)}\n${f.detail}`.toLowerCase();
    return words.every((w) => hay.includes(w));
  });
}

/** Findings whose two values can be shown side by side as JSON: one workflow, or one
 *  reference or data row (`table/key`; not a whole missing table, nor the "`table/…` more
 *  rows" line). */
export function hasValues(f: Finding): boolean {
  // A schema finding shows how each side defines the object (the SQL the server gives).
  if (f.area === "schema") return true;
  if (f.kind !== "changed" && f.kind !== "missing" && f.kind !== "extra") return false;
  if (f.area === "workflows") return true;
  return (f.area === "reference_data" || f.area === "data") && f.key.includes("/") && !f.key.endsWith("/…");
}

/** From the first environment you may write to, to the first protected one (dev → prod). */
export function defaultPair(environments: readonly EnvSummary[]): { from: string; to: string } | null {
  if (environments.length < 2) return null;
  const from = environments.find((e) => !e.protected) ?? environments[0];
  const to = environments.find((e) => e.protected && e.name !== from.name) ?? environments.find((e) => e.name !== from.name)!;
  return { from: from.name, to: to.name };
}

/** Pretty-prints JSON text so a line diff is meaningful; leaves anything else as it is. */
export function prettyJson(text: string | null): string {
  if (text === null) return "";
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}
