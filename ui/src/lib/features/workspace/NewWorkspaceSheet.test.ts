import { fireEvent, render, screen, within } from "@testing-library/svelte";
import { beforeEach, describe, expect, it, vi } from "vitest";
import * as backend from "../../backend";
import { closeTopOverlay } from "../../overlays.svelte";
import { shortcutOf } from "../../shortcuts";
import type { NewWorkspaceCheck } from "../../bindings/NewWorkspaceCheck";
import type { WorkspaceView } from "../../bindings/WorkspaceView";
import NewWorkspaceSheet from "./NewWorkspaceSheet.svelte";

vi.mock("../../backend", () => ({
  workspaceCheckNew: vi.fn(),
  workspaceCreate: vi.fn(),
  pickNewWorkspaceFile: vi.fn(),
  pickSqliteFile: vi.fn(),
}));

const created: WorkspaceView = { path: "/w/envdeck.toml", name: "acme", is_demo: false, warnings: [], environments: [] };
const clean: NewWorkspaceCheck = { file: "/w/envdeck.toml", exists: false, problems: [] };
const URL_WITH_PASSWORD = "postgres://app:hunter2@db.example.com:5432/app";

function open() {
  const onclose = vi.fn();
  const oncreated = vi.fn();
  render(NewWorkspaceSheet, { onclose, oncreated });
  return { onclose, oncreated };
}

async function fill() {
  await fireEvent.input(screen.getByLabelText("Name"), { target: { value: "acme" } });
  await fireEvent.input(screen.getByLabelText("Save to"), { target: { value: "/w" } });
  const [dev, prod] = screen.getAllByTestId("new-env");
  await fireEvent.input(within(dev).getByLabelText("SQLite file path"), { target: { value: "dev.db" } });
  await fireEvent.input(within(prod).getByLabelText("Database URL"), { target: { value: URL_WITH_PASSWORD } });
}

beforeEach(() => vi.clearAllMocks());

