//! App-wide state: the open workspace, each environment's status and detail, and the selected page.
import type { AppError } from "../../bindings/AppError";
import type { EnvDetail } from "../../bindings/EnvDetail";
import type { EnvStatus } from "../../bindings/EnvStatus";
import type { WorkspaceView } from "../../bindings/WorkspaceView";
import * as backend from "../../backend";
import { toAppError } from "../../errors";
import { failed, loaded, loading, type Loadable } from "../../loadable";
import { CompareSession } from "../compare/compare.svelte";
import { sortEnvironments } from "../../kinds";

/** The view with its environments ordered by kind, then name: the sidebar and every picker read them so. */
function ordered(view: WorkspaceView): WorkspaceView {
  return { ...view, environments: sortEnvironments(view.environments) };
}

/** The app's workspace (the last one made), for actions started outside the page that holds it. */
let active: Workspace | null = null;

export function activeWorkspace(): Workspace | null {
  return active;
}

export type Selected = { page: "env"; env: string } | { page: "compare" } | { page: "history" } | { page: "settings" };

export class Workspace {
  view = $state.raw<Loadable<WorkspaceView>>(loading());
  statuses = $state<Record<string, Loadable<EnvStatus>>>({});
  details = $state<Record<string, Loadable<EnvDetail>>>({});
  selected = $state<Selected>({ page: "settings" });
  opening = $state(false);
  openError = $state.raw<AppError | null>(null);
  /** The Compare screen's pair, results and filters; kept while you look at other pages. */
  compare = $state.raw(new CompareSession());

  // Responses are dropped when a newer request for the same thing was made meanwhile
  // (another workspace opened, or the user pressed Retry).
  #tickets = new Map<string, number>();
  #next = 0;

  constructor() {
    // The app makes one; a newer one (a test's) takes over.
    active = this;
  }

  #ticket(key: string): () => boolean {
    const id = ++this.#next;
    this.#tickets.set(key, id);
    return () => this.#tickets.get(key) === id;
  }

  async load(): Promise<void> {
    this.view = loading();
    try {
      this.#adopt(await backend.workspaceCurrent());
    } catch (e) {
      this.view = failed(toAppError(e));
    }
  }

  async openFromDialog(): Promise<void> {
    this.openError = null;
    let path: string | null;
    try {
      path = await backend.pickWorkspaceFile();
    } catch (e) {
      this.openError = toAppError(e);
      return;
    }
    if (!path) return;
    this.opening = true;
    try {
      this.#adopt(await backend.workspaceOpen(path));
    } catch (e) {
      this.openError = toAppError(e);
    } finally {
      this.opening = false;
    }
  }

  /** A workspace opened by a command (a new one created from the window): it replaces this one. */
  opened(view: WorkspaceView): void {
    this.openError = null;
    this.#adopt(view);
  }

  /**
   * The same workspace, changed by a command (a database URL moved to the keychain, a database
   * source edited): the page and comparison stay; an environment whose database source changed
   * is read again (its status, sidebar dot and detail).
   */
  update(view: WorkspaceView): void {
    if (this.view.status !== "ok" || this.view.value.path !== view.path) return this.#adopt(view);
    const before = new Map(this.view.value.environments.map((e) => [e.name, JSON.stringify(e.database)]));
    this.view = loaded(ordered(view));
    for (const e of view.environments) if (before.get(e.name) !== JSON.stringify(e.database)) this.refresh(e.name);
  }

  /** The workspace file calls act on; responses for another one are dropped with their tickets. */
  get #path(): string {
    return this.view.status === "ok" ? this.view.value.path : "";
  }

  #adopt(given: WorkspaceView): void {
    const view = ordered(given);
    this.#tickets.clear();
    // A compare of the previous workspace stops rather than finishing unseen.
    this.compare.cancel();
    this.view = loaded(view);
    this.statuses = {};
    this.details = {};
    this.compare = new CompareSession(view.path);
    // Every environment is checked at once: a slow or unreachable host must not hold up the others.
    for (const env of view.environments) void this.refreshStatus(env.name);
    const first = view.environments[0];
    this.select(first ? { page: "env", env: first.name } : { page: "settings" });
  }

  select(selected: Selected): void {
    this.selected = selected;
    if (selected.page === "env") void this.loadDetail(selected.env);
  }

  async refreshStatus(env: string): Promise<void> {
    const current = this.#ticket(`status:${env}`);
    this.statuses[env] = loading();
    try {
      const status = await backend.environmentStatus(this.#path, env);
      if (current()) this.statuses[env] = loaded(status);
    } catch (e) {
      if (current()) this.statuses[env] = failed(toAppError(e));
    }
  }

  /** Loads an environment's detail once; `force` reloads it (Retry / Refresh). */
  async loadDetail(env: string, force = false): Promise<void> {
    const existing = this.details[env];
    if (!force && existing && existing.status !== "error") return;
    const current = this.#ticket(`detail:${env}`);
    this.details[env] = loading();
    try {
      const detail = await backend.environmentDetail(this.#path, env);
      if (current()) this.details[env] = loaded(detail);
    } catch (e) {
      if (current()) this.details[env] = failed(toAppError(e));
    }
  }

  /** A secret of `env` was set or removed: its status (and sidebar dot) and detail are read again. */
  secretChanged(env: string): void {
    if (this.view.status !== "ok" || !this.view.value.environments.some((e) => e.name === env)) return;
    this.refresh(env);
  }

  refresh(env: string): void {
    void this.refreshStatus(env);
    void this.loadDetail(env, true);
  }
}
