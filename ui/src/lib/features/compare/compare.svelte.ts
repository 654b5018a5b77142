//! The Compare screen's state: which two environments, one load per area (all at once, each
//! failing on its own, with its progress, all cancellable together), the integration parity
//! grid, and the findings filter. Every call names the workspace the session belongs to.
import type { AppError } from "../../bindings/AppError";
import type { Area } from "../../bindings/Area";
import type { AreaReport } from "../../bindings/AreaReport";
import type { Finding } from "../../bindings/Finding";
import type { ParityGrid } from "../../bindings/ParityGrid";
import type { ProgressEvent } from "../../bindings/ProgressEvent";
import type { WorkspaceView } from "../../bindings/WorkspaceView";
import * as backend from "../../backend";
import { toAppError } from "../../errors";
import { failed, loaded, loading, type Loadable } from "../../loadable";
import { AREAS, defaultPair, NO_FILTER, type FindingFilter } from "./findings";

export type AreaState =
  | { state: "loading" }
  | { state: "done"; findings: Finding[]; durationMs: number }
  | { state: "error"; error: AppError; findings: Finding[] }
  /** Stopped by Cancel: not a failure, nothing to fix; it can run again. */
  | { state: "cancelled" }
  /** Not compared because the workspace does not configure it: not a failure, no findings. */
  | { state: "skipped"; reason: string; findings: Finding[] };

/**
 * The error most areas failed with, when at least two failed the same way (an unreachable
 * target fails every area that reads it): shown once, with the areas it stopped.
 */
export function sharedFailure(states: readonly { area: Area; load: AreaState }[]): { error: AppError; areas: Area[] } | null {
  const groups = new Map<string, { error: AppError; areas: Area[] }>();
  for (const { area, load } of states) {
    if (load.state !== "error") continue;
    const key = `${load.error.code}\n${load.error.message}`;
    const g = groups.get(key) ?? { error: load.error, areas: [] };
    g.areas.push(area);
    groups.set(key, g);
  }
  let best: { error: AppError; areas: Area[] } | null = null;
  for (const g of groups.values()) if (g.areas.length >= 2 && (!best || g.areas.length > best.areas.length)) best = g;
  return best;
}

/** A report that carries an `error` failed just like a rejected call; one that was `skipped` did not. */
export function areaState(load: Loadable<AreaReport> | undefined): AreaState {
  if (!load || load.status === "loading") return { state: "loading" };
  if (load.status === "error")
    return load.error.code === "cancelled" ? { state: "cancelled" } : { state: "error", error: load.error, findings: [] };
  // An area may fail in part (isolation without one database) and still report findings.
  if (load.value.error) return { state: "error", error: load.value.error, findings: load.value.findings };
  if (load.value.skipped !== null) return { state: "skipped", reason: load.value.skipped, findings: load.value.findings };
  return { state: "done", findings: load.value.findings, durationMs: load.value.duration_ms };
}

export type CompareTab = "differences" | "parity";

let operations = 0;

/** An id for one run's calls, unique in this window (the backend keys cancels by it). */
function operationId(): string {
  return `compare-${Date.now().toString(36)}-${++operations}`;
}

export class CompareSession {
  /** The workspace file every call acts on (`WorkspaceView.path`). */
  readonly workspace: string;
  tab = $state<CompareTab>("differences");
  from = $state("");
  to = $state("");
  /** The pair the reports below belong to; `null` before the first run. */
  ran = $state.raw<{ from: string; to: string } | null>(null);
  reports = $state<Partial<Record<Area, Loadable<AreaReport>>>>({});
  parity = $state.raw<Loadable<ParityGrid> | null>(null);
  filter = $state<FindingFilter>({ ...NO_FILTER, severities: [] });
  /** What each running area is doing, from its progress channel. */
  progress = $state<Partial<Record<Area, string>>>({});
  /** Cancel was pressed and some areas have not stopped yet. */
  cancelling = $state(false);

  /** Operations with calls still running, and how many. */
  #running = new Map<string, number>();
  #tickets = new Map<string, number>();
  #next = 0;

  constructor(workspace = "") {
    this.workspace = workspace;
  }

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

  /**
   * Picks one side. Picking the other side's environment swaps them, so the pair is never one
   * environment with itself; returns whether the pair changed.
   */
  choose(side: "from" | "to", value: string): boolean {
    const other = side === "from" ? "to" : "from";
    if (this[side] === value) return false;
    if (this[other] === value) this[other] = this[side];
    this[side] = value;
    return true;
  }

  swap(): void {
    [this.from, this.to] = [this.to, this.from];
  }

  /** Every area at once, as one operation; a slow or failing one holds up none of the others. */
  run(): void {
    if (!this.canCompare) return;
    // A new run replaces the old one: what still runs of it is stopped, not waited for.
    this.#stop();
    this.cancelling = false;
    const { from, to } = this;
    this.ran = { from, to };
    this.reports = {};
    const operation = operationId();
    for (const area of AREAS) void this.#runArea(from, to, area, operation);
  }

  async #runArea(from: string, to: string, area: Area, operation: string): Promise<void> {
    const current = this.#ticket(`area:${area}`);
    this.reports[area] = loading();
    delete this.progress[area];
    this.#running.set(operation, (this.#running.get(operation) ?? 0) + 1);
    const onProgress = (e: ProgressEvent) => {
      if (!current()) return;
      if (e.event === "started") this.progress[area] = e.label;
      else if (e.event === "finished") delete this.progress[area];
    };
    try {
      const report = await backend.compareArea(this.workspace, from, to, area, operation, onProgress);
      if (current()) this.reports[area] = loaded(report);
    } catch (e) {
      if (current()) this.reports[area] = failed(toAppError(e));
    } finally {
      if (current()) delete this.progress[area];
      const left = this.#running.get(operation);
      if (left !== undefined && left > 1) this.#running.set(operation, left - 1);
      else this.#running.delete(operation);
    }
  }

  /** Stops every area still running (also ones re-run on their own): they end as cancelled. */
  cancel(): void {
    if (this.#running.size === 0) return;
    this.cancelling = true;
    this.#stop();
  }

  #stop(): void {
    for (const operation of this.#running.keys()) {
      backend.cancelOperation(operation).catch(() => {
        // A cancel that could not be sent leaves the calls to finish on their own.
      });
    }
    this.#running.clear();
  }

  async loadParity(): Promise<void> {
    const current = this.#ticket("parity");
    this.parity = loading();
    try {
      const grid = await backend.integrationParity(this.workspace);
      if (current()) this.parity = loaded(grid);
    } catch (e) {
      if (current()) this.parity = failed(toAppError(e));
    }
  }

  /** Compares these areas again, for the pair on screen (one error card's Retry for all of them). */
  retryAreas(areas: readonly Area[]): void {
    this.cancelling = false;
    if (!this.ran) return;
    const operation = operationId();
    for (const area of areas) void this.#runArea(this.ran.from, this.ran.to, area, operation);
  }

  /** Compares one area again (after its error card's Retry), for the pair on screen. */
  retryArea(area: Area): void {
    this.cancelling = false;
    if (this.ran) void this.#runArea(this.ran.from, this.ran.to, area, operationId());
  }

  /** The findings of every area that finished. */
  findings = $derived.by(() => {
    const all: Finding[] = [];
    for (const area of AREAS) {
      const s = areaState(this.reports[area]);
      if (s.state !== "loading" && s.state !== "cancelled") all.push(...s.findings);
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