describe("NewWorkspaceSheet", () => {
  it("starts with dev and a protected prod, and says a pasted password goes to the keychain", async () => {
    open();
    const [dev, prod] = screen.getAllByTestId("new-env");
    expect(within(dev).getByLabelText("Environment name")).toHaveValue("dev");
    expect(within(prod).getByRole("combobox", { name: /kind of prod/i })).toHaveTextContent("production");
    expect(within(prod).getByRole("checkbox", { name: /protected/i })).toBeChecked();
    expect(within(prod).queryByTestId("password-note")).toBeNull();
    await fireEvent.input(within(prod).getByLabelText("Database URL"), { target: { value: URL_WITH_PASSWORD } });
    expect(within(prod).getByTestId("password-note")).toHaveTextContent("The password goes to the OS keychain");
    // Another kind starts writable; production again is protected again.
    await fireEvent.click(within(prod).getByRole("combobox", { name: /kind of prod/i }));
    await fireEvent.click(within(prod).getByRole("option", { name: "staging" }));
    expect(within(prod).getByRole("checkbox", { name: /protected/i })).not.toBeChecked();
  });

  it("sends the form as typed, creates the workspace and hands it over to open", async () => {
    vi.mocked(backend.workspaceCheckNew).mockResolvedValue(clean);
    vi.mocked(backend.workspaceCreate).mockResolvedValue(created);
    const { oncreated } = open();
    await fill();
    await fireEvent.click(screen.getByTestId("create-workspace"));
    await vi.waitFor(() => expect(oncreated).toHaveBeenCalledWith(created));
    const sent = {
      path: "/w",
      name: "acme",
      environments: [
        { name: "dev", kind: "development", protected: false, database: { type: "sqlite", path: "dev.db" } },
        { name: "prod", kind: "production", protected: true, database: { type: "url", url: URL_WITH_PASSWORD } },
      ],
    };
    expect(backend.workspaceCheckNew).toHaveBeenCalledWith(sent);
    expect(backend.workspaceCreate).toHaveBeenCalledWith(sent, false);
  });

  it("puts each problem under its field and writes nothing", async () => {
    vi.mocked(backend.workspaceCheckNew).mockResolvedValue({
      ...clean,
      problems: [
        { field: "name", message: "give the workspace a name, e.g. acme" },
        { field: "environments.1.name", message: "another environment is already named dev: give each its own name" },
        { field: "environments.1.protected", message: "a production environment is always protected" },
        { field: "environments.0.database", message: "there is no file at /w/gone.db" },
      ],
    });
    const { oncreated } = open();
    await fireEvent.click(screen.getByTestId("create-workspace"));
    await screen.findAllByTestId("field-error");
    expect(screen.getByLabelText("Name")).toHaveAttribute("aria-invalid", "true");
    expect(screen.getByLabelText("Name").closest(".field")).toHaveTextContent("give the workspace a name");
    const [dev, prod] = screen.getAllByTestId("new-env");
    expect(dev).toHaveTextContent("there is no file at /w/gone.db");
    expect(dev).not.toHaveTextContent("already named");
    expect(prod).toHaveTextContent("already named dev");
    expect(prod).toHaveTextContent("always protected");
    expect(within(prod).getByLabelText("Environment name")).toHaveAttribute("aria-invalid", "true");
    expect(backend.workspaceCreate).not.toHaveBeenCalled();
    expect(oncreated).not.toHaveBeenCalled();
  });

  it("says under the name when another workspace of that name keeps secrets in the keychain", async () => {
    const taken =
      'a workspace named "acme" already keeps secrets for prod in the OS keychain, and creating this one would replace them: pick another name, or open that workspace instead';
    vi.mocked(backend.workspaceCheckNew).mockResolvedValue({ ...clean, problems: [{ field: "name", message: taken }] });
    const { oncreated } = open();
    await fill();
    await fireEvent.click(screen.getByTestId("create-workspace"));
    const name = screen.getByLabelText("Name");
    await vi.waitFor(() => expect(name).toHaveAttribute("aria-invalid", "true"));
    expect(name).toHaveAccessibleDescription(taken);
    expect(name.closest(".field")).toHaveTextContent("pick another name, or open that workspace instead");
    expect(backend.workspaceCreate).not.toHaveBeenCalled();
    expect(oncreated).not.toHaveBeenCalled();
  });

  it("closes once on Escape, through the window's one Escape handler", async () => {
    // What App.svelte does with a key press.
    const app = (e: KeyboardEvent) => {
      if (!e.defaultPrevented && shortcutOf(e) === "escape" && closeTopOverlay()) e.preventDefault();
    };
    window.addEventListener("keydown", app);
    try {
      const { onclose } = open();
      await fireEvent.keyDown(window, { key: "Escape" });
      expect(onclose).toHaveBeenCalledTimes(1);
    } finally {
      window.removeEventListener("keydown", app);
    }
  });

  it("replaces an existing envdeck.toml only once Replace it is ticked", async () => {
    vi.mocked(backend.workspaceCheckNew).mockResolvedValue({ ...clean, exists: true });
    vi.mocked(backend.workspaceCreate).mockResolvedValue(created);
    const { oncreated } = open();
    await fill();
    const create = screen.getByTestId("create-workspace");
    await fireEvent.click(create);
    expect(await screen.findByTestId("file-exists")).toHaveTextContent("/w/envdeck.toml already exists");
    expect(backend.workspaceCreate).not.toHaveBeenCalled();
    expect(create).toBeDisabled();
    await fireEvent.click(screen.getByTestId("replace-existing"));
    expect(create).toHaveTextContent("Replace and open");
    await fireEvent.click(create);
    await vi.waitFor(() => expect(oncreated).toHaveBeenCalledWith(created));
    expect(vi.mocked(backend.workspaceCreate).mock.calls[0][1]).toBe(true);
  });

  it("shows why creating failed (keychain locked: the detail folded) and keeps the form", async () => {
    vi.mocked(backend.workspaceCheckNew).mockResolvedValue(clean);
    vi.mocked(backend.workspaceCreate).mockRejectedValue({
      code: "keychain_unavailable",
      message: "The OS keychain is unavailable, so envdeck cannot read or store credentials.",
      retryable: true,
      detail: "org.freedesktop.DBus.Error.ServiceUnknown",
    });
    const { oncreated } = open();
    await fill();
    await fireEvent.click(screen.getByTestId("create-workspace"));
    const card = await screen.findByTestId("error-card");
    expect(card).toHaveTextContent("The workspace was not created");
    expect(within(card).getByTestId("error-detail")).not.toHaveAttribute("open");
    expect(oncreated).not.toHaveBeenCalled();
    expect(screen.getByLabelText("Name")).toHaveValue("acme");
  });

  it("takes the place from the native save dialog, adds and removes environments, and closes on Escape", async () => {
    vi.mocked(backend.pickNewWorkspaceFile).mockResolvedValue("/picked/envdeck.toml");
    const { onclose } = open();
    await fireEvent.click(screen.getAllByRole("button", { name: /browse/i })[0]);
    await vi.waitFor(() => expect(screen.getByLabelText("Save to")).toHaveValue("/picked/envdeck.toml"));
    await fireEvent.click(screen.getByRole("button", { name: /add environment/i }));
    expect(screen.getAllByTestId("new-env")).toHaveLength(3);
    expect(within(screen.getAllByTestId("new-env")[2]).getByLabelText("Environment name")).toHaveValue("staging");
    await fireEvent.click(screen.getByRole("button", { name: "Remove dev" }));
    expect(screen.getAllByTestId("new-env")).toHaveLength(2);
    expect(closeTopOverlay()).toBe(true);
    expect(onclose).toHaveBeenCalledTimes(1);
  });
});
