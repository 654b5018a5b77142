//! Development only (`npm run dev` in a browser, and the UI tests): answers the window's
//! commands from fixtures/demo.json, which tests/fixtures.rs records from the real engine on
//! the demo workspace, so the fake never disagrees with the engine. It keeps only the state
//! a session changes (secrets set or deleted, a URL moved to the keychain) and re-implements
//! nothing else. The sync commands are the exception: their plans are made up here from the
//! selection (hand-made, not recorded), an apply only adds to this session's history, and an
//! undo deletes every row of it (nothing is ever kept here).
//! The production build does not contain this file (tests/fixtures.rs checks).
import type { AppError } from "./bindings/AppError";
import type { ApplyReport } from "./bindings/ApplyReport";
import type { Plan } from "./bindings/Plan";
import type { SyncRecord } from "./bindings/SyncRecord";
import type { SyncSelection } from "./bindings/SyncSelection";
import type { UndoPreview } from "./bindings/UndoPreview";
import type { UndoRecord } from "./bindings/UndoRecord";
import type { UndoReport } from "./bindings/UndoReport";
import type { Area } from "./bindings/Area";
import type { AreaReport } from "./bindings/AreaReport";
import type { Command } from "./bindings/commands";
import type { EnvDetail } from "./bindings/EnvDetail";
import type { EnvStatus } from "./bindings/EnvStatus";
import type { EnvSummary } from "./bindings/EnvSummary";
import type { ParityGrid } from "./bindings/ParityGrid";
import type { ProgressEvent } from "./bindings/ProgressEvent";
import type { SecretEntry } from "./bindings/SecretEntry";
import type { Sides } from "./bindings/Sides";
import type { ValuePair } from "./bindings/ValuePair";
import type { WatchSettings } from "./bindings/WatchSettings";
import type { WorkspaceView } from "./bindings/WorkspaceView";
import type { Channels } from "./ipc";
import recorded from "./fixtures/demo.json";
import * as reconnect from "./fake-reconnect";
import * as fakeWorkspace from "./fake-workspace";
import type { DatabaseInput } from "./bindings/DatabaseInput";
import type { NewWorkspace } from "./bindings/NewWorkspace";

/** The shape tests/fixtures.rs writes; pairs of environments are keyed `from/to`. */
export type DemoFixture = {
  /** The instant the recording's times are relative to. */
  now: string;
  workspace: WorkspaceView;
  secrets: SecretEntry[];
  status: Record<string, EnvStatus>;
  detail: Record<string, EnvDetail>;
  compare: Record<string, Record<Area, AreaReport>>;
  parity: ParityGrid;
  values: Record<string, Partial<Record<Area, Record<string, ValuePair>>>>;
  /** The compare drawer's side-by-side view of schema, migration and config findings, by finding key. */
  sides: Record<string, Partial<Record<Area, Record<string, Sides>>>>;
};

export const demo = recorded as unknown as DemoFixture;

/** Named in every error only the fake gives; tests/fixtures.rs fails if ui/dist contains it. */
const SOURCE = "envdeck-fake-backend";

const copy = <T>(v: T): T => structuredClone(v);

// Enough latency in `npm run dev` to see spinners; none under Vitest.
const LATENCY_MS = import.meta.env.MODE === "test" ? 0 : 250;
const sleep = () => new Promise((r) => setTimeout(r, LATENCY_MS * (0.5 + Math.random())));

/** Worded like `progress::cancelled`. */
const CANCELLED: AppError = {
  code: "cancelled",
  message: "cancelled: nothing was changed; run it again when you are ready",
  retryable: false,
};

const fail = (code: AppError["code"], message: string): AppError => ({ code, message, retryable: false });

// Session state: what the user can change from the window.
let workspace: WorkspaceView = copy(demo.workspace);
let secrets: SecretEntry[] = copy(demo.secrets);
let syncs: SyncRecord[] = [];
let undos: UndoRecord[] = [];
// Like `api::expiry::WatchSettings::default()`.
const WATCH_DEFAULT: WatchSettings = { enabled: true, interval_minutes: 30 };
let watch: WatchSettings = { ...WATCH_DEFAULT };
// Like `api::ops::Operations`: running calls by operation id, and the ids cancelled.
const running = new Map<string, Set<() => void>>();
const cancelled = new Set<string>();

