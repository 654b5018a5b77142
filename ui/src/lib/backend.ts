//! The only module that talks to the Rust side. Every command rejects with an `AppError`.
//! In development only (`npm run dev` in a browser, and the UI tests) it answers from a fake
//! fed by fixtures recorded from the engine; the production build leaves the fake out, and
//! outside the app it shows `OutsideApp` instead (see main.ts).
import { invoke } from "@tauri-apps/api/core";
import { open } from "@tauri-apps/plugin-dialog";
import type { Area } from "./bindings/Area";
import type { AreaReport } from "./bindings/AreaReport";
import type { EnvDetail } from "./bindings/EnvDetail";
import type { EnvStatus } from "./bindings/EnvStatus";
import type { ParityGrid } from "./bindings/ParityGrid";
import type { SecretEntry } from "./bindings/SecretEntry";
import type { KeyParts } from "./bindings/KeyParts";
import type { ValuePair } from "./bindings/ValuePair";
import type { WorkspaceView } from "./bindings/WorkspaceView";
import { toAppError } from "./errors";

export const inTauri = typeof window !== "undefined" && "__TAURI_INTERNALS__" in window;

/** The production build opened somewhere else than the envdeck app (e.g. ui/dist in a browser). */
export const outsideApp = !inTauri && !import.meta.env.DEV;

export const OUTSIDE_APP_MESSAGE =
  "This window must be opened through the envdeck app: run `envdeck` with no arguments (or `make run` in a checkout). A plain browser cannot reach your databases or keychain.";

async function call<T>(cmd: string, args?: Record<string, unknown>): Promise<T> {
  try {
    if (inTauri) return await invoke<T>(cmd, args);
    // `import.meta.env.DEV` is the literal `false` in the production build, so the bundler
    // drops this branch and never emits the fake (tests/fixtures.rs checks ui/dist).
    if (import.meta.env.DEV) {
      const { fakeInvoke } = await import("./fake-backend");
      return (await fakeInvoke(cmd, args ?? {})) as T;
    }
    throw { code: "internal", message: OUTSIDE_APP_MESSAGE, retryable: false };
  } catch (e) {
    throw toAppError(e);
  }
}

export const workspaceCurrent = () => call<WorkspaceView>("workspace_current");
export const workspaceOpen = (path: string) => call<WorkspaceView>("workspace_open", { path });
/** Moves `env`'s database URL (password included) out of envdeck.toml into the OS keychain; answers the reloaded workspace. */
export const workspaceMoveUrlToKeychain = (env: string) =>
  call<WorkspaceView>("workspace_move_url_to_keychain", { env });
export const environmentStatus = (env: string) => call<EnvStatus>("environment_status", { env });
export const environmentDetail = (env: string) => call<EnvDetail>("environment_detail", { env });
export const secretsList = () => call<SecretEntry[]>("secrets_list");
export const secretSet = (env: string, name: string, value: string) =>
  call<null>("secret_set", { env, name, value });
export const secretDelete = (env: string, name: string) => call<null>("secret_delete", { env, name });
/** One area of a comparison; each area is its own call so a slow or failing one holds up nothing. */
export const compareArea = (from: string, to: string, area: Area) =>
  call<AreaReport>("compare_area", { from, to, area });
export const integrationParity = () => call<ParityGrid>("integration_parity");
/** The two sides of a `workflows` / `reference_data` finding, as JSON text (`null` when absent). */
export const findingValues = (from: string, to: string, area: Area, keyParts: KeyParts) =>
  call<ValuePair>("finding_values", { from, to, area, keyParts });

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
