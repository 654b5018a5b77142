import { fireEvent, render, screen, within } from "@testing-library/svelte";
import { beforeEach, describe, expect, it, vi } from "vitest";
import * as backend from "../../backend";
import type { WorkflowDetail } from "../../bindings/WorkflowDetail";
import { demo } from "../../fake-backend";
import { closeReconnect, reconnect } from "../reconnect/open.svelte";
import IntegrationsTable from "./IntegrationsTable.svelte";
import WorkflowsTable from "./WorkflowsTable.svelte";

const workspace = demo.workspace.path;
const integrations = demo.detail.prod.integrations;
const workflows = demo.detail.prod.workflows;
/** The workflow drawers as the engine recorded them on the demo. */
const recorded = (demo as unknown as { drawers: Record<string, { workflows: Record<string, WorkflowDetail> }> }).drawers;

vi.mock("../../backend", async (original) => {
  const actual = await original<typeof import("../../backend")>();
  return { ...actual, workflowDetail: vi.fn(actual.workflowDetail) };
});

describe("an integration's drawer", () => {
  beforeEach(() => closeReconnect());

  it("opens from its row with every mapped column, names the secret columns and shows no token", async () => {
    render(IntegrationsTable, { rows: integrations, env: "prod", workspace });
    const row = screen.getAllByTestId("integration-row").find((r) => r.dataset.provider === "slack")!;
    await fireEvent.click(row);
    const dialog = await screen.findByRole("dialog", { name: "Slack" });
    expect(dialog).toHaveTextContent("ana@acme.test · prod");
    const fields = await within(dialog).findByTestId("integration-fields");
    const field = (key: string) => fields.querySelector(`[data-key='${key}']`);
    expect(field("account")).toHaveTextContent("ana@acme.test");
    expect(field("status")).toHaveTextContent("expired");
    expect(field("expires_at")).toHaveTextContent("expired 6 days ago");
    expect(within(dialog).getByTestId("drawer-health")).toHaveTextContent("Expired");
    expect(within(dialog).getByTestId("integration-withheld")).toHaveTextContent("Never read: access_token, refresh_token");
    // The demo's tokens all start with "demo-prod-": none reached the window.
    expect(document.body.textContent).not.toContain("demo-prod-");
  });

  it("Reconnect closes the drawer and opens the wizard for this environment, with this integration", async () => {
    render(IntegrationsTable, { rows: integrations, env: "prod", workspace });
    const row = screen.getAllByTestId("integration-row").find((r) => r.dataset.provider === "github")!;
    await fireEvent.click(row);
    const dialog = await screen.findByRole("dialog", { name: "GitHub" });
    await fireEvent.click(within(dialog).getByTestId("drawer-reconnect"));
    expect(screen.queryByRole("dialog")).toBeNull();
    expect(reconnect.env).toBe("prod");
    expect(reconnect.also).toEqual({ provider: "github", account: "chen@acme.test" });
  });

  it("a row's own Reconnect button opens the wizard without opening the drawer", async () => {
    render(IntegrationsTable, { rows: integrations, env: "prod", workspace });
    await fireEvent.click(screen.getAllByTestId("integration-reconnect")[0]);
    expect(reconnect.env).toBe("prod");
    expect(screen.queryByRole("dialog")).toBeNull();
  });

  it("says what went wrong when the row is gone since the dashboard was read", async () => {
    const gone = { ...integrations[0], provider: "myspace" };
    render(IntegrationsTable, { rows: [gone], env: "prod", workspace });
    await fireEvent.click(screen.getByTestId("integration-row"));
    const card = await screen.findByTestId("error-card");
    expect(card).toHaveAttribute("data-code", "invalid_input");
    expect(card).toHaveTextContent("Refresh the dashboard");
  });
});

