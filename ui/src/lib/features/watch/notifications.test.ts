import { describe, expect, it, vi } from "vitest";
import { onReconnectOpen, RECONNECT_OPEN } from "./notifications";

type Handler = (e: { payload: unknown }) => void;

function fakeListen() {
  const handlers = new Map<string, Handler>();
  const unlisten = vi.fn();
  const listen = vi.fn(async (event: string, h: Handler) => {
    handlers.set(event, h);
    return unlisten;
  });
  return { handlers, unlisten, listen: listen as never };
}

describe("onReconnectOpen", () => {
  it("opens the environment a clicked notification names", async () => {
    const f = fakeListen();
    const open = vi.fn();
    onReconnectOpen(open, f.listen);
    await Promise.resolve();
    f.handlers.get(RECONNECT_OPEN)!({ payload: { env: "prod" } });
    expect(open).toHaveBeenCalledWith("prod", null);
  });

  it("passes the notified integration on, so the wizard lists it even when only expiring", async () => {
    const f = fakeListen();
    const open = vi.fn();
    onReconnectOpen(open, f.listen);
    await Promise.resolve();
    f.handlers.get(RECONNECT_OPEN)!({ payload: { env: "prod", provider: "twitter", account: "" } });
    expect(open).toHaveBeenCalledWith("prod", { provider: "twitter", account: null });
  });

  it("ignores a payload without an environment", async () => {
    const f = fakeListen();
    const open = vi.fn();
    onReconnectOpen(open, f.listen);
    await Promise.resolve();
    f.handlers.get(RECONNECT_OPEN)!({ payload: {} });
    expect(open).not.toHaveBeenCalled();
  });

  it("stops listening, also when stopped before the listener was registered", async () => {
    const f = fakeListen();
    const stop = onReconnectOpen(vi.fn(), f.listen);
    stop();
    await Promise.resolve();
    await Promise.resolve();
    expect(f.unlisten).toHaveBeenCalledTimes(1);
  });

  it("does nothing outside the app", () => {
    expect(() => onReconnectOpen(vi.fn(), null)()).not.toThrow();
  });
});
