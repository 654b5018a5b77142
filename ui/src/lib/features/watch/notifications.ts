//! Clicks on the expiry watch's desktop notifications. The Rust side (src-tauri/app/watch.rs)
//! shows them and, on a click or their "Reconnect…" button, brings the window forward and
//! emits `reconnect-open` with the environment; the window then opens that environment's page
//! and its reconnect wizard.
import { listen } from "@tauri-apps/api/event";
import { inTauri } from "../../ipc";
import type { Also } from "../reconnect/open.svelte";

/** The event src-tauri/app/watch.rs emits (`RECONNECT_OPEN`). */
export const RECONNECT_OPEN = "reconnect-open";

export type ReconnectOpen = { env: string; provider?: string | null; account?: string | null };

/**
 * Calls `open(env, also)` for every notification clicked while the window runs (`also`: the
 * notified integration, for the wizard's list); answers a function that stops listening.
 * Outside the app (dev server, tests) nothing is ever emitted.
 */
export function onReconnectOpen(
  open: (env: string, also: Also | null) => void,
  subscribe = inTauri ? listen : null,
): () => void {
  if (!subscribe) return () => {};
  let stop: (() => void) | null = null;
  let stopped = false;
  void subscribe<ReconnectOpen>(RECONNECT_OPEN, (e) => {
    const p = e.payload;
    if (typeof p?.env !== "string" || !p.env) return;
    const also = typeof p.provider === "string" && p.provider ? { provider: p.provider, account: p.account || null } : null;
    open(p.env, also);
  }).then(
    (unlisten) => {
      if (stopped) unlisten();
      else stop = unlisten;
    },
    (e: unknown) => console.warn("notification clicks will not open the wizard:", e),
  );
  return () => {
    stopped = true;
    stop?.();
  };
}