describe("a workflow's drawer", () => {
  async function open(rows: typeof workflows, key: string, env = "prod") {
    render(WorkflowsTable, { rows, env, workspace });
    const row = screen.getAllByTestId("workflow-row").find((r) => r.dataset.key === key)!;
    await fireEvent.click(row);
    const dialog = await screen.findByRole("dialog", { name: key });
    await within(dialog).findByTestId("workflow-stats");
    return dialog;
  }

  it("shows run stats from the runs table, its ten newest runs and the definition's nodes", async () => {
    const wf = workflows.find((w) => w.key === "Slack lead alert")!;
    const dialog = await open(workflows, wf.key);
    const stats = within(dialog).getByTestId("workflow-stats");
    // The demo's execution_entity agrees with the dashboard's counters.
    expect(stats.querySelector("[data-stat='runs']")).toHaveTextContent(String(wf.runs));
    expect(stats.querySelector("[data-stat='failures']")).toHaveTextContent(String(wf.failures));
    expect(stats.querySelector("[data-stat='last-failure']")).toHaveTextContent("ago");
    expect(stats).toHaveTextContent("Active");

    const runs = within(dialog).getAllByTestId("workflow-run");
    expect(runs).toHaveLength(10);
    // The newest is the failure the dashboard shows: a red badge, its length and its message.
    expect(runs[0].querySelector(".pill")).toHaveTextContent(wf.last_run_status!);
    expect(runs[0].querySelector(".pill")).toHaveClass("err");
    expect(within(runs[0]).getByTestId("run-duration")).toHaveTextContent("2 s");
    expect(within(runs[0]).getByTestId("run-error")).toHaveTextContent("invalid_auth");
    expect(runs.some((r) => r.querySelector(".pill.ok"))).toBe(true);
    expect(within(dialog).getByTestId("workflow-runs-note")).toHaveTextContent("The newest 10 of 412 runs in execution_entity");

    expect(within(dialog).getByTestId("definition-summary")).toHaveTextContent("4 nodes, 3 connections");
    const nodes = within(dialog).getByTestId("definition-nodes");
    for (const name of ["Webhook", "Hot Lead?", "Notify #sales", "Ignore"]) expect(nodes).toHaveTextContent(name);
    expect(within(dialog).getByTestId("workflow-definition")).toHaveTextContent('"channelId"');
  });

  it("folds a long error to its first line and unfolds it on click", async () => {
    const rows = demo.detail.dev.workflows;
    const dialog = await open(rows, "Trial ending reminder", "dev");
    const folded = within(dialog)
      .getAllByTestId("run-error")
      .map((c) => c.querySelector("details"))
      .find((d) => d !== null)!;
    expect(folded).not.toHaveAttribute("open");
    const summary = folded.querySelector("summary")!;
    expect(summary).toHaveTextContent("NodeOperationError: Timeout awaiting 'request' for 300000ms");
    expect(summary).not.toHaveTextContent("ClientRequest");
    await fireEvent.click(summary);
    expect(folded).toHaveAttribute("open");
    expect(folded.querySelector("pre")).toHaveTextContent("at ClientRequest.emit");
  });

  it("says plainly that no runs table is mapped, and how to map one", async () => {
    const wf = workflows.find((w) => w.key === "Slack lead alert")!;
    const note =
      'No runs table is mapped, so this is the last run "workflows" records. To list the last 10 runs, name the table with one row per run in [workflows] at envdeck.toml:28: runs_table = "execution_entity" (n8n).';
    const one = recorded.prod.workflows[wf.key];
    vi.mocked(backend.workflowDetail).mockResolvedValueOnce({
      ...one,
      runs: 61,
      failures: 3,
      last_runs: [{ ...one.last_runs[0], finished_at: null, elapsed_ms: null, error: null }],
      runs_table: null,
      runs_note: note,
    });
    const dialog = await open(workflows, wf.key);
    expect(within(dialog).getAllByTestId("workflow-run")).toHaveLength(1);
    expect(within(dialog).getByTestId("workflow-stats").querySelector("[data-stat='runs']")).toHaveTextContent("61");
    expect(within(dialog).getByTestId("workflow-runs-note")).toHaveTextContent(note);
  });
});
