//! Sorts a dashboard's integrations into what needs doing: broken, expired, expiring soon, healthy.
import type { IntegrationRow } from "../../bindings/IntegrationRow";

import type { IntegrationHealth } from "../../bindings/IntegrationHealth";

/** The groups are the engine's own health verdict (`IntegrationRow.health`), shown as is. */
export type GroupKey = IntegrationHealth;
export type IntegrationGroup = { key: GroupKey; label: string; rows: IntegrationRow[] };

export const GROUP_LABEL: Record<GroupKey, string> = {
  broken: "Broken",
  expired: "Expired",
  expiring: "Expiring within 7 days",
  healthy: "Healthy",
};

/** The order groups appear in: what is already failing first. */
export const GROUP_ORDER: readonly GroupKey[] = ["broken", "expired", "expiring", "healthy"];

/** Rust decides (one rule for the dashboard, the parity grid and `check`). */
export function integrationGroup(row: IntegrationRow): GroupKey {
  return row.health;
}

const byProvider = (a: IntegrationRow, b: IntegrationRow) =>
  a.provider.localeCompare(b.provider) || (a.account ?? "").localeCompare(b.account ?? "");
const byExpiry = (a: IntegrationRow, b: IntegrationRow) =>
  (a.expires_in_seconds ?? Infinity) - (b.expires_in_seconds ?? Infinity) || byProvider(a, b);

/** Non-empty groups, in `GROUP_ORDER`; the soonest (or longest-)expired first where time matters. */
export function groupIntegrations(rows: IntegrationRow[]): IntegrationGroup[] {
  const groups: IntegrationGroup[] = [];
  for (const key of GROUP_ORDER) {
    const members = rows.filter((r) => integrationGroup(r) === key);
    if (members.length === 0) continue;
    members.sort(key === "expired" || key === "expiring" ? byExpiry : byProvider);
    groups.push({ key, label: GROUP_LABEL[key], rows: members });
  }
  return groups;
}

const DISPLAY: Record<string, string> = {
  github: "GitHub",
  gitlab: "GitLab",
  hubspot: "HubSpot",
  linkedin: "LinkedIn",
  openai: "OpenAI",
  paypal: "PayPal",
  youtube: "YouTube",
  tiktok: "TikTok",
  x: "X",
};

export function providerName(provider: string): string {
  const key = provider.toLowerCase();
  return DISPLAY[key] ?? provider.charAt(0).toUpperCase() + provider.slice(1);
}

/** A stable hue per provider for its letter avatar. */
export function providerHue(provider: string): number {
  let h = 0;
  for (const ch of provider.toLowerCase()) h = (h * 31 + ch.charCodeAt(0)) % 360;
  return h;
}
