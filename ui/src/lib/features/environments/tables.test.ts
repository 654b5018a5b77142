import { fireEvent, render, screen, within } from "@testing-library/svelte";
import { describe, expect, it, vi } from "vitest";
import type { EnvDetail } from "../../bindings/EnvDetail";
import type { EnvStatus } from "../../bindings/EnvStatus";
import { demo } from "../../fake-backend";
import { focusFirstFilter } from "../../shortcuts";
import { loaded, loading } from "../../loadable";
import EnvPage from "./EnvPage.svelte";
import IntegrationsTable from "./IntegrationsTable.svelte";
import WorkflowsTable from "./WorkflowsTable.svelte";
import { providerName } from "./integrations";

const workspace = demo.workspace.path;
const prod = demo.workspace.environments.find((e) => e.name === "prod")!;
const integrations = demo.detail.prod.integrations;
const workflows = demo.detail.prod.workflows;

const providers = () => screen.getAllByTestId("integration-row").map((r) => r.dataset.provider);
const header = (name: string) => screen.getByRole("columnheader", { name: new RegExp(`^${name}`) });

function page() {
  return render(EnvPage, {
    env: prod,
    workspace,
    status: loading<EnvStatus>(),
    detail: loaded<EnvDetail>(demo.detail.prod),
    onretrystatus: vi.fn(),
    onretrydetail: vi.fn(),
  });
}

describe("sorting the dashboard's tables", () => {
  it("a click on a header sorts by it, ascending then descending, then back to the health groups", async () => {
    render(IntegrationsTable, { rows: integrations, env: "prod", workspace });
    const button = within(header("Provider")).getByRole("button");
    expect(header("Provider")).toHaveAttribute("aria-sort", "none");

    await fireEvent.click(button);
    expect(header("Provider")).toHaveAttribute("aria-sort", "ascending");
    expect(button).toHaveTextContent("▲");
    const names = integrations.map((r) => providerName(r.provider)).sort((a, b) => a.localeCompare(b));
    expect(providers().map((p) => providerName(p!))).toEqual(names);
    // One sorted list: the health group headings step aside.
    expect(screen.queryAllByTestId("integration-group")).toHaveLength(0);

    await fireEvent.click(button);
    expect(header("Provider")).toHaveAttribute("aria-sort", "descending");
    expect(button).toHaveTextContent("▼");
    expect(providers().map((p) => providerName(p!))).toEqual([...names].reverse());

    await fireEvent.click(button);
    expect(header("Provider")).toHaveAttribute("aria-sort", "none");
    expect(screen.getAllByTestId("integration-group")[0]).toHaveAttribute("data-group", "broken");
  });

  it("sorts workflows by runs, the busiest first on the second click, and only one column at a time", async () => {
    render(WorkflowsTable, { rows: workflows, env: "prod", workspace });
    const runs = within(header("Runs")).getByRole("button");
    await fireEvent.click(runs);
    await fireEvent.click(runs);
    const shown = screen.getAllByTestId("workflow-row").map((r) => r.dataset.key);
    const busiest = [...workflows].sort((a, b) => (b.runs ?? -1) - (a.runs ?? -1))[0];
    expect(shown[0]).toBe(busiest.key);
    await fireEvent.click(within(header("Workflow")).getByRole("button"));
    expect(header("Runs")).toHaveAttribute("aria-sort", "none");
    expect(header("Workflow")).toHaveAttribute("aria-sort", "ascending");
  });
});

describe("searching the dashboard's tables", () => {
  it("filters integrations by provider or account and says how many of how many", async () => {
    page();
    const box = screen.getByTestId("integrations-filter");
    expect(box).toHaveAttribute("data-filter");
    await fireEvent.input(box, { target: { value: "hubspot" } });
    expect(providers()).toEqual(["hubspot", "hubspot"]);
    expect(screen.getByTestId("integrations-count")).toHaveTextContent(`2 of ${integrations.length}`);

    await fireEvent.input(box, { target: { value: "chen@" } });
    expect(new Set(providers())).toEqual(new Set(integrations.filter((r) => r.account === "chen@acme.test").map((r) => r.provider)));

    await fireEvent.input(box, { target: { value: "zzz" } });
    expect(screen.queryAllByTestId("integration-row")).toHaveLength(0);
    expect(screen.getByTestId("integrations-no-match")).toHaveTextContent("No integration matches “zzz”");

    // Escape in the box clears it first.
    await fireEvent.keyDown(box, { key: "Escape" });
    expect(box).toHaveValue("");
    expect(screen.getAllByTestId("integration-row")).toHaveLength(integrations.length);
  });

  it("filters workflows by name, and Ctrl+F's handler finds the first search box", async () => {
    page();
    await fireEvent.input(screen.getByTestId("workflows-filter"), { target: { value: "slack" } });
    const names = screen.getAllByTestId("workflow-row").map((r) => r.dataset.key);
    expect(names.length).toBeGreaterThan(0);
    expect(names.every((n) => n!.toLowerCase().includes("slack"))).toBe(true);
    expect(focusFirstFilter()).toBe(true);
    expect(document.activeElement).toBe(screen.getByTestId("integrations-filter"));
  });
});

describe("the keyboard in the dashboard's tables", () => {
  it("Up and Down move one focusable row, Enter opens its drawer, Escape closes it and the row keeps the focus", async () => {
    render(WorkflowsTable, { rows: workflows, env: "prod", workspace });
    const rows = screen.getAllByTestId("workflow-row");
    // Roving tabindex: one row in the Tab order.
    expect(rows.filter((r) => r.tabIndex === 0)).toEqual([rows[0]]);
    rows[0].focus();
    await fireEvent.keyDown(rows[0], { key: "ArrowDown" });
    expect(document.activeElement).toBe(rows[1]);
    expect(rows[1].tabIndex).toBe(0);
    expect(rows[0].tabIndex).toBe(-1);
    await fireEvent.keyDown(rows[1], { key: "ArrowUp" });
    expect(document.activeElement).toBe(rows[0]);
    await fireEvent.keyDown(rows[0], { key: "End" });
    expect(document.activeElement).toBe(rows[rows.length - 1]);

    const last = rows[rows.length - 1];
    await fireEvent.keyDown(last, { key: "Enter" });
    const dialog = await screen.findByRole("dialog", { name: workflows[workflows.length - 1].name });
    await fireEvent.keyDown(dialog, { key: "Escape" });
    expect(screen.queryByRole("dialog")).toBeNull();
    await new Promise((r) => setTimeout(r, 0));
    expect(document.activeElement).toBe(last);
  });
});

describe("switches that cannot be switched", () => {
  it("shows a workflow's state as a badge, not as a toggle", () => {
    render(WorkflowsTable, { rows: workflows, env: "prod", workspace });
    const badges = screen.getAllByTestId("workflow-active");
    expect(badges.map((b) => b.textContent?.trim())).toEqual(
      workflows.filter((w) => w.active !== null).map((w) => (w.active ? "Active" : "Inactive")),
    );
    expect(screen.queryByRole("switch")).toBeNull();
    expect(document.querySelector(".toggle, .track, .knob")).toBeNull();
  });
});
