//! Exporting findings from the Compare screen, on the dev fake (the demo as recorded).
import { fireEvent, render, screen } from "@testing-library/svelte";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import drift from "../../../src-tauri/demo/expected-drift.json";
import type { Finding } from "./bindings/Finding";
import { demo, resetFake } from "./fake-backend";
import { CompareSession } from "./features/compare/compare.svelte";
import ComparePage from "./features/compare/ComparePage.svelte";
import { findingsMarkdown } from "./findings-export.svelte";

vi.mock("./features/compare/merge-view", () => ({ mountMergeView: vi.fn(() => ({ destroy: vi.fn() })) }));

const writeText = vi.fn(async (_: string) => {});

async function comparePage() {
  const session = new CompareSession(demo.workspace.path);
  render(ComparePage, { workspace: demo.workspace, session });
  await vi.waitFor(() => {
    const states = screen.getAllByTestId("area-card").map((c) => c.dataset.state);
    expect(states.every((s) => s === "done")).toBe(true);
  });
  return session;
}

/** The table rows of a Markdown export (header and rule left out). */
const tableRows = (md: string) => md.split("\n").filter((l) => l.startsWith("| ") && !l.startsWith("| Severity") && !l.startsWith("| ---"));

describe("export of findings", () => {
  beforeEach(() => {
    resetFake();
    writeText.mockClear();
    Object.defineProperty(navigator, "clipboard", { value: { writeText }, configurable: true });
  });
  afterEach(() => document.body.replaceChildren());

  it("copies the findings shown as a Markdown table, one row each", async () => {
    await comparePage();
    await fireEvent.click(screen.getByRole("button", { name: "Copy as Markdown" }));
    expect(writeText).toHaveBeenCalledTimes(1);
    const md = writeText.mock.calls[0][0];
    expect(md).toMatch(/^### envdeck: dev → prod \(26 findings\)\n/);
    expect(md).toContain("| Severity | Area | Kind | Key | Detail |");
    expect(tableRows(md)).toHaveLength(drift.findings.length);
    // Critical first, as on screen.
    expect(tableRows(md)[0]).toMatch(/^\| critical \| Isolation \|/);
    await vi.waitFor(() => expect(screen.getByTestId("export-status")).toHaveTextContent("Copied 26 findings as Markdown"));
  });

  it("copies only what the filters leave on screen", async () => {
    const session = await comparePage();
    session.filter.area = "config";
    await vi.waitFor(() => expect(screen.getAllByTestId("finding-row").every((r) => r.dataset.area === "config")).toBe(true));
    await fireEvent.click(screen.getByRole("button", { name: "Copy as Markdown" }));
    const rows = tableRows(writeText.mock.calls[0][0]);
    expect(rows.length).toBe(drift.findings.filter((f) => f.area === "config").length);
    expect(rows.every((r) => r.includes("| Config (env files) |"))).toBe(true);
  });

  it("saves the check --json report where the save dialog says", async () => {
    const prompt = vi.spyOn(window, "prompt").mockReturnValue("/home/you/drift.json");
    await comparePage();
    await fireEvent.click(screen.getByRole("button", { name: "Save as JSON…" }));
    expect(prompt).toHaveBeenCalledWith("Save as", "/home/you/envdeck-check-dev-prod.json");
    await vi.waitFor(() => expect(screen.getByTestId("export-status")).toHaveTextContent("Saved 26 findings to /home/you/drift.json"));
    prompt.mockRestore();
  });

  it("writes nothing when the save dialog is cancelled", async () => {
    const prompt = vi.spyOn(window, "prompt").mockReturnValue(null);
    await comparePage();
    await fireEvent.click(screen.getByRole("button", { name: "Save as JSON…" }));
    await vi.waitFor(() => expect(screen.getByRole("button", { name: "Save as JSON…" })).toBeEnabled());
    expect(screen.getByTestId("export-status")).toBeEmptyDOMElement();
    prompt.mockRestore();
  });
});

describe("findingsMarkdown", () => {
  it("keeps each finding on one row: pipes escaped, line breaks joined", () => {
    const f: Finding = {
      area: "config",
      kind: "missing_key",
      key: "A|B",
      key_parts: { parts: [] } as unknown as Finding["key_parts"],
      severity: "warning",
      detail: "first line\nsecond | part",
    };
    const md = findingsMarkdown("dev", "prod", [f]);
    expect(tableRows(md)).toEqual(["| warning | Config (env files) | missing key | `A\\|B` | first line second \\| part |"]);
    expect(md).toContain("(1 finding)");
  });
});
