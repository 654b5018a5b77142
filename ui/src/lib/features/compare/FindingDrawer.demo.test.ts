//! The finding drawer on the dev fake, which answers what the engine recorded on the demo.
import { fireEvent, render, screen, within } from "@testing-library/svelte";
import { describe, expect, it, vi } from "vitest";
import { demo } from "../../fake-backend";
import { CompareSession } from "./compare.svelte";
import ComparePage from "./ComparePage.svelte";

vi.mock("./merge-view", () => ({ mountMergeView: vi.fn(() => ({ destroy: vi.fn() })) }));

async function openRow(key: string) {
  render(ComparePage, { workspace: demo.workspace, session: new CompareSession(demo.workspace.path) });
  await vi.waitFor(() => expect(screen.getAllByTestId("area-card").every((c) => c.dataset.state === "done")).toBe(true));
  await fireEvent.click(screen.getAllByTestId("finding-row").find((r) => r.dataset.key === key)!);
  const drawer = screen.getByTestId("finding-drawer");
  await vi.waitFor(() => expect(within(drawer).getByTestId("side-by-side")).toHaveAttribute("data-state", "ok"));
  return drawer;
}

describe("Finding drawer on the demo", () => {
  it("shows prod's pending migration beside dev's list, with prisma's command", async () => {
    const drawer = await openRow("20261112153000_add_api_keys");
    const pending = within(drawer)
      .getAllByTestId("side-row")
      .find((r) => r.dataset.name === "20261112153000_add_api_keys")!;
    expect(pending).toHaveAttribute("data-state", "missing");
    expect(within(drawer).getByTestId("fix-command")).toHaveTextContent("npx prisma migrate deploy");
  });

  it("shows the env files' keys by state only: no value recorded reaches the drawer", async () => {
    const drawer = await openRow("TWITTER_CLIENT_ID");
    const rows = within(drawer).getAllByTestId("side-row");
    expect(rows.find((r) => r.dataset.name === "TWITTER_CLIENT_ID")).toHaveAttribute("data-state", "missing");
    expect(rows.find((r) => r.dataset.name === "SENTRY_DSN")).toHaveAttribute("data-state", "extra");
    // The fixture holds states, never values: nothing that looks like one is shown.
    expect(drawer.textContent).not.toMatch(/https?:\/\//);
  });
});
