//! The Compare page on the dev fake, which answers what the engine recorded on the demo: the
//! same planted drift the Rust tests and the window test expect (src-tauri/demo/expected-drift.json).
import { render, screen } from "@testing-library/svelte";
import { describe, expect, it, vi } from "vitest";
import drift from "../../../../../src-tauri/demo/expected-drift.json";
import { demo } from "../../fake-backend";
import { CompareSession } from "./compare.svelte";
import ComparePage from "./ComparePage.svelte";

// CodeMirror needs a real layout engine; nothing here opens a diff.
vi.mock("./merge-view", () => ({ mountMergeView: vi.fn(() => ({ destroy: vi.fn() })) }));

describe("Compare on the demo", () => {
  it("shows the demo's planted drift from dev to prod, critical isolation findings first", async () => {
    render(ComparePage, { workspace: demo.workspace, session: new CompareSession(demo.workspace.path) });
    await vi.waitFor(() => {
      const states = screen.getAllByTestId("area-card").map((c) => c.dataset.state);
      expect(states.every((s) => s === "done")).toBe(true);
    });
    const rows = screen.getAllByTestId("finding-row").map((r) => r.dataset);
    const seen = rows.map((d) => `${d.area} ${d.kind} ${d.key} ${d.severity}`);
    const want = drift.findings.map((f) => `${f.area} ${f.kind} ${f.key} ${f.severity}`);
    expect([...seen].sort()).toEqual([...want].sort());
    expect(rows[0]).toMatchObject({ area: "isolation", severity: "critical" });
    for (const card of screen.getAllByTestId("area-card")) {
      const n = drift.findings.filter((f) => f.area === card.dataset.area).length;
      expect(card.dataset.count).toBe(String(n));
    }
  });
});
