//! Orders integrations so that broken or expired connections sit on top.
import type { IntegrationRow } from "../../bindings/IntegrationRow";
import { expiryLevel } from "../../format";

export type IntegrationGroup = { key: "attention" | "healthy"; label: string; rows: IntegrationRow[] };

export function needsAttention(row: IntegrationRow): boolean {
  return !row.healthy || expiryLevel(row.expires_in_seconds) === "expired";
}

export function groupIntegrations(rows: IntegrationRow[]): IntegrationGroup[] {
  const attention = rows
    .filter(needsAttention)
    .sort((a, b) => (a.expires_in_seconds ?? Infinity) - (b.expires_in_seconds ?? Infinity) || a.provider.localeCompare(b.provider));
  const healthy = rows.filter((r) => !needsAttention(r)).sort((a, b) => a.provider.localeCompare(b.provider));
  const groups: IntegrationGroup[] = [];
  if (attention.length) groups.push({ key: "attention", label: "Needs attention", rows: attention });
  if (healthy.length) groups.push({ key: "healthy", label: "Healthy", rows: healthy });
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
