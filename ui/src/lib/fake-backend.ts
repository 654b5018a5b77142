//! An in-browser stand-in for the Rust commands, used only when the page runs outside Tauri
//! (`npm run dev` / `vite preview`). It exercises the slow, failing and expired paths on purpose.
import type { AppError } from "./bindings/AppError";
import type { Area } from "./bindings/Area";
import type { AreaReport } from "./bindings/AreaReport";
import type { EnvDetail } from "./bindings/EnvDetail";
import type { EnvStatus } from "./bindings/EnvStatus";
import type { EnvSummary } from "./bindings/EnvSummary";
import type { Finding } from "./bindings/Finding";
import type { IntegrationRow } from "./bindings/IntegrationRow";
import type { ParityCell } from "./bindings/ParityCell";
import type { ParityGrid } from "./bindings/ParityGrid";
import type { SecretEntry } from "./bindings/SecretEntry";
import type { Severity } from "./bindings/Severity";
import type { ValuePair } from "./bindings/ValuePair";
import type { WorkflowRow } from "./bindings/WorkflowRow";
import type { WorkspaceView } from "./bindings/WorkspaceView";
import {
  DEFINITIONS,
  DEV_INTEGRATIONS,
  DEV_WORKFLOWS,
  PROD_INTEGRATIONS,
  PROD_WORKFLOWS,
  REFERENCE_ROWS,
  type DemoIntegration,
  type DemoWorkflow,
} from "./fake-demo-data";

const DAY = 24 * 60 * 60;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const jitter = (base: number) => sleep(base + Math.random() * base);
const fail = (code: AppError["code"], message: string, retryable = false): AppError => ({
  code,
  message,
  retryable,
});

const ENVIRONMENTS: EnvSummary[] = [
  {
    name: "dev",
    kind: "development",
    protected: false,
    app_url: "http://localhost:3000",
    database: { type: "url", display: "postgres://app:****@localhost:5432/acme_dev" },
    env_file: ".env.local",
  },
  {
    name: "staging",
    kind: "staging",
    protected: false,
    app_url: "https://staging.acme.test",
    database: { type: "env", var: "STAGING_DATABASE_URL", is_set: true },
    // No env file: the config area is not compared with staging (the "not configured" path).
    env_file: null,
  },
  {
    name: "prod",
    kind: "production",
    protected: true,
    app_url: "https://app.acme.test",
    database: { type: "secret", name: "DATABASE_URL" },
    env_file: ".env.production",
  },
];

let workspace: WorkspaceView = {
  path: "/home/me/.local/share/envdeck/demo/envdeck.toml",
  name: "acme",
  is_demo: true,
  warnings: [
    {
      message:
        "envdeck.toml:7: the database URL of dev contains a password in envdeck.toml: move it to the OS keychain with `envdeck secret move-url dev` (or Move to keychain in the window)",
      env: "dev",
      can_move_to_keychain: true,
    },
  ],
  environments: ENVIRONMENTS,
};

const secrets: SecretEntry[] = [
  { env: "dev", name: "OPENAI_API_KEY", is_set: true, used_by: null },
  { env: "prod", name: "DATABASE_URL", is_set: true, used_by: "database" },
  { env: "prod", name: "SMTP_PASSWORD", is_set: false, used_by: null },
];

function iso(offsetSeconds: number): string {
  return new Date(Date.now() + offsetSeconds * 1000).toISOString();
}

// The demo workspace's own rows (src-tauri/demo), so the dashboards and the compare agree.
function integration([provider, account, status, expiresIn, updatedAt]: DemoIntegration): IntegrationRow {
  return {
    provider,
    account,
    status,
    healthy: status === "connected" && (expiresIn === null || expiresIn > 0),
    expires_at: expiresIn === null ? null : iso(expiresIn),
    expires_in_seconds: expiresIn,
    updated_at: updatedAt,
  };
}

function workflow([name, active, runs, failures, lastRunAgo, lastStatus, updatedAt]: DemoWorkflow): WorkflowRow {
  return {
    key: name,
    name,
    active,
    runs,
    failures,
    last_run_at: lastRunAgo === null ? null : iso(-lastRunAgo),
    last_run_status: lastStatus,
    updated_at: updatedAt,
  };
}

const integrationsOf = (env: string): IntegrationRow[] =>
  (env === "dev" ? DEV_INTEGRATIONS : PROD_INTEGRATIONS).map(integration);

const workflowsOf = (env: string): WorkflowRow[] => (env === "dev" ? DEV_WORKFLOWS : PROD_WORKFLOWS).map(workflow);

function findEnv(env: unknown): EnvSummary {
  const found = workspace.environments.find((e) => e.name === env);
  if (!found) throw fail("invalid_input", `There is no environment named \`${String(env)}\` in this workspace.`);
  return found;
}

