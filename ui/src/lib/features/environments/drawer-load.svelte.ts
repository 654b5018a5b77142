//! Loads what a dashboard drawer shows, once per opening, with Retry; a late answer for a
//! drawer that was closed or reloaded meanwhile is dropped.
import type { AppError } from "../../bindings/AppError";
import * as backend from "../../backend";
import { toAppError } from "../../errors";

/** The workspace file the page shows: the one the page was given, else the one the app has open. */
export async function workspacePath(given: string | undefined): Promise<string> {
  return given ?? (await backend.workspaceCurrent()).path;
}

export class DrawerLoad<T> {
  value = $state.raw<T | null>(null);
  error = $state.raw<AppError | null>(null);
  loading = $state(false);
  #ticket = 0;
  #read: () => Promise<T>;

  constructor(read: () => Promise<T>) {
    this.#read = read;
  }

  async load(): Promise<void> {
    const mine = ++this.#ticket;
    this.loading = true;
    this.error = null;
    try {
      const v = await this.#read();
      if (mine === this.#ticket) this.value = v;
    } catch (e) {
      if (mine === this.#ticket) this.error = toAppError(e);
    } finally {
      if (mine === this.#ticket) this.loading = false;
    }
  }

  /** Drops any answer still on its way. */
  cancel(): void {
    this.#ticket++;
  }
}
