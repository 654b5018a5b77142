//! How a command reaches the Rust side: `invoke` inside the app, the dev-only fake outside
//! it, nothing in a production build outside it. Every command rejects with an `AppError`.
//! The typed functions that use `call` are generated (bindings/commands.ts); import them
//! from backend.ts.
import { Channel, invoke } from "@tauri-apps/api/core";
import type { Command } from "./bindings/commands";
import { toAppError } from "./errors";

export const inTauri = typeof window !== "undefined" && "__TAURI_INTERNALS__" in window;

/** The production build opened somewhere else than the envdeck app (e.g. ui/dist in a browser). */
export const outsideApp = !inTauri && !import.meta.env.DEV;

export const OUTSIDE_APP_MESSAGE =
  "This window must be opened through the envdeck app: run `envdeck` with no arguments (or `make run` in a checkout). A plain browser cannot reach your databases or keychain.";

/** Callbacks for a command's `Channel` arguments, by argument name. */
export type Channels = Record<string, (message: never) => void>;

/**
 * Sends `cmd`; each of `channels` becomes a Tauri `Channel` whose messages (progress) go to
 * the callback while the command runs.
 */
export async function call<T>(cmd: Command, args: Record<string, unknown>, channels: Channels = {}): Promise<T> {
  try {
    if (inTauri) {
      const all: Record<string, unknown> = { ...args };
      for (const [name, onmessage] of Object.entries(channels)) all[name] = new Channel<never>(onmessage);
      return await invoke<T>(cmd, all);
    }
    // `import.meta.env.DEV` is the literal `false` in the production build, so the bundler
    // drops this branch and never emits the fake (tests/fixtures.rs checks ui/dist).
    if (import.meta.env.DEV) {
      const { fakeInvoke } = await import("./fake-backend");
      return (await fakeInvoke(cmd, args, channels)) as T;
    }
    throw { code: "internal", message: OUTSIDE_APP_MESSAGE, retryable: false };
  } catch (e) {
    throw toAppError(e);
  }
}