const UNREACHABLE =
  "Could not connect to staging-db.internal:5432 (connection refused). Check that the database is running and that you are on the VPN, then retry.";

async function status(env: unknown): Promise<EnvStatus> {
  const e = findEnv(env);
  const base = { name: e.name, kind: e.kind, protected: e.protected };
  if (e.name === "staging") {
    await sleep(1000);
    return {
      ...base,
      reachable: false,
      latency_ms: null,
      server_version: null,
      integrations: null,
      workflows: null,
      migrations: null,
      error: UNREACHABLE,
      error_code: "db_unreachable",
    };
  }
  await jitter(e.name === "prod" ? 350 : 120);
  return {
    ...base,
    reachable: true,
    latency_ms: e.name === "prod" ? 42 : 3,
    server_version: e.name === "prod" ? "PostgreSQL 15.6" : "PostgreSQL 16.3",
    integrations: integrationsOf(e.name).length,
    workflows: workflowsOf(e.name).length,
    migrations: { table: "_prisma_migrations", applied: e.name === "prod" ? 7 : 8 },
    error: null,
    error_code: null,
  };
}

async function detail(env: unknown): Promise<EnvDetail> {
  const e = findEnv(env);
  if (e.name === "staging") {
    await sleep(1000);
    throw fail("db_unreachable", UNREACHABLE, true);
  }
  await jitter(300);
  return {
    name: e.name,
    integrations: integrationsOf(e.name),
    workflows: workflowsOf(e.name),
    integrations_error: null,
    workflows_error: null,
  };
}

/** Like the Rust side: the keychain first, then envdeck.toml; the warning goes with the URL. */
async function moveUrlToKeychain(env: unknown): Promise<WorkspaceView> {
  await sleep(400);
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
  return workspace;
}

function validSecretName(name: unknown): name is string {
  return typeof name === "string" && /^[A-Za-z_][A-Za-z0-9_]*$/.test(name);
}

// ---- Compare: the demo's planted drift (src-tauri/demo/README.md), dev → prod. ----

const f = (area: Area, kind: string, key: string, severity: Severity, detail: string): Finding => ({
  area,
  kind,
  key,
  severity,
  detail,
});

/** What the Rust engine reports for the demo, worded the way it words it. */
function drift(from: string, to: string): Finding[] {
  if (from === "dev" && to === "prod") {
    return [
      f("integrations", "missing", "twitter/ana@acme.test", "warning", "twitter is connected in dev but has no connection in prod: connect it in prod (tokens are never copied between environments)"),
      f("integrations", "expired", "slack/ana@acme.test", "warning", "slack's token in prod expired 6 day(s) ago (status expired): reconnect it in prod"),
      f("integrations", "broken", "instagram/ben@acme.test", "warning", 'instagram in prod has status "needs_reauthorization": reconnect it in prod'),
      f("workflows", "missing", "Post new blog articles to X", "warning", "exists in dev but not in prod"),
      f("workflows", "changed", "Stripe failed payment follow-up", "warning", "definition: missing in prod nodes[Create HubSpot Task], connections.Notify #billing; changed nodes[Wait].parameters.amount"),
      f("workflows", "inactive", "Instagram comment auto-reply", "warning", "active in dev but inactive in prod"),
      f("schema", "missing_table", "api_keys", "warning", "table exists in dev but not in prod: a migration has not run there"),
      f("schema", "missing_index", "api_keys.api_keys_key_prefix_key", "warning", "index exists in dev but not in prod"),
      f("schema", "missing_index", "api_keys.api_keys_user_id_idx", "warning", "index exists in dev but not in prod"),
      f("migrations", "pending", "20261112153000_add_api_keys", "warning", "applied in dev (_prisma_migrations) but not in prod: run your migrations against prod"),
      f("reference_data", "missing", "roles/manager", "warning", "row exists in dev but not in prod"),
      f("reference_data", "missing", "notification_templates/team_invitation", "warning", "row exists in dev but not in prod"),
      f("reference_data", "changed", "notification_templates/welcome_email", "warning", "column(s) subject differ"),
      f("config", "missing_key", "TWITTER_CLIENT_ID", "warning", "set in dev (.env.local) but not in prod (.env.production)"),
      f("config", "missing_key", "TWITTER_CLIENT_SECRET", "warning", "set in dev (.env.local) but not in prod (.env.production)"),
      f("config", "extra_key", "SENTRY_DSN", "info", "set in prod (.env.production) only"),
      ...isolation(),
    ];
  }
  return [
    f("integrations", "extra", "twitter/ana@acme.test", "info", "twitter is connected in dev only"),
    f("workflows", "extra", "Post new blog articles to X", "info", "exists in dev only"),
    f("workflows", "changed", "Stripe failed payment follow-up", "warning", "definition: only in dev nodes[Create HubSpot Task], connections.Notify #billing; changed nodes[Wait].parameters.amount"),
    f("workflows", "changed", "Instagram comment auto-reply", "warning", "inactive in prod but active in dev"),
    f("schema", "extra_table", "api_keys", "info", "table exists in dev only"),
    f("migrations", "unknown", "20261112153000_add_api_keys", "warning", "applied in dev but not in prod: prod is behind, or dev ran a migration that is not in the code"),
    f("reference_data", "extra", "roles/manager", "info", "row exists in dev only"),
    f("reference_data", "extra", "notification_templates/team_invitation", "info", "row exists in dev only"),
    f("reference_data", "changed", "notification_templates/welcome_email", "warning", "column(s) subject differ"),
    f("config", "extra_key", "TWITTER_CLIENT_ID", "info", "set in dev (.env.local) only"),
    f("config", "extra_key", "TWITTER_CLIENT_SECRET", "info", "set in dev (.env.local) only"),
    f("config", "missing_key", "SENTRY_DSN", "warning", "set in prod (.env.production) but not in dev (.env.local)"),
    ...isolation(),
  ];
}

