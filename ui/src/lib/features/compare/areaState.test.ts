import { describe, expect, it } from "vitest";
import { areaState } from "./compare.svelte";
import { loaded } from "../../loadable";
import type { AreaReport } from "../../bindings/AreaReport";
import type { Finding } from "../../bindings/Finding";

const finding: Finding = {
  area: "isolation",
  kind: "shared_backend",
  key: "CONVEX_DEPLOYMENT",
  key_parts: { subject: null, parts: [{ type: "text", value: "CONVEX_DEPLOYMENT" }] },
  severity: "critical",
  detail: "",
};

describe("areaState", () => {
  it("keeps the findings of an area that failed in part, so they still reach the table", () => {
    const report: AreaReport = {
      area: "isolation",
      from: "dev",
      to: "prod",
      findings: [finding],
      error: { code: "db_unreachable", message: "could not reach prod", retryable: true },
      skipped: null,
      duration_ms: 3,
    };
    const s = areaState(loaded(report));
    expect(s.state).toBe("error");
    expect(s.state === "error" && s.findings).toEqual([finding]);
  });

  it("treats an area the workspace does not configure as skipped, not failed or done", () => {
    const reason = "not compared: envdeck.toml has no [[reference_data]] tables";
    const report: AreaReport = {
      area: "reference_data",
      from: "dev",
      to: "prod",
      findings: [],
      error: null,
      skipped: reason,
      duration_ms: 0,
    };
    expect(areaState(loaded(report))).toEqual({ state: "skipped", reason, findings: [] });
  });
});