/** Back to the recording (tests). */
export function resetFake(): void {
  workspace = copy(demo.workspace);
  secrets = copy(demo.secrets);
  syncs = [];
  undos = [];
  watch = { ...WATCH_DEFAULT };
  running.clear();
  cancelled.clear();
  reconnect.resetFakeReconnect();
}

/** Like `workspace::load` on the path the window sent: the fake knows one workspace. */
function checkWorkspace(path: unknown): void {
  if (path !== workspace.path)
    throw fail("workspace_not_found", `${String(path)}: the dev fake knows the demo workspace only (${SOURCE})`);
}

/** Waits the fake's latency, or rejects with `cancelled` once `operation` is cancelled. */
function work(operation: unknown): Promise<void> {
  const id = String(operation);
  if (cancelled.has(id)) return Promise.reject(CANCELLED);
  return new Promise((resolve, reject) => {
    const calls = running.get(id) ?? new Set();
    running.set(id, calls);
    const stop = () => {
      calls.delete(stop);
      reject(CANCELLED);
    };
    calls.add(stop);
    void sleep().then(() => {
      calls.delete(stop);
      if (calls.size === 0) running.delete(id);
      resolve();
    });
  });
}

function cancelOperation(operation: unknown): null {
  const id = String(operation);
  cancelled.add(id);
  for (const stop of running.get(id) ?? []) stop();
  running.delete(id);
  return null;
}

/** Worded like `Workspace::environment`. */
function findEnv(env: unknown): EnvSummary {
  const found = workspace.environments.find((e) => e.name === env);
  if (!found) {
    const known = workspace.environments.map((e) => e.name).join(", ");
    throw fail("invalid_input", `no environment named "${String(env)}" in ${workspace.path}: known environments are ${known}`);
  }
  return found;
}

/** The recording's times moved to now, so "expires in 2 days" stays true whenever this runs. */
function shifted(iso: string | null): string | null {
  if (iso === null) return null;
  const t = Date.parse(iso) + (Date.now() - Date.parse(demo.now));
  return new Date(t).toISOString().replace(/\.\d{3}Z$/, "Z");
}

function detail(env: string): EnvDetail {
  const d = copy(demo.detail[env]);
  for (const r of d.integrations) r.expires_at = shifted(r.expires_at);
  for (const w of d.workflows) w.last_run_at = shifted(w.last_run_at);
  return d;
}

function recordedPair<T>(table: Record<string, T>, from: unknown, to: unknown): T {
  const a = findEnv(from);
  const b = findEnv(to);
  const pair = table[`${a.name}/${b.name}`];
  if (!pair) throw fail("invalid_input", `${a.name} and ${b.name}: no recording for this pair (${SOURCE})`);
  return pair;
}

/** Like `workspace::move_url_to_keychain`: the keychain first, then envdeck.toml; the warning goes with the URL. */
function moveUrlToKeychain(env: unknown): WorkspaceView {
  const e = findEnv(env);
  if (e.database.type !== "url")
    throw fail("invalid_input", `the database of ${e.name} is not a URL written in envdeck.toml: there is nothing to move`);
  const moved: EnvSummary = { ...e, database: { type: "secret", name: "DATABASE_URL" } };
  const existing = secrets.find((s) => s.env === e.name && s.name === "DATABASE_URL");
  if (existing) Object.assign(existing, { is_set: true, used_by: "database" });
  else secrets.push({ env: e.name, name: "DATABASE_URL", is_set: true, used_by: "database" });
  // A new object, so the app sees the change.
  workspace = {
    ...workspace,
    warnings: workspace.warnings.filter((w) => !(w.can_move_to_keychain && w.env === e.name)),
    environments: workspace.environments.map((x) => (x.name === e.name ? moved : x)),
  };
  return copy(workspace);
}

/** Like `SecretRef::new`'s check. */
function validSecretName(name: unknown): name is string {
  return typeof name === "string" && /^[A-Za-z0-9_.-]{1,128}$/.test(name);
}