/** The isolation checks look at the pair, so they read the same in both directions. */
const isolation = (): Finding[] => [
  f("isolation", "shared_backend", "CONVEX_DEPLOYMENT", "critical", "CONVEX_DEPLOYMENT has the same value in dev and prod: prod is talking to dev's backend"),
  f("isolation", "shared_backend", "NEXT_PUBLIC_CONVEX_URL", "critical", "NEXT_PUBLIC_CONVEX_URL has the same value in dev and prod: prod is talking to dev's backend"),
  f("isolation", "local_url_in_protected", "NEXTAUTH_URL", "critical", "NEXTAUTH_URL in prod points at a local address (localhost, 127.0.0.1, *.local or ngrok): links and callbacks from prod will break"),
  f("isolation", "same_secret", "SLACK_CLIENT_SECRET", "critical", "SLACK_CLIENT_SECRET has the same value in dev and prod: give each environment its own secret"),
];

const AREA_DELAY: Record<Area, number> = {
  integrations: 450,
  workflows: 900,
  schema: 650,
  migrations: 300,
  reference_data: 1100,
  config: 200,
  isolation: 1500,
};

const DB_AREAS: Area[] = ["integrations", "workflows", "schema", "migrations", "reference_data"];

async function compareArea(from: unknown, to: unknown, area: unknown): Promise<AreaReport> {
  const a = findEnv(from);
  const b = findEnv(to);
  if (typeof area !== "string" || !(area in AREA_DELAY))
    throw fail("invalid_input", `There is no comparison area named \`${String(area)}\`.`);
  const which = area as Area;
  if (a.name === b.name) throw fail("invalid_input", "Pick two different environments to compare.");
  const delay = AREA_DELAY[which] + Math.round(Math.random() * 150);
  await sleep(delay);
  const report = (findings: Finding[], error: AppError | null = null, skipped: string | null = null): AreaReport => ({
    area: which,
    from: a.name,
    to: b.name,
    findings,
    error,
    skipped,
    duration_ms: delay,
  });
  // Worded like the Rust side's `not_configured`.
  const noEnvFile = [a, b].filter((e) => e.env_file === null).map((e) => e.name);
  if (which === "config" && noEnvFile.length > 0)
    return report(
      [],
      null,
      `not compared: ${noEnvFile.join(" and ")} ${noEnvFile.length === 1 ? "has" : "have"} no env_file in envdeck.toml (add env_file = "…" to compare config keys)`,
    );
  // staging's database is down: the areas read from it fail, each on its own.
  if (a.name === "staging" || b.name === "staging") {
    if (which === "integrations") return report([], fail("db_unreachable", UNREACHABLE, true));
    if (DB_AREAS.includes(which)) throw fail("db_unreachable", UNREACHABLE, true);
    return report([]);
  }
  return report(drift(a.name, b.name).filter((x) => x.area === which));
}

function parityCell(env: string, rows: IntegrationRow[], elsewhere: string | null): ParityCell {
  if (rows.length === 0) {
    return {
      env,
      state: "missing",
      accounts: 0,
      needs_reconnect: elsewhere !== null,
      detail: elsewhere ? `not connected; connected in ${elsewhere}` : "not connected",
    };
  }
  const broken = rows.find((r) => !r.healthy && (r.expires_in_seconds ?? 1) >= 0 && r.status !== "expired");
  const expired = rows.find((r) => (r.expires_in_seconds ?? 1) < 0 || r.status === "expired");
  const expiring = rows.find((r) => r.healthy && r.expires_in_seconds !== null && r.expires_in_seconds < 7 * DAY);
  const accounts = rows.length;
  if (broken) return { env, state: "broken", accounts, needs_reconnect: true, detail: `status ${broken.status}` };
  if (expired) {
    const days = Math.round(-(expired.expires_in_seconds ?? 0) / DAY);
    return { env, state: "expired", accounts, needs_reconnect: true, detail: `expired ${days} days ago` };
  }
  if (expiring) {
    const days = Math.round((expiring.expires_in_seconds ?? 0) / DAY);
    return { env, state: "expiring", accounts, needs_reconnect: false, detail: `expires in ${days} days` };
  }
  return { env, state: "healthy", accounts, needs_reconnect: false, detail: accounts > 1 ? `${accounts} accounts` : null };
}

