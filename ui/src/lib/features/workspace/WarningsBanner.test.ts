import { fireEvent, render, screen, within } from "@testing-library/svelte";
import { beforeEach, describe, expect, it, vi } from "vitest";
import * as backend from "../../backend";
import type { WorkspaceView } from "../../bindings/WorkspaceView";
import type { WorkspaceWarning } from "../../bindings/WorkspaceWarning";
import WarningsBanner from "./WarningsBanner.svelte";

vi.mock("../../backend", () => ({ workspaceMoveUrlToKeychain: vi.fn() }));

const passwordIn = (env: string): WorkspaceWarning => ({
  message: `envdeck.toml:7: the database URL of ${env} contains a password in envdeck.toml: move it to the OS keychain with \`envdeck secret move-url ${env}\` (or Move to keychain in the window)`,
  env,
  can_move_to_keychain: true,
});
const other: WorkspaceWarning = { message: "envdeck.toml:3: unknown key `colour`", env: null, can_move_to_keychain: false };
const after: WorkspaceView = { path: "/w/envdeck.toml", name: "w", is_demo: false, warnings: [], environments: [] };

function renderBanner(warnings: WorkspaceWarning[]) {
  const onmoved = vi.fn();
  const ondismiss = vi.fn();
  render(WarningsBanner, { workspace: "/w/envdeck.toml", warnings, onmoved, ondismiss });
  return { onmoved, ondismiss };
}

beforeEach(() => vi.clearAllMocks());

describe("WarningsBanner", () => {
  it("names the environment and offers to move its database URL to the keychain", () => {
    renderBanner([passwordIn("prod"), other]);
    const banner = screen.getByTestId("warnings-banner");
    expect(banner).toHaveTextContent("2 things in this workspace need attention");
    expect(banner).toHaveTextContent("the database URL of prod contains a password");
    const button = screen.getByRole("button", { name: "Move the database URL of prod to the keychain" });
    expect(button).toBe(screen.getByTestId("move-to-keychain-prod"));
    expect(button).toHaveTextContent("Move to keychain");
    // Only the warning envdeck can fix gets a button.
    const unknown = screen.getAllByTestId("workspace-warning").find((w) => w.textContent?.includes("colour"))!;
    expect(within(unknown).queryByRole("button")).toBeNull();
  });

  it("moves the URL, shows that it is working, and hands the new workspace to the app", async () => {
    let finish!: (v: WorkspaceView) => void;
    vi.mocked(backend.workspaceMoveUrlToKeychain).mockReturnValue(new Promise((r) => (finish = r)));
    const { onmoved } = renderBanner([passwordIn("dev")]);
    const button = screen.getByTestId("move-to-keychain-dev");
    await fireEvent.click(button);
    expect(backend.workspaceMoveUrlToKeychain).toHaveBeenCalledWith("/w/envdeck.toml", "dev");
    expect(button).toBeDisabled();
    expect(button).toHaveTextContent("Moving…");
    expect(within(button).getByRole("status")).toBeInTheDocument();

    finish(after);
    await vi.waitFor(() => expect(onmoved).toHaveBeenCalledWith(after));
    expect(button).toBeEnabled();
  });

  it("shows why the move failed, with a hint when the keychain is unavailable, and lets you try again", async () => {
    vi.mocked(backend.workspaceMoveUrlToKeychain).mockRejectedValue({
      code: "keychain_unavailable",
      message: "The OS keychain could not be reached.",
      retryable: true,
    });
    const { onmoved } = renderBanner([passwordIn("dev"), passwordIn("prod")]);
    await fireEvent.click(screen.getByTestId("move-to-keychain-dev"));
    const card = await screen.findByTestId("error-card");
    expect(card).toHaveAttribute("data-code", "keychain_unavailable");
    expect(card).toHaveTextContent("Keychain unavailable");
    expect(card).toHaveTextContent("The OS keychain could not be reached.");
    expect(within(card).getByTestId("error-hint")).toHaveTextContent("envdeck.toml was not changed");
    // The error sits under dev's warning, not prod's.
    const [dev, prod] = screen.getAllByTestId("workspace-warning");
    expect(dev).toContainElement(card);
    expect(within(prod).queryByTestId("error-card")).toBeNull();
    expect(onmoved).not.toHaveBeenCalled();
    expect(screen.getByTestId("move-to-keychain-dev")).toBeEnabled();

    // Another code: its own title, no keychain hint; a success clears the error.
    vi.mocked(backend.workspaceMoveUrlToKeychain).mockRejectedValueOnce({ code: "io", message: "could not write envdeck.toml", retryable: false });
    await fireEvent.click(screen.getByTestId("move-to-keychain-dev"));
    await vi.waitFor(() => expect(screen.getByTestId("error-card")).toHaveAttribute("data-code", "io"));
    expect(screen.getByTestId("error-hint")).not.toHaveTextContent("envdeck.toml was not changed");
    vi.mocked(backend.workspaceMoveUrlToKeychain).mockResolvedValueOnce(after);
    await fireEvent.click(screen.getByTestId("move-to-keychain-dev"));
    await vi.waitFor(() => expect(onmoved).toHaveBeenCalledWith(after));
    expect(screen.queryByTestId("error-card")).toBeNull();
  });

  it("can still be dismissed", async () => {
    const { ondismiss } = renderBanner([passwordIn("dev")]);
    await fireEvent.click(screen.getByRole("button", { name: "Dismiss warnings" }));
    expect(ondismiss).toHaveBeenCalledOnce();
  });
});
