import { fireEvent, render, screen, within } from "@testing-library/svelte";
import { beforeEach, describe, expect, it, vi } from "vitest";
import * as backend from "../../backend";
import type { EnvSummary } from "../../bindings/EnvSummary";
import type { WorkspaceView } from "../../bindings/WorkspaceView";
import { openNewWorkspace } from "../workspace/new-workspace.svelte";
import EnvironmentsTable from "./EnvironmentsTable.svelte";

vi.mock("../../backend", () => ({ workspaceSetDatabase: vi.fn(), pickSqliteFile: vi.fn() }));
vi.mock("../workspace/new-workspace.svelte", () => ({ openNewWorkspace: vi.fn() }));

const dev: EnvSummary = {
  name: "dev",
  kind: "development",
  protected: false,
  app_url: null,
  database: { type: "url", display: "sqlite://dev.db" },
  env_file: null,
};
const prod: EnvSummary = {
  name: "prod",
  kind: "production",
  protected: true,
  app_url: null,
  database: { type: "url", display: "postgres://app:****@db.example.com:5432/app" },
  env_file: null,
};
const after: WorkspaceView = {
  path: "/w/envdeck.toml",
  name: "w",
  is_demo: false,
  warnings: [],
  environments: [dev, { ...prod, database: { type: "secret", name: "DATABASE_URL" } }],
};

function renderTable() {
  const onchanged = vi.fn();
  render(EnvironmentsTable, { environments: [dev, prod], workspace: "/w/envdeck.toml", onchanged });
  return { onchanged };
}

beforeEach(() => vi.clearAllMocks());

describe("EnvironmentsTable", () => {
  it("shows each database with its host and port, the password masked", () => {
    renderTable();
    const row = screen.getAllByTestId("settings-env").find((r) => r.dataset.env === "prod")!;
    expect(row).toHaveTextContent("postgres://app:****@db.example.com:5432/app");
  });

  it("changes a database source in place: a pasted URL is sent, the rewritten workspace handed on", async () => {
    vi.mocked(backend.workspaceSetDatabase).mockResolvedValue(after);
    const { onchanged } = renderTable();
    await fireEvent.click(screen.getByRole("button", { name: "Change the database of prod" }));
    const form = screen.getByTestId("edit-database");
    // A written URL is never prefilled (it is shown masked).
    const url = within(form).getByLabelText("Database URL");
    expect(url).toHaveValue("");
    await fireEvent.input(url, { target: { value: "postgres://app:s3cret@db2.example.com:5432/app" } });
    expect(within(form).getByTestId("password-note")).toHaveTextContent("OS keychain");
    await fireEvent.click(within(form).getByTestId("save-database"));
    await vi.waitFor(() => expect(onchanged).toHaveBeenCalledWith(after));
    expect(backend.workspaceSetDatabase).toHaveBeenCalledWith("/w/envdeck.toml", "prod", {
      type: "url",
      url: "postgres://app:s3cret@db2.example.com:5432/app",
    });
    expect(screen.queryByTestId("edit-database")).toBeNull();
  });

  it("prefills a SQLite path and a keychain name, and keeps the form with the reason when refused", async () => {
    vi.mocked(backend.workspaceSetDatabase).mockRejectedValue({
      code: "invalid_input",
      message: "the database of dev was not changed: there is no file at /w/other.db",
      retryable: false,
    });
    const { onchanged } = renderTable();
    await fireEvent.click(screen.getByRole("button", { name: "Change the database of dev" }));
    const form = screen.getByTestId("edit-database");
    const path = within(form).getByLabelText("SQLite file path");
    expect(path).toHaveValue("dev.db");
    await fireEvent.input(path, { target: { value: "other.db" } });
    await fireEvent.click(within(form).getByTestId("save-database"));
    const card = await within(form).findByTestId("error-card");
    expect(card).toHaveTextContent("there is no file at /w/other.db");
    expect(onchanged).not.toHaveBeenCalled();
    expect(backend.workspaceSetDatabase).toHaveBeenCalledWith("/w/envdeck.toml", "dev", { type: "sqlite", path: "other.db" });

    await fireEvent.click(within(form).getByRole("radio", { name: "URL in the keychain" }));
    expect(within(form).getByLabelText("Secret name")).toHaveValue("DATABASE_URL");
    await fireEvent.click(within(form).getByRole("button", { name: "Cancel" }));
    expect(screen.queryByTestId("edit-database")).toBeNull();
  });

  it("offers New workspace…", async () => {
    renderTable();
    await fireEvent.click(screen.getByTestId("new-workspace"));
    expect(openNewWorkspace).toHaveBeenCalledOnce();
  });
});
