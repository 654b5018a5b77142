//! The window's keyboard: the command palette (Ctrl/Cmd+K), Ctrl+R, Ctrl+F and Escape, on
//! the dev fake (the demo as the engine recorded it).
import { fireEvent, render, screen, within } from "@testing-library/svelte";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import App from "./App.svelte";
import * as backend from "./lib/backend";
import { resetFake } from "./lib/fake-backend";
import { theme } from "./lib/theme.svelte";

vi.mock("./lib/backend", async (original) => {
  const actual = await original<typeof import("./lib/backend")>();
  return { ...actual, environmentStatus: vi.fn(actual.environmentStatus), workspaceOpen: vi.fn(actual.workspaceOpen) };
});
// CodeMirror needs a real layout engine; nothing here opens a diff.
vi.mock("./lib/features/compare/merge-view", () => ({ mountMergeView: vi.fn(() => ({ destroy: vi.fn() })) }));

const key = (k: string, mods: KeyboardEventInit = {}) => fireEvent.keyDown(window, { key: k, ...mods });

async function start() {
  render(App);
  await vi.waitFor(() => expect(document.body.dataset.ready).toBe("true"));
}

const current = () => screen.getAllByTestId("env-item").find((e) => e.getAttribute("aria-current") === "page")?.dataset.env;

async function openPalette() {
  await key("k", { ctrlKey: true });
  return screen.getByRole("dialog", { name: "Command palette" });
}

describe("the command palette", () => {
  beforeEach(() => {
    resetFake();
    location.hash = "";
  });
  afterEach(() => document.body.replaceChildren());

  it("opens with Ctrl+K (Cmd+K on a Mac), focused on its search box", async () => {
    await start();
    const dialog = await openPalette();
    expect(dialog).toHaveAttribute("aria-modal", "true");
    expect(within(dialog).getByRole("combobox")).toHaveFocus();
    await key("Escape");
    expect(screen.queryByRole("dialog", { name: "Command palette" })).toBeNull();
    await key("k", { metaKey: true });
    expect(screen.getByRole("dialog", { name: "Command palette" })).toBeInTheDocument();
  });

  it("lists every environment, the screens and the actions", async () => {
    await start();
    await openPalette();
    const labels = screen.getAllByTestId("palette-item").map((i) => i.textContent ?? "");
    for (const want of ["dev", "prod", "Compare", "History", "Settings", "Refresh", "Compare dev → prod", "Open workspace…", "New workspace…", "Theme: dark"])
      expect(labels.some((l) => l.startsWith(want))).toBe(true);
  });

  it("filters as you type and Enter jumps to that environment's dashboard", async () => {
    await start();
    expect(current()).toBe("dev");
    await openPalette();
    const input = screen.getByTestId("palette-input");
    await fireEvent.input(input, { target: { value: "prd" } });
    const first = screen.getAllByTestId("palette-item")[0];
    expect(first).toHaveAttribute("data-id", "env:prod");
    expect(first).toHaveAttribute("aria-selected", "true");
    await fireEvent.keyDown(input, { key: "Enter" });
    expect(screen.queryByRole("dialog", { name: "Command palette" })).toBeNull();
    expect(current()).toBe("prod");
  });

  it("moves with the arrow keys and runs a screen: History", async () => {
    await start();
    await openPalette();
    const input = screen.getByTestId("palette-input");
    await fireEvent.input(input, { target: { value: "hist" } });
    await fireEvent.keyDown(input, { key: "ArrowDown" });
    await fireEvent.keyDown(input, { key: "ArrowUp" });
    await fireEvent.keyDown(input, { key: "Enter" });
    expect(await screen.findByTestId("history-page")).toBeInTheDocument();
  });

  it("compares a pair it is asked for", async () => {
    await start();
    await openPalette();
    const input = screen.getByTestId("palette-input");
    await fireEvent.input(input, { target: { value: "compare prod dev" } });
    expect(screen.getAllByTestId("palette-item")[0]).toHaveAttribute("data-id", "compare:prod/dev");
    await fireEvent.keyDown(input, { key: "Enter" });
    await screen.findByTestId("compare-page");
    expect(screen.getByRole("combobox", { name: "From" })).toHaveTextContent("prod");
    expect(screen.getByRole("combobox", { name: "To" })).toHaveTextContent("dev");
  });

  it("starts a new workspace", async () => {
    await start();
    await openPalette();
    await fireEvent.input(screen.getByTestId("palette-input"), { target: { value: "new work" } });
    await fireEvent.keyDown(screen.getByTestId("palette-input"), { key: "Enter" });
    expect(await screen.findByTestId("new-workspace-sheet", {}, { timeout: 5000 })).toBeInTheDocument();
    expect(screen.queryByRole("dialog", { name: "Command palette" })).toBeNull();
    await key("Escape");
    expect(screen.queryByTestId("new-workspace-sheet")).toBeNull();
  });

  it("says so when nothing matches", async () => {
    await start();
    await openPalette();
    await fireEvent.input(screen.getByTestId("palette-input"), { target: { value: "zzzz" } });
    expect(screen.queryAllByTestId("palette-item")).toHaveLength(0);
    expect(screen.getByRole("dialog")).toHaveTextContent("Nothing matches");
  });

  it("switches the theme", async () => {
    await start();
    await openPalette();
    await fireEvent.input(screen.getByTestId("palette-input"), { target: { value: "theme dark" } });
    await fireEvent.keyDown(screen.getByTestId("palette-input"), { key: "Enter" });
    expect(document.documentElement.dataset.theme).toBe("dark");
    theme.set("system");
  });
});

describe("shortcuts", () => {
  beforeEach(() => {
    resetFake();
    location.hash = "";
  });
  afterEach(() => document.body.replaceChildren());

  it("Ctrl+R refreshes the page on screen instead of reloading the window", async () => {
    await start();
    await vi.waitFor(() => expect(screen.getAllByTestId("env-item")[0].dataset.reachable).toBe("true"));
    vi.mocked(backend.environmentStatus).mockClear();
    const notPrevented = await key("r", { ctrlKey: true });
    expect(notPrevented).toBe(false);
    expect(backend.environmentStatus).toHaveBeenCalledWith(expect.any(String), "dev");
  });

  it("Ctrl+F focuses the first filter box shown, skipping hidden ones", async () => {
    await start();
    const hidden = document.createElement("input");
    hidden.dataset.filter = "";
    hidden.style.display = "none";
    const shown = document.createElement("input");
    shown.dataset.filter = "";
    // First in the document, before the page's own filter boxes.
    document.body.prepend(hidden, shown);
    const notPrevented = await key("f", { ctrlKey: true });
    expect(notPrevented).toBe(false);
    expect(shown).toHaveFocus();
  });

  it("Escape closes the topmost dialog only", async () => {
    await start();
    // A sheet (not registered: closed through its own Close button), with the palette over it.
    const sheet = document.createElement("div");
    sheet.setAttribute("role", "dialog");
    sheet.setAttribute("aria-modal", "true");
    const close = document.createElement("button");
    close.setAttribute("aria-label", "Close");
    const closed = vi.fn();
    close.addEventListener("click", closed);
    sheet.append(close);
    screen.getByTestId("main").append(sheet);
    await openPalette();
    await fireEvent.keyDown(document.body, { key: "Escape" });
    expect(screen.queryByRole("dialog", { name: "Command palette" })).toBeNull();
    expect(closed).not.toHaveBeenCalled();
    await fireEvent.keyDown(document.body, { key: "Escape" });
    expect(closed).toHaveBeenCalledTimes(1);
  });
});
