import { afterEach, describe, expect, it, vi } from "vitest";
import { closeTopOverlay, pushOverlay } from "./overlays.svelte";

function sheet(withClose: boolean) {
  const el = document.createElement("div");
  el.setAttribute("role", "dialog");
  el.setAttribute("aria-modal", "true");
  const closed = vi.fn();
  if (withClose) {
    const b = document.createElement("button");
    b.setAttribute("aria-label", "Close");
    b.addEventListener("click", closed);
    el.append(b);
  }
  document.body.append(el);
  return { el, closed };
}

describe("Escape's overlay stack", () => {
  afterEach(() => document.body.replaceChildren());

  it("closes nothing when nothing is open", () => {
    expect(closeTopOverlay()).toBe(false);
  });

  it("closes a sheet through its own Close button", () => {
    const s = sheet(true);
    expect(closeTopOverlay()).toBe(true);
    expect(s.closed).toHaveBeenCalledTimes(1);
  });

  it("leaves a sheet that hides its Close button while it works, and what is under it", () => {
    const under = sheet(true);
    sheet(false);
    expect(closeTopOverlay()).toBe(false);
    expect(under.closed).not.toHaveBeenCalled();
  });

  it("closes a registered drawer above a sheet first, then the sheet", () => {
    const s = sheet(true);
    const drawer = document.createElement("aside");
    document.body.append(drawer);
    const close = vi.fn(() => remove());
    const remove = pushOverlay(drawer, close);
    expect(closeTopOverlay()).toBe(true);
    expect(close).toHaveBeenCalledTimes(1);
    expect(s.closed).not.toHaveBeenCalled();
    expect(closeTopOverlay()).toBe(true);
    expect(s.closed).toHaveBeenCalledTimes(1);
  });
});
