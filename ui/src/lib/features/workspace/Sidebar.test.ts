import { fireEvent, render, screen, within } from "@testing-library/svelte";
import { describe, expect, it, vi } from "vitest";
import type { EnvStatus } from "../../bindings/EnvStatus";
import type { WorkspaceView } from "../../bindings/WorkspaceView";
import { failed, loaded, loading } from "../../loadable";
import Sidebar from "./Sidebar.svelte";

const workspace: WorkspaceView = {
  path: "/p/envdeck.toml",
  name: "acme",
  is_demo: true,
  warnings: [],
  environments: [
    { name: "dev", kind: "development", protected: false, app_url: null, database: { type: "url", display: "sqlite://dev.db" }, env_file: null },
    { name: "staging", kind: "staging", protected: false, app_url: null, database: { type: "env", var: "DB", is_set: true }, env_file: null },
    { name: "prod", kind: "production", protected: true, app_url: null, database: { type: "secret", name: "DATABASE_URL" }, env_file: null },
  ],
};

function renderSidebar(onselect = vi.fn()) {
  render(Sidebar, {
    workspace,
    statuses: {
      dev: loaded<EnvStatus>({ name: "dev", kind: "development", protected: false, reachable: true, latency_ms: 3, server_version: null, integrations: 1, workflows: 1, migrations: null, error: null, error_code: null }),
      staging: failed<EnvStatus>({ code: "db_unreachable", message: "down", retryable: true }),
      prod: loading<EnvStatus>(),
    },
    selected: { page: "env", env: "dev" },
    onselect,
    onopen: vi.fn(),
  });
  return onselect;
}

describe("Sidebar", () => {
  it("puts Compare, then History (the syncs), right above Settings", () => {
    renderSidebar();
    const compare = screen.getByTestId("nav-compare");
    expect(compare).toHaveTextContent("Compare");
    const history = screen.getByTestId("nav-history");
    expect(history).toHaveTextContent("History");
    expect(compare.nextElementSibling).toBe(history);
    expect(history.nextElementSibling).toBe(screen.getByTestId("nav-settings"));
  });

  it("lists every environment with its kind colour, in order", () => {
    renderSidebar();
    const items = screen.getAllByTestId("env-item");
    expect(items.map((i) => i.dataset.env)).toEqual(["dev", "staging", "prod"]);
    expect(items.map((i) => i.dataset.kind)).toEqual(["development", "staging", "production"]);
    expect(items.map((i) => i.style.borderLeftColor)).toEqual(["rgb(34, 197, 94)", "rgb(245, 158, 11)", "rgb(239, 68, 68)"]);
  });

  it("puts a lock only on protected environments", () => {
    renderSidebar();
    const [dev, , prod] = screen.getAllByTestId("env-item");
    expect(within(prod).getByTitle("Protected (read-only)")).toBeInTheDocument();
    expect(within(dev).queryByTestId("env-lock")).toBeNull();
  });

  it("shows each environment's reachability independently", () => {
    renderSidebar();
    const reach = screen.getAllByTestId("env-item").map((i) => i.dataset.reachable);
    expect(reach).toEqual(["true", "false", "pending"]);
  });

  it("tags the demo workspace and navigates on click", async () => {
    const onselect = renderSidebar();
    expect(screen.getByTestId("demo-tag")).toHaveTextContent("demo");
    await fireEvent.click(screen.getByTestId("nav-settings"));
    expect(onselect).toHaveBeenCalledWith({ page: "settings" });
    await fireEvent.click(screen.getByTestId("nav-compare"));
    expect(onselect).toHaveBeenLastCalledWith({ page: "compare" });
    await fireEvent.click(screen.getAllByTestId("env-item")[2]);
    expect(onselect).toHaveBeenLastCalledWith({ page: "env", env: "prod" });
  });
});
