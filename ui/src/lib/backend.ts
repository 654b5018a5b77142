//! The only module features import to talk to the Rust side. Every command rejects with an
//! `AppError`. The command functions are generated from the Rust definitions
//! (bindings/commands.ts, sent through ipc.ts); in development only (`npm run dev` in a
//! browser, and the UI tests) they are answered by a fake fed by fixtures recorded from the
//! engine; the production build leaves the fake out, and outside the app it shows
//! `OutsideApp` instead (see main.ts).
import { ask, open, save } from "@tauri-apps/plugin-dialog";
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

declare global {
  interface Window {
    /** Set by the WebDriver tests only: the native confirmation answers yes by itself. */
    __ENVDECK_TEST_ACCEPT_DIALOG__?: boolean;
  }
}

/**
 * Asks a yes/no question in a native dialog (in a browser during development, the
 * browser's). The end-to-end tests cannot reach a native dialog, so they set
 * `window.__ENVDECK_TEST_ACCEPT_DIALOG__`; everything before it (the typed name) is still
 * driven for real.
 */
export async function confirmNative(message: string, title: string, okLabel = "Insert"): Promise<boolean> {
  if (window.__ENVDECK_TEST_ACCEPT_DIALOG__ === true) return true;
  try {
    if (inTauri) return await ask(message, { title, kind: "warning", okLabel, cancelLabel: "Cancel" });
    if (!import.meta.env.DEV) throw { code: "internal", message: OUTSIDE_APP_MESSAGE, retryable: false };
    return window.confirm(message);
  } catch (e) {
    throw toAppError(e);
  }
}

/** Asks where to save a file (the native save dialog), suggesting `name`; `null` when cancelled. */
export async function pickSavePath(name: string): Promise<string | null> {
  try {
    if (inTauri) {
      const picked = await save({ defaultPath: name, filters: [{ name: "JSON", extensions: ["json"] }] });
      return picked ?? null;
    }
    if (!import.meta.env.DEV) throw { code: "internal", message: OUTSIDE_APP_MESSAGE, retryable: false };
    return window.prompt("Save as", `/home/you/${name}`);
  } catch (e) {
    throw toAppError(e);
  }
}

/**
 * Asks where to save a new envdeck.toml (the native save dialog); `null` when they cancel.
 * The file is not written here: `workspaceCreate` writes it, and refuses to replace one
 * unless told to.
 */
export async function pickNewWorkspaceFile(): Promise<string | null> {
  try {
    if (inTauri) {
      const picked = await save({
        defaultPath: "envdeck.toml",
        filters: [{ name: "envdeck workspace", extensions: ["toml"] }],
      });
      return typeof picked === "string" ? picked : null;
    }
    if (!import.meta.env.DEV) throw { code: "internal", message: OUTSIDE_APP_MESSAGE, retryable: false };
    return window.prompt("Where to save envdeck.toml", "/home/you/acme-shop/envdeck.toml");
  } catch (e) {
    throw toAppError(e);
  }
}

/** Asks for an existing SQLite database file (the native open dialog); `null` when they cancel. */
export async function pickSqliteFile(): Promise<string | null> {
  try {
    if (inTauri) {
      const picked = await open({
        multiple: false,
        directory: false,
        filters: [
          { name: "SQLite database", extensions: ["db", "sqlite", "sqlite3"] },
          { name: "Any file", extensions: ["*"] },
        ],
      });
      return typeof picked === "string" ? picked : null;
    }
    if (!import.meta.env.DEV) throw { code: "internal", message: OUTSIDE_APP_MESSAGE, retryable: false };
    return window.prompt("Path to a SQLite database file", "/home/you/acme-shop/dev.db");
  } catch (e) {
    throw toAppError(e);
  }
}
