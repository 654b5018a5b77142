import { describe, expect, it } from "vitest";
import { databaseSourceLabel, keySegments, expiresLabel, expiryLevel, failureRate, percentLabel, relativeTime } from "./format";

const HOUR = 3600;
const DAY = 24 * HOUR;

describe("expiry labels a user reads in the integrations table", () => {
  it("says how long until a token expires", () => {
    expect(expiresLabel(3 * DAY)).toBe("expires in 3 days");
    expect(expiresLabel(1 * HOUR)).toBe("expires in 1 hour");
    expect(expiresLabel(20)).toBe("expires in less than a minute");
  });

  it("says how long ago an expired token expired (negative seconds)", () => {
    expect(expiresLabel(-2 * HOUR)).toBe("expired 2 hours ago");
    expect(expiresLabel(-2 * DAY)).toBe("expired 2 days ago");
  });

  it("shows nothing for tokens without expiry", () => {
    expect(expiresLabel(null)).toBeNull();
    expect(expiryLevel(null)).toBe("none");
  });

  it("flags expired and soon-to-expire tokens", () => {
    expect(expiryLevel(-1)).toBe("expired");
    expect(expiryLevel(3 * DAY)).toBe("soon");
    expect(expiryLevel(30 * DAY)).toBe("ok");
  });
});

describe("relative times", () => {
  const now = Date.parse("2025-06-01T12:00:00Z");
  it("reads naturally in both directions", () => {
    expect(relativeTime("2025-06-01T09:00:00Z", now)).toBe("3 hours ago");
    expect(relativeTime("2025-06-01T11:59:30Z", now)).toBe("just now");
    expect(relativeTime("2025-06-03T12:00:00Z", now)).toBe("in 2 days");
  });
});

describe("workflow failure rate", () => {
  it("is only shown when the workflow ran", () => {
    expect(failureRate(0, 0)).toBeNull();
    expect(failureRate(null, null)).toBeNull();
    expect(failureRate(200, 10)).toBe(5);
    expect(percentLabel(5)).toBe("5.0 %");
    expect(percentLabel(17.4)).toBe("17 %");
  });
});

describe("database source", () => {
  it("names where the connection string comes from without revealing it", () => {
    expect(databaseSourceLabel({ type: "url", display: "sqlite://dev.db" })).toBe("URL sqlite://dev.db");
    expect(databaseSourceLabel({ type: "secret", name: "DATABASE_URL" })).toBe("keychain secret DATABASE_URL");
    expect(databaseSourceLabel({ type: "env", var: "PROD_DB", is_set: false })).toBe("env var PROD_DB (not set)");
  });
});

describe("finding keys break only at separators", () => {
  it("cuts after /, . and _ and nowhere else", () => {
    expect(keySegments("public.users/ana_b")).toEqual(["public.", "users/", "ana_", "b"]);
    expect(keySegments("_prisma_migrations")).toEqual(["_", "prisma_", "migrations"]);
    expect(keySegments("Stripe failed payment follow-up")).toEqual(["Stripe failed payment follow-up"]);
    expect(keySegments("roles/…")).toEqual(["roles/", "…"]);
    expect(keySegments("a//b")).toEqual(["a//", "b"]);
    expect(keySegments("")).toEqual([""]);
    for (const k of ["public.users/ana_b", "x/", "SLACK_CLIENT_SECRET", "a.b.c"]) expect(keySegments(k).join("")).toBe(k);
  });
});
