//! Which environment's reconnect wizard is open, for every entry point (the parity grid's
//! chips, the dashboard's broken or expired rows, the Compare screen's integration
//! findings, a notification): they call `openReconnect(env)`, App.svelte shows the sheet,
//! and pages that show integrations reload when `reconnect.closed` changes.

/** An integration the wizard must list (a notified one, which may only be expiring). */
export type Also = { provider: string; account: string | null };

export const reconnect = $state<{ env: string | null; closed: number; also: Also | null }>({
  env: null,
  closed: 0,
  also: null,
});

/** Opens the wizard for `env` (it resumes saved progress by itself), with `also` on its list. */
export function openReconnect(env: string, also: Also | null = null): void {
  reconnect.env = env;
  reconnect.also = also;
}

/** Closes the wizard; what shows integrations refreshes. */
export function closeReconnect(): void {
  reconnect.env = null;
  reconnect.also = null;
  reconnect.closed += 1;
}
