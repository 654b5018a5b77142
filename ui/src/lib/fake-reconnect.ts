//! Development only, part of the dev fake (fake-backend.ts): the reconnect wizard. Its list
//! comes from the recorded parity grid (what needs reconnecting in that environment), its
//! progress is kept for the session, and every wait lands after the fake's latency
//! (nothing is connected for real). The production build does not contain this file.
import type { EnvSummary } from "./bindings/EnvSummary";
import type { ParityGrid } from "./bindings/ParityGrid";
import type { ProgressEvent } from "./bindings/ProgressEvent";
import type { ReconnectOutcome } from "./bindings/ReconnectOutcome";
import type { ReconnectReason } from "./bindings/ReconnectReason";
import type { ReconnectStep } from "./bindings/ReconnectStep";
import type { ReconnectSummary } from "./bindings/ReconnectSummary";
import type { ReconnectWizard } from "./bindings/ReconnectWizard";

/** Like `reconnect::urls::DEFAULT_REFUSE_LOCALHOST`. */
const REFUSE_LOCALHOST = ["twitter", "x", "facebook", "instagram"];

const wizards = new Map<string, ReconnectStep[]>();

export function resetFakeReconnect(): void {
  wizards.clear();
}

function step(env: EnvSummary, provider: string, account: string | null, reason: ReconnectReason, why: string): ReconnectStep {
  const app = env.app_url;
  const local = app !== null && /\/\/(localhost|127\.|\[::1\])/.test(app);
  return {
    provider,
    account,
    reason,
    why,
    url: app ? `${app}/api/integrations/${provider}/connect` : null,
    url_error: app
      ? null
      : { code: "invalid_input", message: `${env.name} has no app_url: set it in envdeck.toml`, retryable: false },
    advice:
      local && REFUSE_LOCALHOST.includes(provider)
        ? `${provider} refuses localhost redirect URIs: connect through a tunnel (e.g. an https URL forwarding to ${app}) or a staging deployment`
        : null,
    status: "pending",
    outcome: null,
  };
}

function wizardOf(env: EnvSummary, reference: string | null, steps: ReconnectStep[], resumed: boolean, ws: string): ReconnectWizard {
  const current = steps.findIndex((s) => s.status !== "landed" && s.status !== "skipped");
  return {
    workspace: ws,
    env: env.name,
    app_url: env.app_url,
    reference,
    steps,
    current: current < 0 ? null : current,
    resumed,
    errors: [],
    timeout_ms: 10 * 60 * 1000,
  };
}

export function fakePlan(ws: string, env: EnvSummary, envs: EnvSummary[], parity: ParityGrid): ReconnectWizard {
  const reference = envs.find((e) => e.kind === "development" && e.name !== env.name)?.name ?? null;
  const saved = wizards.get(env.name);
  if (saved) return wizardOf(env, reference, structuredClone(saved), true, ws);
  const steps: ReconnectStep[] = [];
  for (const row of parity.rows) {
    const cell = row.cells.find((c) => c.env === env.name);
    if (!cell?.needs_reconnect) continue;
    const reason: ReconnectReason = cell.state === "expired" ? "expired" : cell.state === "broken" ? "broken" : "missing";
    const why = cell.detail ?? (reason === "missing" ? `healthy in ${reference ?? "another environment"}, missing here` : reason);
    steps.push(step(env, row.provider, null, reason, why));
  }
  wizards.set(env.name, steps);
  return wizardOf(env, reference, structuredClone(steps), false, ws);
}

export function fakeRemove(ws: string, env: EnvSummary, provider: unknown): ReconnectWizard {
  const steps = (wizards.get(env.name) ?? []).filter((s) => s.provider !== provider);
  wizards.set(env.name, steps);
  return wizardOf(env, null, structuredClone(steps), true, ws);
}

export function fakeAdd(ws: string, env: EnvSummary, provider: unknown, account: unknown): ReconnectWizard {
  const steps = wizards.get(env.name) ?? [];
  const p = String(provider).trim();
  if (!steps.some((s) => s.provider === p))
    steps.push(step(env, p, typeof account === "string" && account ? account : null, "asked", "added by you"));
  wizards.set(env.name, steps);
  return wizardOf(env, null, structuredClone(steps), true, ws);
}

function record(env: string, o: ReconnectOutcome): void {
  const steps = wizards.get(env) ?? [];
  let s = steps.find((x) => x.provider === o.provider);
  if (!s) {
    s = { provider: o.provider, account: o.expected_account, reason: "asked", why: "asked for", url: null, url_error: null, advice: null, status: "pending", outcome: null };
    steps.push(s);
  }
  s.status = o.kind === "landed" ? "landed" : o.kind === "skipped" ? "skipped" : "failed";
  s.outcome = o;
  wizards.set(env, steps);
}

const outcome = (env: string, provider: string, kind: ReconnectOutcome["kind"], message: string, account: string | null): ReconnectOutcome => ({
  provider,
  kind,
  env,
  expected_account: account,
  account,
  landed_in: kind === "landed" ? env : null,
  landed_in_url: null,
  at: kind === "landed" ? new Date().toISOString() : null,
  message,
  warnings: [],
  elapsed_ms: 0,
});

/** Lands after `wait` (the fake's latency, cancellable). */
export async function fakeWatch(
  env: string,
  provider: unknown,
  wait: () => Promise<void>,
  progress: (e: ProgressEvent) => void,
): Promise<ReconnectOutcome> {
  const p = String(provider);
  const steps = wizards.get(env) ?? [];
  const s = steps.find((x) => x.provider === p);
  if (s) s.status = "waiting";
  progress({ event: "started", label: `waiting for ${env} to receive the ${p} connection`, total: null });
  progress({ event: "advanced", done: 0 });
  await wait();
  progress({ event: "finished" });
  const at = new Date().toTimeString().slice(0, 8);
  const o = outcome(env, p, "landed", `landed in ${env} at ${at}: connected, expires in 59 days`, s?.account ?? null);
  record(env, o);
  return o;
}

export function fakeSkip(env: string, provider: unknown): ReconnectOutcome {
  const p = String(provider);
  const s = wizards.get(env)?.find((x) => x.provider === p);
  const o = outcome(env, p, "skipped", `skipped: ${p} is still to reconnect in ${env}`, s?.account ?? null);
  record(env, o);
  return o;
}

export function fakeAccept(env: string, provider: unknown): null {
  const s = wizards.get(env)?.find((x) => x.provider === provider);
  if (s?.outcome?.kind !== "account_mismatch")
    throw { code: "invalid_input", message: `${String(provider)} in ${env} has no connection that landed as another account to accept`, retryable: false };
  s.status = "landed";
  return null;
}

export function fakeSummary(env: string, finish: boolean): ReconnectSummary {
  const steps = wizards.get(env) ?? [];
  if (finish) wizards.delete(env);
  return {
    env,
    landed: steps.filter((s) => s.status === "landed").map((s) => s.provider),
    skipped: steps.filter((s) => s.status === "skipped").map((s) => s.provider),
    failed: steps.flatMap((s) => (s.status === "failed" && s.outcome ? [s.outcome] : [])),
    pending: steps.filter((s) => s.status === "pending" || s.status === "waiting").map((s) => s.provider),
  };
}
