import { describe, expect, it } from "vitest";
import type { EnvSummary } from "../../bindings/EnvSummary";
import type { Finding } from "../../bindings/Finding";
import type { FindingKind } from "../../bindings/FindingKind";
import { countBySeverity, defaultPair, filterFindings, hasValues, NO_FILTER, prettyJson, sortFindings } from "./findings";

const f = (area: Finding["area"], kind: FindingKind, key: string, severity: Finding["severity"], detail = ""): Finding => ({
  area,
  kind,
  key,
  key_parts: { subject: null, parts: [{ type: "text", value: key }] },
  severity,
  detail,
});

const FINDINGS: Finding[] = [
  f("config", "extra_key", "SENTRY_DSN", "info", "Only in `.env.production`."),
  f("workflows", "changed", "Stripe failed payment follow-up", "warning", "Wait.parameters.amount differs"),
  f("isolation", "same_secret", "SLACK_CLIENT_SECRET", "critical", "Same secret in dev and prod"),
  f("integrations", "expired", "slack/ana@acme.test", "critical", "Expired 6 days ago"),
  f("integrations", "missing", "twitter/ana@acme.test", "warning", "Not connected in prod"),
  f("workflows", "missing", "Post new blog articles to X", "warning", "Exists in dev only"),
];

const env = (name: string, isProtected: boolean): EnvSummary => ({
  name,
  kind: isProtected ? "production" : "development",
  protected: isProtected,
  app_url: null,
  database: { type: "url", display: "sqlite://x.db" },
  env_file: null,
});

describe("findings", () => {
  it("counts by severity", () => {
    expect(countBySeverity(FINDINGS)).toEqual({ critical: 2, warning: 3, info: 1 });
    expect(countBySeverity([])).toEqual({ critical: 0, warning: 0, info: 0 });
  });

  it("sorts critical first, then by area order, then by key", () => {
    expect(sortFindings(FINDINGS).map((x) => x.key)).toEqual([
      "slack/ana@acme.test",
      "SLACK_CLIENT_SECRET",
      "twitter/ana@acme.test",
      "Post new blog articles to X",
      "Stripe failed payment follow-up",
      "SENTRY_DSN",
    ]);
  });

  it("filters by area, severity and words found in key, kind or detail", () => {
    expect(filterFindings(FINDINGS, { ...NO_FILTER, area: "workflows" })).toHaveLength(2);
    expect(filterFindings(FINDINGS, { ...NO_FILTER, severities: ["critical", "info"] })).toHaveLength(3);
    expect(filterFindings(FINDINGS, { ...NO_FILTER, text: "SLACK" }).map((x) => x.key)).toEqual([
      "SLACK_CLIENT_SECRET",
      "slack/ana@acme.test",
    ]);
    expect(filterFindings(FINDINGS, { ...NO_FILTER, text: "same secret" })).toHaveLength(1);
    expect(filterFindings(FINDINGS, { area: "workflows", severities: ["warning"], text: "blog" })).toHaveLength(1);
    expect(filterFindings(FINDINGS, { ...NO_FILTER, text: "nothing like this" })).toHaveLength(0);
  });

  it("offers the two values for workflow, reference-data and data rows and schema objects", () => {
    expect(hasValues(f("schema", "changed_function", "touch()", "warning"))).toBe(true);
    expect(hasValues(f("schema", "missing_table", "api_keys", "warning"))).toBe(true);
    expect(hasValues(f("workflows", "changed", "x", "warning"))).toBe(true);
    expect(hasValues(f("reference_data", "missing", "roles/manager", "warning"))).toBe(true);
    expect(hasValues(f("workflows", "inactive", "x", "warning"))).toBe(false);
    expect(hasValues(f("config", "missing_key", "X", "warning"))).toBe(false);
    // A whole table missing, or the "more rows" summary line, has no single row to show.
    expect(hasValues(f("reference_data", "missing", "plans", "warning"))).toBe(false);
    expect(hasValues(f("reference_data", "changed", "roles/…", "warning"))).toBe(false);
    // A data row shows its two sides; the table's summary (its counts) has none.
    expect(hasValues(f("data", "missing", "customer_notes/ana@acme.test/2026-11-10", "warning"))).toBe(true);
    expect(hasValues(f("data", "table_drift", "customer_notes", "warning"))).toBe(false);
  });

  it("compares the first writable environment with the first protected one", () => {
    expect(defaultPair([env("dev", false), env("staging", false), env("prod", true)])).toEqual({ from: "dev", to: "prod" });
    expect(defaultPair([env("prod", true), env("dev", false)])).toEqual({ from: "dev", to: "prod" });
    expect(defaultPair([env("a", false), env("b", false)])).toEqual({ from: "a", to: "b" });
    expect(defaultPair([env("only", false)])).toBeNull();
  });

  it("pretty-prints JSON for a line diff and shows an absent value as an empty document", () => {
    expect(prettyJson('{"a":1,"b":[true]}')).toBe('{\n  "a": 1,\n  "b": [\n    true\n  ]\n}');
    expect(prettyJson(null)).toBe("");
    expect(prettyJson("not json")).toBe("not json");
  });
});