/** A plan with one insert per selected key and a fingerprint of the selection (not the engine's). */
function fakePlan(from: unknown, to: unknown, selections: SyncSelection[], withParents: boolean, activate: boolean): Plan {
  const a = findEnv(from).name;
  const b = findEnv(to).name;
  if (a === b) throw fail("invalid_input", "--from and --to are the same environment: pick the one to copy into");
  const tables = selections.map((s) => ({
    table: s.table,
    columns: [{ column: "key", ty: "text" }],
    omitted: [{ column: "id", reason: "generated by the target (a surrogate key)" }],
    overriding: false,
    inserts: s.keys.map((key) => ({
      key,
      values: [key.join("/")],
      remapped: [],
      credentials: [],
      parent: false,
    })),
  }));
  const sql = tables.flatMap((t) =>
    t.inserts.map((i) => `INSERT INTO ${t.table} (key) VALUES ('${i.key.join("/")}') ON CONFLICT DO NOTHING RETURNING *`),
  );
  let h = 0x811c9dc5;
  for (const c of JSON.stringify([b, selections])) h = Math.imul(h ^ c.charCodeAt(0), 16777619) >>> 0;
  const full = h.toString(16).padStart(8, "0").repeat(8);
  return {
    from: a,
    to: b,
    target_identity: `fake:${b}`,
    tables,
    blockers: [],
    warnings: [],
    parents_added: [],
    sql,
    fingerprint: full.slice(0, 8),
    fingerprint_full: full,
    selections,
    with_parents: withParents,
    activate,
    spans: tables.flatMap((t, n) => t.inserts.map((_, first) => ({ table: n, first, rows: 1 }))),
    checked: [],
  };
}

/** Like `api::sync::apply`'s confirmation check; journaled in this session only. */
function fakeApply(plan: Plan, confirmEnv: unknown, fingerprint: unknown): ApplyReport {
  const refused =
    confirmEnv !== plan.to
      ? `the confirmation names "${String(confirmEnv)}", but this plan writes into ${plan.to}: type ${plan.to} to confirm`
      : fingerprint !== plan.fingerprint && fingerprint !== plan.fingerprint_full
        ? `fingerprint "${String(fingerprint)}" is not this plan's (${plan.fingerprint})`
        : "";
  const at = new Date().toISOString().replace(/\.\d{3}Z$/, "Z");
  const record: SyncRecord = {
    sync_id: `${at.replace(/[^0-9T]/g, "")}-fake${syncs.length}`,
    at,
    os_user: "you",
    workspace: workspace.name,
    from: plan.from,
    to: plan.to,
    target_identity: plan.target_identity,
    fingerprint: plan.fingerprint,
    outcome: refused ? "refused" : "applied",
    reason: refused,
    tables: refused
      ? []
      : plan.tables.map((t) => ({ table: t.table, rows: t.inserts.map((i) => ({ key: i.key, pk: [null], hash: "" })) })),
  };
  syncs = [record, ...syncs];
  return {
    sync_id: record.sync_id,
    outcome: record.outcome,
    reason: record.reason,
    from: record.from,
    to: record.to,
    fingerprint: record.fingerprint,
    inserted: Object.fromEntries(record.tables.map((t) => [t.table, t.rows.length])),
  };
}

/** Like `api::sync_undo::target`: an applied sync of this session. */
function undoTarget(syncId: unknown): SyncRecord {
  const sync = syncs.find((s) => s.sync_id === syncId);
  if (!sync) throw fail("invalid_input", `no sync "${String(syncId)}" in ${workspace.name}'s journal (${SOURCE})`);
  if (sync.outcome !== "applied")
    throw fail("invalid_input", `sync ${sync.sync_id} was ${sync.outcome}: it wrote nothing, so there is nothing to undo`);
  return sync;
}

const undoneOf = (syncId: string) => undos.find((u) => u.sync_id === syncId && u.outcome === "undone");

