import { fireEvent, render, screen } from "@testing-library/svelte";
import { beforeEach, describe, expect, it, vi } from "vitest";
import * as backend from "../../backend";
import type { UndoPreview } from "../../bindings/UndoPreview";
import type { UndoReport } from "../../bindings/UndoReport";
import UndoSheet from "./UndoSheet.svelte";

vi.mock("../../backend", () => ({
  syncUndoPreview: vi.fn(),
  syncUndo: vi.fn(),
  cancelOperation: vi.fn(async () => null),
  confirmNative: vi.fn(async () => true),
}));

const SYNC = "20261121T1030-abcdef";
const SQL = `DELETE FROM "email_templates" WHERE "id" = 7 AND "name" = 'team_invitation'`;

const preview = (over: Partial<UndoPreview> = {}): UndoPreview => ({
  sync_id: SYNC,
  to: "prod",
  noop: null,
  plan: {
    sync_id: SYNC,
    to: "prod",
    target_identity: "sqlite:prod",
    blocked: null,
    delete: [{ table: "email_templates", key: ["team_invitation"], pk: ["7"], hash: "h1" }],
    kept: [
      {
        table: "roles",
        key: ["manager"],
        pk: ["4"],
        why: "changed",
        reason: "roles manager was changed since the sync: it is kept",
      },
    ],
    sql: [SQL],
    fingerprint: "9f8e7d6c",
    fingerprint_full: "9f8e7d6c".repeat(8),
  },
  ...over,
});

const report: UndoReport = {
  undo_id: `${SYNC}-undo1`,
  sync_id: SYNC,
  to: "prod",
  outcome: "undone",
  reason: "",
  fingerprint: "9f8e7d6c",
  deleted: { email_templates: 1 },
  kept: preview().plan!.kept.map((k) => ({ ...k, why: k.why as string })),
};

function open(onundone = vi.fn()) {
  render(UndoSheet, { workspace: "/w/envdeck.toml", syncId: SYNC, to: "prod", onclose: vi.fn(), onundone });
  return onundone;
}

describe("the undo review sheet", () => {
  beforeEach(() => {
    vi.mocked(backend.syncUndoPreview).mockReset();
    vi.mocked(backend.syncUndo).mockReset();
    vi.mocked(backend.confirmNative).mockReset().mockResolvedValue(true);
  });

  it("shows the rows to delete, the rows kept and why, the SQL and the fingerprint", async () => {
    vi.mocked(backend.syncUndoPreview).mockResolvedValue(preview());
    open();
    await screen.findByTestId("undo-plan");
    expect(backend.syncUndoPreview).toHaveBeenCalledWith("/w/envdeck.toml", SYNC);
    expect(screen.getByTestId("undo-row")).toHaveTextContent("email_templates team_invitation");
    const kept = screen.getByTestId("undo-kept-row");
    expect(kept).toHaveTextContent("roles manager");
    expect(kept).toHaveTextContent("changed since the sync: it is kept");
    expect(kept).toHaveAttribute("data-why", "changed");
    expect(screen.getByTestId("undo-sql")).toHaveTextContent(SQL);
    expect(screen.getByTestId("undo-fingerprint")).toHaveTextContent(/^9f8e7d6c$/);
  });

  it("enables Confirm only once the target's name is typed exactly, then asks natively and undoes", async () => {
    vi.mocked(backend.syncUndoPreview).mockResolvedValue(preview());
    vi.mocked(backend.syncUndo).mockResolvedValue(report);
    const onundone = open();
    await screen.findByTestId("undo-plan");
    const confirm = screen.getByTestId("undo-confirm");
    expect(confirm).toBeDisabled();
    for (const wrong of ["pro", "Prod", "prod ", "dev"]) {
      await fireEvent.input(screen.getByTestId("undo-typed"), { target: { value: wrong } });
      expect(confirm).toBeDisabled();
    }
    await fireEvent.input(screen.getByTestId("undo-typed"), { target: { value: "prod" } });
    expect(confirm).toBeEnabled();
    await fireEvent.click(confirm);
    const result = await screen.findByTestId("undo-result");
    expect(backend.confirmNative).toHaveBeenCalledWith("Delete 1 row from prod (fingerprint 9f8e7d6c)", "Undo sync in prod", "Delete");
    expect(vi.mocked(backend.syncUndo).mock.calls[0].slice(0, 4)).toEqual(["/w/envdeck.toml", SYNC, "prod", "9f8e7d6c"]);
    expect(result).toHaveTextContent("Deleted 1 row from prod");
    expect(result).toHaveTextContent("Kept roles manager");
    expect(onundone).toHaveBeenCalledWith(report);
  });

  it("deletes nothing when the native confirmation is declined", async () => {
    vi.mocked(backend.syncUndoPreview).mockResolvedValue(preview());
    vi.mocked(backend.confirmNative).mockResolvedValue(false);
    open();
    await screen.findByTestId("undo-plan");
    await fireEvent.input(screen.getByTestId("undo-typed"), { target: { value: "prod" } });
    await fireEvent.click(screen.getByTestId("undo-confirm"));
    await vi.waitFor(() => expect(screen.getByTestId("undo-confirm")).toBeEnabled());
    expect(backend.syncUndo).not.toHaveBeenCalled();
  });

  it("says so when the sync was already undone, with nothing to confirm", async () => {
    vi.mocked(backend.syncUndoPreview).mockResolvedValue(
      preview({ noop: `sync ${SYNC} was already undone: nothing left to delete`, plan: null }),
    );
    open();
    expect(await screen.findByTestId("undo-noop")).toHaveTextContent("already undone");
    expect(screen.queryByTestId("undo-confirm")).toBeNull();
  });

  it("keeps Confirm disabled when every row is kept", async () => {
    const p = preview();
    vi.mocked(backend.syncUndoPreview).mockResolvedValue({ ...p, plan: { ...p.plan!, delete: [], sql: [] } });
    open();
    await screen.findByTestId("undo-plan");
    await fireEvent.input(screen.getByTestId("undo-typed"), { target: { value: "prod" } });
    expect(screen.getByTestId("undo-confirm")).toBeDisabled();
    expect(screen.getByTestId("undo-delete")).toHaveTextContent("every row of this sync is kept");
  });
});
