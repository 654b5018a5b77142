import { fireEvent, render, screen } from "@testing-library/svelte";
import { createRawSnippet, tick } from "svelte";
import { afterEach, describe, expect, it, vi } from "vitest";
import { closeTopOverlay } from "../overlays.svelte";
import Drawer from "./Drawer.svelte";

const body = createRawSnippet(() => ({ render: () => `<p>Body text <button>Inside</button></p>` }));
const footer = createRawSnippet(() => ({ render: () => `<button>Reconnect</button>` }));

/** A row-like button that had the focus before the drawer opened. */
function opener(): HTMLButtonElement {
  const b = document.createElement("button");
  b.textContent = "the row";
  document.body.append(b);
  b.focus();
  return b;
}

afterEach(() => {
  document.body.innerHTML = "";
});

describe("Drawer", () => {
  it("is a labelled dialog with its title, subtitle, body and footer actions", () => {
    render(Drawer, { title: "Slack", subtitle: "ana@acme.test · prod", onclose: vi.fn(), children: body, footer });
    const dialog = screen.getByRole("dialog", { name: "Slack" });
    expect(dialog).toHaveTextContent("ana@acme.test · prod");
    expect(dialog).toHaveTextContent("Body text");
    expect(screen.getByRole("button", { name: "Reconnect" })).toBeInTheDocument();
  });

  it("takes the focus when it opens and gives it back to the row when it closes", async () => {
    const row = opener();
    const { unmount } = render(Drawer, { title: "Slack", onclose: vi.fn(), children: body });
    const dialog = screen.getByRole("dialog");
    expect(dialog.contains(document.activeElement)).toBe(true);
    unmount();
    await tick();
    await Promise.resolve();
    expect(document.activeElement).toBe(row);
  });

  it("closes on Escape, on the close button and on a click beside it", async () => {
    const onclose = vi.fn();
    render(Drawer, { title: "Slack", onclose, children: body });
    await fireEvent.keyDown(screen.getByRole("dialog"), { key: "Escape" });
    expect(onclose).toHaveBeenCalledTimes(1);
    await fireEvent.click(screen.getByRole("button", { name: "Close" }));
    expect(onclose).toHaveBeenCalledTimes(2);
    await fireEvent.click(screen.getByTestId("drawer-backdrop"));
    expect(onclose).toHaveBeenCalledTimes(3);
    // A click inside does not close it.
    await fireEvent.click(screen.getByText("Body text"));
    expect(onclose).toHaveBeenCalledTimes(3);
  });

  it("is the topmost overlay for the window's Escape handler", () => {
    const onclose = vi.fn();
    render(Drawer, { title: "Slack", onclose, children: body });
    expect(closeTopOverlay()).toBe(true);
    expect(onclose).toHaveBeenCalledTimes(1);
  });

  it("keeps Tab inside while it is open", async () => {
    render(Drawer, { title: "Slack", onclose: vi.fn(), children: body, footer });
    const close = screen.getByRole("button", { name: "Close" });
    const last = screen.getByRole("button", { name: "Reconnect" });
    last.focus();
    await fireEvent.keyDown(last, { key: "Tab" });
    expect(document.activeElement).toBe(close);
    await fireEvent.keyDown(close, { key: "Tab", shiftKey: true });
    expect(document.activeElement).toBe(last);
  });
});