/** Every row of the sync deleted, children (later tables) first; a fingerprint of the sync id. */
function fakeUndoPreview(syncId: unknown): UndoPreview {
  const sync = undoTarget(syncId);
  const done = undoneOf(sync.sync_id);
  if (done)
    return {
      sync_id: sync.sync_id,
      to: sync.to,
      noop: `sync ${sync.sync_id} was already undone (${done.undo_id} at ${done.at}): nothing left to delete`,
      plan: null,
    };
  const tables = [...sync.tables].reverse();
  const del = tables.flatMap((t) => t.rows.map((r) => ({ table: t.table, key: r.key, pk: r.pk, hash: r.hash })));
  let h = 0x811c9dc5;
  for (const c of `undo ${sync.sync_id}`) h = Math.imul(h ^ c.charCodeAt(0), 16777619) >>> 0;
  const full = h.toString(16).padStart(8, "0").repeat(8);
  return {
    sync_id: sync.sync_id,
    to: sync.to,
    noop: null,
    plan: {
      sync_id: sync.sync_id,
      to: sync.to,
      target_identity: sync.target_identity,
      blocked: null,
      delete: del,
      kept: [],
      sql: del.map((r) => `DELETE FROM ${r.table} WHERE key = '${r.key.join("/")}'`),
      fingerprint: full.slice(0, 8),
      fingerprint_full: full,
    },
  };
}

/** Like `api::sync_undo::undo`'s confirmation check; journaled in this session only. */
function fakeUndo(syncId: unknown, confirmEnv: unknown, fingerprint: unknown): UndoReport {
  const preview = fakeUndoPreview(syncId);
  const sync = undoTarget(syncId);
  const earlier = undos.filter((u) => u.sync_id === sync.sync_id).length;
  const report: UndoReport = {
    undo_id: `${sync.sync_id}-undo${earlier + 1}`,
    sync_id: sync.sync_id,
    to: sync.to,
    outcome: "noop",
    reason: preview.noop ?? "",
    fingerprint: String(fingerprint ?? ""),
    deleted: {},
    kept: [],
  };
  const plan = preview.plan;
  if (!plan) return report;
  const refused =
    confirmEnv !== sync.to
      ? `the confirmation names "${String(confirmEnv)}", but this undo deletes from ${sync.to}: type ${sync.to} to confirm`
      : fingerprint !== plan.fingerprint && fingerprint !== plan.fingerprint_full
        ? `fingerprint "${String(fingerprint)}" is not this undo's (${plan.fingerprint})`
        : "";
  const at = new Date().toISOString().replace(/\.\d{3}Z$/, "Z");
  undos.push({
    undo_id: report.undo_id,
    sync_id: sync.sync_id,
    at,
    os_user: "you",
    workspace: workspace.name,
    env: sync.to,
    target_identity: sync.target_identity,
    fingerprint: refused ? report.fingerprint : plan.fingerprint,
    outcome: refused ? "refused" : "undone",
    reason: refused,
    deleted: refused ? [] : plan.delete,
    kept: [],
  });
  report.outcome = refused ? "refused" : "undone";
  report.reason = refused;
  if (!refused) {
    report.fingerprint = plan.fingerprint;
    for (const r of plan.delete) report.deleted[r.table] = (report.deleted[r.table] ?? 0) + 1;
  }
  return report;
}

// Every other command names the workspace it acts on.
const NO_WORKSPACE: Command[] = [
  "workspace_current",
  "workspace_open",
  "cancel_operation",
  "watch_settings",
  "watch_settings_set",
  "workspace_recent",
  "workspace_check_new",
  "workspace_create",
];

