//! The Compare screen's state: which two environments, one load per area (all at once, each
//! failing on its own), the integration parity grid, and the findings filter.
import type { AppError } from "../../bindings/AppError";
import type { Area } from "../../bindings/Area";
import type { AreaReport } from "../../bindings/AreaReport";
import type { Finding } from "../../bindings/Finding";
import type { ParityGrid } from "../../bindings/ParityGrid";
import type { WorkspaceView } from "../../bindings/WorkspaceView";
import * as backend from "../../backend";
import { toAppError } from "../../errors";
import { failed, loaded, loading, type Loadable } from "../../loadable";
import { AREAS, defaultPair, NO_FILTER, type FindingFilter } from "./findings";

export type AreaState =
  | { state: "loading" }
  | { state: "done"; findings: Finding[]; durationMs: number }
  | { state: "error"; error: AppError; findings: Finding[] }
  /** Not compared because the workspace does not configure it: not a failure, no findings. */
  | { state: "skipped"; reason: string; findings: Finding[] };

/** A report that carries an `error` failed just like a rejected call; one that was `skipped` did not. */
export function areaState(load: Loadable<AreaReport> | undefined): AreaState {
  if (!load || load.status === "loading") return { state: "loading" };
  if (load.status === "error") return { state: "error", error: load.error, findings: [] };
  // An area may fail in part (isolation without one database) and still report findings.
  if (load.value.error) return { state: "error", error: load.value.error, findings: load.value.findings };
  if (load.value.skipped !== null) return { state: "skipped", reason: load.value.skipped, findings: load.value.findings };
  return { state: "done", findings: load.value.findings, durationMs: load.value.duration_ms };
}

export type CompareTab = "differences" | "parity";

export class CompareSession {
  tab = $state<CompareTab>("differences");
  from = $state("");
  to = $state("");
  /** The pair the reports below belong to; `null` before the first run. */
  ran = $state.raw<{ from: string; to: string } | null>(null);
  reports = $state<Partial<Record<Area, Loadable<AreaReport>>>>({});
  parity = $state.raw<Loadable<ParityGrid> | null>(null);
  filter = $state<FindingFilter>({ ...NO_FILTER, severities: [] });

  #tickets = new Map<string, number>();
  #next = 0;

  #ticket(key: string): () => boolean {
    const id = ++this.#next;
    this.#tickets.set(key, id);
    return () => this.#tickets.get(key) === id;
  }

  /** Picks dev → prod (or the closest thing) unless the current pair still exists. */
  ensurePair(view: WorkspaceView): void {
    const names = view.environments.map((e) => e.name);
    if (names.includes(this.from) && names.includes(this.to) && this.from !== this.to) return;
    const pair = defaultPair(view.environments);
    this.from = pair?.from ?? names[0] ?? "";
    this.to = pair?.to ?? names[0] ?? "";
  }

  get canCompare(): boolean {
    return this.from !== "" && this.to !== "" && this.from !== this.to;
  }

  /** Whether what is on screen is for the selected pair. */
  get current(): boolean {
    return this.ran !== null && this.ran.from === this.from && this.ran.to === this.to;
  }

  swap(): void {
    [this.from, this.to] = [this.to, this.from];
  }

  /** Every area at once; a slow or failing one holds up none of the others. */
  run(): void {
    if (!this.canCompare) return;
    const { from, to } = this;
    this.ran = { from, to };
    this.reports = {};
    for (const area of AREAS) void this.#runArea(from, to, area);
  }

  async #runArea(from: string, to: string, area: Area): Promise<void> {
    const current = this.#ticket(`area:${area}`);
    this.reports[area] = loading();
    try {
      const report = await backend.compareArea(from, to, area);
      if (current()) this.reports[area] = loaded(report);
    } catch (e) {
      if (current()) this.reports[area] = failed(toAppError(e));
    }
  }

  async loadParity(): Promise<void> {
    const current = this.#ticket("parity");
    this.parity = loading();
    try {
      const grid = await backend.integrationParity();
      if (current()) this.parity = loaded(grid);
    } catch (e) {
      if (current()) this.parity = failed(toAppError(e));
    }
  }

  /** Compares one area again (after its error card's Retry), for the pair on screen. */
  retryArea(area: Area): void {
    if (this.ran) void this.#runArea(this.ran.from, this.ran.to, area);
  }

  /** The findings of every area that finished. */
  findings = $derived.by(() => {
    const all: Finding[] = [];
    for (const area of AREAS) {
      const s = areaState(this.reports[area]);
      if (s.state !== "loading") all.push(...s.findings);
    }
    return all;
  });

  /** Clicking a card shows that area only; clicking it again shows all. */
  toggleArea(area: Area): void {
    this.filter.area = this.filter.area === area ? null : area;
  }

  clearFilter(): void {
    this.filter = { ...NO_FILTER, severities: [] };
  }
}
