import { describe, expect, it } from "vitest";
import type { IntegrationRow } from "../../bindings/IntegrationRow";
import { groupIntegrations, integrationGroup } from "./integrations";

const DAY = 86400;
const row = (expires: number | null, healthy = true, status = "connected"): IntegrationRow => ({
  provider: "slack",
  account: null,
  status,
  healthy,
  expires_at: null,
  expires_in_seconds: expires,
  updated_at: null,
});

describe("integration groups on the dashboard", () => {
  it("puts a token that has passed its expiry under Expired, whatever the status says", () => {
    expect(integrationGroup(row(-1))).toBe("expired");
    expect(integrationGroup(row(-6 * DAY, false, "expired"))).toBe("expired");
  });

  it("calls an unhealthy connection that has not expired Broken", () => {
    expect(integrationGroup(row(30 * DAY, false, "needs_reauthorization"))).toBe("broken");
    expect(integrationGroup(row(null, false, "revoked"))).toBe("broken");
    expect(integrationGroup(row(0, false, "error"))).toBe("broken");
  });

  it("warns from 0 up to, not including, 7 days", () => {
    expect(integrationGroup(row(0))).toBe("expiring");
    expect(integrationGroup(row(3 * DAY))).toBe("expiring");
    expect(integrationGroup(row(7 * DAY - 1))).toBe("expiring");
    expect(integrationGroup(row(7 * DAY))).toBe("healthy");
  });

  it("treats tokens that never expire as healthy", () => {
    expect(integrationGroup(row(null))).toBe("healthy");
  });

  it("orders the groups broken, expired, expiring, healthy and drops empty ones", () => {
    const groups = groupIntegrations([row(null), row(2 * DAY), row(-DAY), row(5 * DAY)]);
    expect(groups.map((g) => [g.key, g.rows.length])).toEqual([
      ["expired", 1],
      ["expiring", 2],
      ["healthy", 1],
    ]);
    // Within Expiring, the soonest first.
    expect(groups[1].rows.map((r) => r.expires_in_seconds)).toEqual([2 * DAY, 5 * DAY]);
  });
});
