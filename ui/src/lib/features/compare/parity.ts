//! The integration parity grid: one row per provider, one column per environment.
import type { AppError } from "../../bindings/AppError";
import type { ParityCell } from "../../bindings/ParityCell";
import type { ParityGrid } from "../../bindings/ParityGrid";
import type { ParityRow } from "../../bindings/ParityRow";
import type { ParityState } from "../../bindings/ParityState";

/** What a cell shows: a parity state, or `error` when that environment could not be read. */
export type CellView =
  | { state: ParityState; cell: ParityCell }
  | { state: "error"; error: AppError }
  | { state: "missing"; cell: null };

export const PARITY_LABEL: Record<ParityState | "error", string> = {
  healthy: "Healthy",
  expiring: "Expiring within 7 days",
  expired: "Expired",
  broken: "Broken",
  missing: "Not connected",
  error: "Couldn't read",
};

/** A short word in the cell; healthy cells only show the tick. */
export const PARITY_WORD: Record<ParityState | "error", string> = {
  healthy: "",
  expiring: "expiring",
  expired: "expired",
  broken: "broken",
  missing: "",
  error: "unknown",
};

export function cellView(grid: ParityGrid, row: ParityRow, env: string): CellView {
  const failure = grid.errors.find((e) => e.env === env);
  if (failure) return { state: "error", error: failure.error };
  const cell = row.cells.find((c) => c.env === env);
  if (!cell) return { state: "missing", cell: null };
  return { state: cell.state, cell };
}

export type Reconnect = { provider: string; env: string; state: ParityState; detail: string | null };

/** The checklist people used to keep by hand: every connection to (re)make, per environment. */
export function reconnectList(grid: ParityGrid): Reconnect[] {
  const out: Reconnect[] = [];
  for (const env of grid.environments) {
    for (const row of grid.rows) {
      const cell = row.cells.find((c) => c.env === env);
      if (cell?.needs_reconnect) out.push({ provider: row.provider, env, state: cell.state, detail: cell.detail });
    }
  }
  return out;
}
