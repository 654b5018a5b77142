import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import * as backend from "../../backend";
import SecretRow from "./SecretRow.svelte";

vi.mock("../../backend", () => ({ secretSet: vi.fn(), secretDelete: vi.fn() }));

const VALUE = "postgres://admin:hunter2@db.internal/prod";

function setup(is_set = false) {
  const table = document.createElement("table");
  const tbody = document.createElement("tbody");
  table.append(tbody);
  document.body.append(table);
  const onchanged = vi.fn();
  render(SecretRow, {
    target: tbody,
    props: { workspace: "/w/envdeck.toml", secret: { env: "prod", name: "DATABASE_URL", is_set, used_by: "database" }, onchanged },
  });
  return { onchanged, input: screen.getByLabelText(/new value for DATABASE_URL/i) as HTMLInputElement };
}

describe("SecretRow", () => {
  beforeEach(() => {
    vi.mocked(backend.secretSet).mockReset();
  });
  afterEach(() => document.body.replaceChildren());

  it("is a write-only password field", () => {
    const { input } = setup();
    expect(input.type).toBe("password");
    expect(input.getAttribute("autocomplete")).toBe("off");
    expect(input.value).toBe("");
  });

  it("sends the value, clears the field at once and never shows the value again", async () => {
    let resolve!: (v: null) => void;
    vi.mocked(backend.secretSet).mockReturnValue(new Promise((r) => (resolve = r)));
    const { input, onchanged } = setup();

    await fireEvent.input(input, { target: { value: VALUE } });
    await fireEvent.click(screen.getByRole("button", { name: "Set" }));

    expect(backend.secretSet).toHaveBeenCalledWith("/w/envdeck.toml", "prod", "DATABASE_URL", VALUE);
    // Cleared while the request is still in flight.
    expect(input.value).toBe("");
    expect(document.body.innerHTML).not.toContain("hunter2");

    resolve(null);
    await waitFor(() => expect(onchanged).toHaveBeenCalled());
    expect(input.value).toBe("");
    expect(document.body.innerHTML).not.toContain("hunter2");
  });

  it("does not re-populate the field when saving fails", async () => {
    vi.mocked(backend.secretSet).mockRejectedValue({
      code: "keychain_unavailable",
      message: "The keychain is locked. Unlock it and try again.",
      retryable: true,
    });
    const { input } = setup(true);
    await fireEvent.input(input, { target: { value: VALUE } });
    await fireEvent.click(screen.getByRole("button", { name: "Replace" }));

    await screen.findByText(/keychain is locked/);
    expect(input.value).toBe("");
    expect(document.body.innerHTML).not.toContain("hunter2");
  });

  it("asks for confirmation before deleting", async () => {
    vi.mocked(backend.secretDelete).mockResolvedValue(null);
    const { onchanged } = setup(true);
    await fireEvent.click(screen.getByTestId("delete-secret"));
    expect(backend.secretDelete).not.toHaveBeenCalled();
    await fireEvent.click(screen.getByTestId("confirm-delete"));
    expect(backend.secretDelete).toHaveBeenCalledWith("/w/envdeck.toml", "prod", "DATABASE_URL");
    await waitFor(() => expect(onchanged).toHaveBeenCalled());
  });
});
