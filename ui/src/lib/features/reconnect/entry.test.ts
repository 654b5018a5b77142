import { fireEvent, render, screen } from "@testing-library/svelte";
import { beforeEach, describe, expect, it } from "vitest";
import { demo } from "../../fake-backend";
import { loaded } from "../../loadable";
import ParityGrid from "../compare/ParityGrid.svelte";
import FindingsTable from "../compare/FindingsTable.svelte";
import IntegrationsTable from "../environments/IntegrationsTable.svelte";
import { closeReconnect, reconnect } from "./open.svelte";

describe("every reconnect hint opens the wizard for its environment", () => {
  beforeEach(() => closeReconnect());

  it("the parity grid's RECONNECT chips", async () => {
    render(ParityGrid, { grid: loaded(demo.parity), environments: demo.workspace.environments, onretry: () => {} });
    const chips = screen.getAllByTestId("reconnect-hint");
    expect(chips.length).toBeGreaterThan(0);
    const env = chips[0].closest("[data-env]")?.getAttribute("data-env");
    await fireEvent.click(chips[0]);
    expect(reconnect.env).toBe(env);
  });

  it("an integration finding on the Compare screen, naming its provider and account", async () => {
    const pair = Object.keys(demo.compare)[0];
    const findings = demo.compare[pair].integrations.findings;
    const [from, to] = pair.split("/");
    render(FindingsTable, {
      workspace: demo.workspace.path,
      findings,
      filter: { area: null, severities: [], text: "" },
      from,
      to,
      pending: 0,
      failed: 0,
      onfilter: () => {},
    });
    const buttons = screen.getAllByTestId("finding-reconnect");
    expect(buttons.length).toBeGreaterThan(0);
    const row = buttons[0].closest("[data-testid='finding-row']");
    await fireEvent.click(buttons[0]);
    expect(reconnect.env).toBe(to);
    expect(reconnect.also?.provider).toBeTruthy();
    expect(row?.textContent).toContain(`${reconnect.also?.provider}/${reconnect.also?.account}`);
  });

  it("an expired or broken row on the environment's dashboard, and only those", async () => {
    const rows = demo.detail.prod.integrations;
    render(IntegrationsTable, { rows, env: "prod" });
    const buttons = screen.getAllByTestId("integration-reconnect");
    const unusable = rows.filter((r) => !r.healthy).length;
    expect(buttons).toHaveLength(unusable);
    await fireEvent.click(buttons[0]);
    expect(reconnect.env).toBe("prod");
  });
});
