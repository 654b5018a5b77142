//! The only module features import to talk to the Rust side. Every command rejects with an
//! `AppError`. The command functions are generated from the Rust definitions
//! (bindings/commands.ts, sent through ipc.ts); in development only (`npm run dev` in a
//! browser, and the UI tests) they are answered by a fake fed by fixtures recorded from the
//! engine; the production build leaves the fake out, and outside the app it shows
//! `OutsideApp` instead (see main.ts).
import { open } from "@tauri-apps/plugin-dialog";
import { toAppError } from "./errors";
import { inTauri, OUTSIDE_APP_MESSAGE } from "./ipc";

export * from "./bindings/commands";
export { inTauri, outsideApp, OUTSIDE_APP_MESSAGE } from "./ipc";

/** Asks the user for an envdeck.toml; `null` when they cancel. */
export async function pickWorkspaceFile(): Promise<string | null> {
  try {
    if (inTauri) {
      const picked = await open({
        multiple: false,
        directory: false,
        filters: [{ name: "envdeck workspace", extensions: ["toml"] }],
      });
      return typeof picked === "string" ? picked : null;
    }
    if (!import.meta.env.DEV) throw { code: "internal", message: OUTSIDE_APP_MESSAGE, retryable: false };
    return window.prompt("Path to an envdeck.toml", "/home/you/acme-shop/envdeck.toml");
  } catch (e) {
    throw toAppError(e);
  }
}
