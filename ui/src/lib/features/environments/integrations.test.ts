import { describe, expect, it } from "vitest";
import type { IntegrationHealth } from "../../bindings/IntegrationHealth";
import type { IntegrationRow } from "../../bindings/IntegrationRow";
import { groupIntegrations, integrationGroup } from "./integrations";

const DAY = 86400;
const row = (health: IntegrationHealth, expires: number | null = null, status = "connected"): IntegrationRow => ({
  provider: "slack",
  account: null,
  status,
  healthy: health !== "broken" && health !== "expired",
  health,
  expires_at: null,
  expires_in_seconds: expires,
  updated_at: null,
});

describe("integration groups on the dashboard", () => {
  it("shows the engine's verdict as is, also where the old TypeScript rule disagreed", () => {
    // Status `expired` with a future expiry: the engine says expired, as the parity grid does.
    expect(integrationGroup(row("expired", 30 * DAY, "expired"))).toBe("expired");
    expect(integrationGroup(row("broken", 30 * DAY, "needs_reauthorization"))).toBe("broken");
    expect(integrationGroup(row("expiring", 3 * DAY))).toBe("expiring");
    expect(integrationGroup(row("healthy"))).toBe("healthy");
  });

  it("orders the groups broken, expired, expiring, healthy and drops empty ones", () => {
    const groups = groupIntegrations([row("healthy"), row("expiring", 2 * DAY), row("expired", -DAY), row("expiring", 5 * DAY)]);
    expect(groups.map((g) => [g.key, g.rows.length])).toEqual([
      ["expired", 1],
      ["expiring", 2],
      ["healthy", 1],
    ]);
    // Within Expiring, the soonest first.
    expect(groups[1].rows.map((r) => r.expires_in_seconds)).toEqual([2 * DAY, 5 * DAY]);
  });
});