async function parity(): Promise<ParityGrid> {
  await sleep(700);
  const names = workspace.environments.map((e) => e.name);
  const readable = names.filter((n) => n !== "staging");
  const rowsOf = Object.fromEntries(readable.map((n) => [n, integrationsOf(n)]));
  const providers = [...new Set(readable.flatMap((n) => rowsOf[n].map((r) => r.provider)))].sort();
  return {
    environments: names,
    rows: providers.map((provider) => ({
      provider,
      cells: readable.map((env) => {
        const elsewhere = readable.find((o) => o !== env && rowsOf[o].some((r) => r.provider === provider)) ?? null;
        return parityCell(env, rowsOf[env].filter((r) => r.provider === provider), elsewhere);
      }),
    })),
    errors: names.includes("staging") ? [{ env: "staging", error: fail("db_unreachable", UNREACHABLE, true) }] : [],
  };
}

async function findingValues(from: unknown, to: unknown, area: unknown, key: unknown): Promise<ValuePair> {
  const a = findEnv(from);
  const b = findEnv(to);
  await jitter(150);
  const source = area === "workflows" ? DEFINITIONS : area === "reference_data" ? REFERENCE_ROWS : null;
  const pair = source?.[String(key)];
  if (!pair || a.name === "staging" || b.name === "staging")
    throw fail("invalid_input", `There are no values to compare for \`${String(key)}\` in ${String(area)}.`);
  const side = (env: string) => {
    const v = env === "dev" ? pair.dev : pair.prod;
    if (v === null || v === undefined) return null;
    // Like the Rust side: a workflow is its on/off state plus its normalised definition, pretty-printed.
    const shown = area === "workflows" ? { active: !(env === "prod" && key === "Instagram comment auto-reply"), definition: v } : v;
    return JSON.stringify(shown, null, 2);
  };
  return { from_json: side(a.name), to_json: side(b.name) };
}

export async function fakeInvoke(cmd: string, args: Record<string, unknown>): Promise<unknown> {
  switch (cmd) {
    case "workspace_current":
      await sleep(80);
      return workspace;
    case "workspace_open": {
      await sleep(150);
      const path = String(args.path ?? "");
      if (!path.endsWith(".toml"))
        throw fail("workspace_invalid", `${path} is not a TOML file. Pick the envdeck.toml at the root of your project.`);
      if (path.includes("missing"))
        throw fail("workspace_not_found", `${path} does not exist. Pick an existing envdeck.toml.`);
      const parts = path.split(/[\\/]/);
      workspace = {
        path,
        name: parts.length > 1 ? parts[parts.length - 2] : "workspace",
        is_demo: false,
        warnings: [],
        environments: ENVIRONMENTS,
      };
      return workspace;
    }
    case "workspace_move_url_to_keychain":
      return moveUrlToKeychain(args.env);
    case "environment_status":
      return status(args.env);
    case "environment_detail":
      return detail(args.env);
    case "compare_area":
      return compareArea(args.from, args.to, args.area);
    case "integration_parity":
      return parity();
    case "finding_values":
      return findingValues(args.from, args.to, args.area, args.key);
    case "secrets_list":
      await jitter(120);
      return secrets.map((s) => ({ ...s }));
    case "secret_set": {
      await sleep(200);
      findEnv(args.env);
      if (!validSecretName(args.name))
        throw fail("invalid_input", "Secret names use letters, digits and underscores, e.g. SMTP_PASSWORD.");
      if (typeof args.value !== "string" || args.value.length === 0)
        throw fail("invalid_input", "The secret value is empty. Paste the value, then press Set.");
      const existing = secrets.find((s) => s.env === args.env && s.name === args.name);
      if (existing) existing.is_set = true;
      else secrets.push({ env: String(args.env), name: args.name, is_set: true, used_by: null });
      return null;
    }
    case "secret_delete": {
      await sleep(200);
      const i = secrets.findIndex((s) => s.env === args.env && s.name === args.name);
      if (i >= 0) {
        if (secrets[i].used_by) secrets[i].is_set = false;
        else secrets.splice(i, 1);
      }
      return null;
    }
    default:
      throw fail("internal", `The fake backend does not implement \`${cmd}\`.`);
  }
}