async function answer(cmd: Command, args: Record<string, unknown>, channels: Channels): Promise<unknown> {
  if (!NO_WORKSPACE.includes(cmd)) checkWorkspace(args.workspace);
  switch (cmd) {
    case "workspace_current":
      return copy(workspace);
    case "workspace_open":
      if (args.path === workspace.path) return copy(workspace);
      throw fail("workspace_not_found", `${String(args.path)}: the dev fake knows the demo workspace only (${SOURCE})`);
    case "workspace_move_url_to_keychain":
      return moveUrlToKeychain(args.env);
    case "environment_status":
      return copy(demo.status[findEnv(args.env).name]);
    case "environment_detail":
      return detail(findEnv(args.env).name);
    case "compare_area": {
      const progress = (channels.onProgress ?? (() => {})) as (e: ProgressEvent) => void;
      const from = findEnv(args.from).name;
      const to = findEnv(args.to).name;
      progress({ event: "started", label: `reading ${from} and ${to}`, total: null });
      await work(args.operation);
      progress({ event: "finished" });
      const report = recordedPair(demo.compare, args.from, args.to)[args.area as Area];
      if (!report) throw fail("invalid_input", `no comparison area named ${String(args.area)} (${SOURCE})`);
      return copy(report);
    }
    case "cancel_operation":
      return cancelOperation(args.operation);
    case "integration_parity":
      return copy(demo.parity);
    case "finding_values": {
      // Findings are looked up by their structured key, as the engine does.
      const wanted = JSON.stringify(args.keyParts);
      const report = recordedPair(demo.compare, args.from, args.to)[args.area as Area];
      const finding = report?.findings.find((f) => JSON.stringify(f.key_parts) === wanted);
      const pair = finding && recordedPair(demo.values, args.from, args.to)[args.area as Area]?.[finding.key];
      if (!pair) throw fail("invalid_input", `no values recorded for ${wanted} in ${String(args.area)} (${SOURCE})`);
      return copy(pair);
    }
    case "sync_plan":
      return fakePlan(args.from, args.to, args.selections as SyncSelection[], Boolean(args.withParents), Boolean(args.activate));
    case "sync_apply": {
      const progress = (channels.onProgress ?? (() => {})) as (e: ProgressEvent) => void;
      progress({ event: "started", label: "inserting", total: null });
      await work(args.operation);
      progress({ event: "finished" });
      return fakeApply(args.plan as Plan, args.confirmEnv, args.fingerprint);
    }
    case "sync_log":
      return copy(syncs);
    case "sync_undo_preview":
      return fakeUndoPreview(args.syncId);
    case "sync_undo": {
      const progress = (channels.onProgress ?? (() => {})) as (e: ProgressEvent) => void;
      progress({ event: "started", label: "deleting", total: null });
      await work(args.operation);
      progress({ event: "finished" });
      return fakeUndo(args.syncId, args.confirmEnv, args.fingerprint);
    }
    case "sync_undos":
      return copy(undos);
    case "reconnect_plan":
      return reconnect.fakePlan(workspace.name, findEnv(args.env), workspace.environments, demo.parity);
    case "reconnect_remove":
      return reconnect.fakeRemove(workspace.name, findEnv(args.env), args.provider);
    case "reconnect_add":
      return reconnect.fakeAdd(workspace.name, findEnv(args.env), args.provider, args.account);
    case "reconnect_open":
      findEnv(args.env);
      return null;
    case "reconnect_watch": {
      const progress = (channels.onProgress ?? (() => {})) as (e: ProgressEvent) => void;
      const env = findEnv(args.env).name;
      return reconnect.fakeWatch(env, args.provider, () => work(args.operation), progress);
    }
    case "reconnect_skip":
      return reconnect.fakeSkip(findEnv(args.env).name, args.provider);
    case "reconnect_accept":
      return reconnect.fakeAccept(findEnv(args.env).name, args.provider);
    case "reconnect_summary":
      return reconnect.fakeSummary(findEnv(args.env).name, false);
    case "reconnect_finish":
      return reconnect.fakeSummary(findEnv(args.env).name, true);
    case "secrets_list":
      return copy(secrets);
    case "secret_set": {
      findEnv(args.env);
      if (!validSecretName(args.name))
        throw fail("invalid_input", `secret name "${String(args.name)}" is not valid: use letters, digits, '_', '-' or '.' (at most 128)`);
      const existing = secrets.find((s) => s.env === args.env && s.name === args.name);
      if (existing) existing.is_set = true;
      else secrets.push({ env: String(args.env), name: args.name, is_set: true, used_by: null });
      return null;
    }
    case "secret_delete": {
      const i = secrets.findIndex((s) => s.env === args.env && s.name === args.name);
      if (i >= 0) {
        if (secrets[i].used_by) secrets[i].is_set = false;
        else secrets.splice(i, 1);
      }
      return null;
    }
    case "watch_settings":
      return { ...watch };
    case "watch_settings_set": {
      // The range `api::expiry::set_settings` accepts.
      const next = args.settings as WatchSettings;
      if (next.interval_minutes < 5 || next.interval_minutes > 1440)
        throw fail("invalid_input", `check every ${next.interval_minutes} minutes is out of range: pick between 5 and 1440 minutes`);
      watch = { ...next };
      return { ...watch };
    }
    // ── details: the dashboard's and the compare screen's drawers ──
    case "integration_detail":
    case "workflow_detail": {
      // The dashboard's drawers, as recorded for every row of the demo; times moved like the dashboard's.
      type Drawers = {
        integrations: Record<string, import("./bindings/IntegrationDetail").IntegrationDetail>;
        workflows: Record<string, import("./bindings/WorkflowDetail").WorkflowDetail>;
      };
      const env = findEnv(args.env).name;
      const drawers = (demo as unknown as { drawers: Record<string, Drawers> }).drawers[env];
      if (cmd === "workflow_detail") {
        const w = drawers?.workflows[String(args.key)];
        if (!w) throw fail("invalid_input", `no workflow "${String(args.key)}" in ${env} any more: Refresh the dashboard (${SOURCE})`);
        const d = copy(w);
        for (const r of d.last_runs) {
          r.started_at = shifted(r.started_at);
          r.finished_at = shifted(r.finished_at);
        }
        d.last_failure_at = shifted(d.last_failure_at);
        return d;
      }
      const i = drawers?.integrations[`${String(args.provider)}/${args.account == null ? "" : String(args.account)}`];
      if (!i) throw fail("invalid_input", `no integration "${String(args.provider)}" in ${env} any more: Refresh the dashboard (${SOURCE})`);
      const d = copy(i);
      for (const f of d.fields) if (f.key === "expires_at") f.value = shifted(f.value);
      return d;
    }

    case "finding_sides": {
      // Like finding_values: the recorded answer of the finding with this structured key.
      const wanted = JSON.stringify(args.keyParts);
      const report = recordedPair(demo.compare, args.from, args.to)[args.area as Area];
      const finding = report?.findings.find((f) => JSON.stringify(f.key_parts) === wanted && f.kind === args.kind);
      const sides = finding && recordedPair(demo.sides, args.from, args.to)[args.area as Area]?.[finding.key];
      if (!sides) throw fail("invalid_input", `no side-by-side view recorded for ${wanted} in ${String(args.area)} (${SOURCE})`);
      return copy(sides);
    }

    // ── desktop: export, recent workspaces, theme ──
    case "workspace_recent":
      // Only the demo is ever opened here; a workspace the window opened before, since deleted, shows as missing.
      return [
        { path: workspace.path, name: workspace.name, missing: false },
        { path: "/home/you/old-shop/envdeck.toml", name: "old-shop", missing: true },
      ];
    case "export_findings": {
      // A browser cannot write the file: answer what the engine would have written.
      const reports = Object.values(recordedPair(demo.compare, args.from, args.to));
      return reports.reduce((n, r) => n + (r?.findings.length ?? 0), 0);
    }

    // ── workspace editing ──
    case "workspace_check_new":
      return fakeWorkspace.fakeCheckNew(args.input as NewWorkspace, { workspace: workspace.name, secrets });
    case "workspace_create":
      return fakeWorkspace.fakeCreate(args.input as NewWorkspace, { workspace: workspace.name, secrets });
    case "workspace_set_database":
      findEnv(args.env);
      workspace = fakeWorkspace.fakeSetDatabase(workspace, String(args.env), args.database as DatabaseInput);
      return copy(workspace);

    default: {
      // A command added in Rust fails `npm run check` here until the fake answers it.
      const unknown: never = cmd;
      throw fail("internal", `\`${String(unknown)}\` is not answered by ${SOURCE}: record it in tests/fixtures.rs`);
    }
  }
}

export async function fakeInvoke(cmd: Command, args: Record<string, unknown>, channels: Channels = {}): Promise<unknown> {
  // compare_area waits in `work`, where a cancel can reach it; a cancel is not held up.
  if (cmd !== "compare_area" && cmd !== "sync_apply" && cmd !== "sync_undo" && cmd !== "reconnect_watch" && cmd !== "cancel_operation")
    await sleep();
  return answer(cmd, args, channels);
}
