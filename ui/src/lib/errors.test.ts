import { describe, expect, it } from "vitest";
import { ERRORS, settingsParts, toAppError } from "./errors";
import recorded from "./fixtures/error-codes.json";

describe("toAppError", () => {
  it("keeps a well-formed AppError", () => {
    const e = { code: "db_timeout", message: "Timed out.", retryable: true };
    expect(toAppError(e)).toEqual(e);
  });

  it("wraps a bare string rejection as an internal error", () => {
    expect(toAppError("boom")).toEqual({ code: "internal", message: "boom", retryable: false });
  });

  it("maps an unknown code to internal so the UI never branches on garbage", () => {
    expect(toAppError({ code: "weird", message: "x" }).code).toBe("internal");
  });
});

describe("ERRORS", () => {
  // fixtures/error-codes.json is recorded from Rust's ErrorCode (tests/fixtures.rs).
  it("handles every code the Rust side has, with the same retryable", () => {
    const rust = Object.fromEntries(Object.entries(recorded).map(([code, v]) => [code, v.retryable]));
    const ui = Object.fromEntries(Object.entries(ERRORS).map(([code, v]) => [code, v.retryable]));
    expect(ui).toEqual(rust);
  });

  it("offers Retry only for retryable codes", () => {
    for (const [code, h] of Object.entries(ERRORS)) expect(h.action === "retry", code).toBe(h.retryable);
  });
});

describe("next steps", () => {
  it("every code says what to do, as a sentence", () => {
    for (const [code, h] of Object.entries(ERRORS)) {
      expect(h.next.length, code).toBeGreaterThan(20);
      expect(h.next, code).toMatch(/^[A-Z].*\.$/);
    }
  });

  it("keeps a folded technical detail and drops an empty one", () => {
    expect(toAppError({ code: "keychain_unavailable", message: "m", retryable: true, detail: "dbus" }).detail).toBe("dbus");
    expect(toAppError({ code: "io", message: "m", detail: "" })).not.toHaveProperty("detail");
  });

  it("finds Settings (and Settings → a section) to link", () => {
    expect(settingsParts("set it in Settings → Secrets, then retry")).toEqual([
      { text: "set it in ", settings: false },
      { text: "Settings → Secrets", settings: true },
      { text: ", then retry", settings: false },
    ]);
    expect(settingsParts("no link here")).toEqual([{ text: "no link here", settings: false }]);
  });
});
