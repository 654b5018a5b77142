import { describe, expect, it } from "vitest";
import { toAppError } from "./errors";

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
