//! An in-browser stand-in for the Rust commands, used only when the page runs outside Tauri
//! (`npm run dev` / `vite preview`). It exercises the slow, failing and expired paths on purpose.
import type { AppError } from "./bindings/AppError";
import type { EnvDetail } from "./bindings/EnvDetail";
import type { EnvStatus } from "./bindings/EnvStatus";
import type { EnvSummary } from "./bindings/EnvSummary";
import type { IntegrationRow } from "./bindings/IntegrationRow";
import type { SecretEntry } from "./bindings/SecretEntry";
import type { WorkflowRow } from "./bindings/WorkflowRow";
import type { WorkspaceView } from "./bindings/WorkspaceView";

const MIN = 60;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

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
    app_url: "https://staging.acme-shop.app",
    database: { type: "env", var: "STAGING_DATABASE_URL", is_set: true },
    env_file: ".env.staging",
  },
  {
    name: "prod",
    kind: "production",
    protected: true,
    app_url: "https://acme-shop.app",
    database: { type: "secret", name: "DATABASE_URL" },
    env_file: ".env.production",
  },
];

let workspace: WorkspaceView = {
  path: "/home/me/.local/share/envdeck/demo/envdeck.toml",
  name: "acme-shop",
  is_demo: true,
  warnings: [
    "envdeck.toml:7: the database URL of `dev` contains a password. Move it to the keychain with `envdeck secret set dev DATABASE_URL` and reference it as `database = { secret = \"DATABASE_URL\" }`.",
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

function integration(
  provider: string,
  account: string | null,
  status: string,
  expiresIn: number | null,
  updatedAgo: number,
): IntegrationRow {
  return {
    provider,
    account,
    status,
    healthy: status === "connected" && (expiresIn === null || expiresIn > 0),
    expires_at: expiresIn === null ? null : iso(expiresIn),
    expires_in_seconds: expiresIn,
    updated_at: iso(-updatedAgo),
  };
}

function workflow(
  key: string,
  name: string,
  active: boolean,
  runs: number,
  failures: number,
  lastRunAgo: number | null,
  lastStatus: string | null,
  updatedAgo: number,
): WorkflowRow {
  return {
    key,
    name,
    active,
    runs,
    failures,
    last_run_at: lastRunAgo === null ? null : iso(-lastRunAgo),
    last_run_status: lastStatus,
    updated_at: iso(-updatedAgo),
  };
}

function integrationsOf(env: string): IntegrationRow[] {
  if (env === "dev") {
    return [
      integration("google", "dev@acme-shop.app", "connected", 50 * MIN, 10 * MIN),
      integration("github", "acme-shop-bot", "connected", null, 12 * DAY),
      integration("slack", "acme-dev.slack.com", "connected", 20 * DAY, 3 * DAY),
      integration("twitter", "@acmeshop_dev", "connected", 90 * MIN, 30 * MIN),
      integration("stripe", "acct_test_51Hx", "connected", null, 40 * DAY),
      integration("notion", "Acme Dev", "connected", null, 6 * DAY),
      integration("linkedin", "dev@acme-shop.app", "connected", 40 * DAY, 20 * DAY),
      integration("hubspot", "portal 4412", "connected", 5 * HOUR, 2 * HOUR),
      integration("mailchimp", "acme-dev", "expired", -2 * DAY, 9 * DAY),
      integration("discord", "Acme#dev", "connected", null, 15 * DAY),
    ];
  }
  return [
    integration("google", "ops@acme-shop.app", "connected", 45 * MIN, 15 * MIN),
    integration("github", "acme-shop-bot", "connected", null, 30 * DAY),
    integration("slack", "acme.slack.com", "expired", -2 * DAY, 32 * DAY),
    integration("stripe", "acct_1Hx9", "connected", null, 90 * DAY),
    integration("notion", "Acme", "connected", null, 14 * DAY),
    integration("linkedin", "ops@acme-shop.app", "connected", 3 * DAY + HOUR, 57 * DAY),
    integration("hubspot", "portal 9921", "error", null, 4 * HOUR),
    integration("facebook", "Acme Shop page", "connected", 55 * DAY, 5 * DAY),
    integration("mailchimp", "acme", "connected", null, 61 * DAY),
    integration("discord", "Acme#0001", "revoked", null, 8 * DAY),
  ];
}

function workflowsOf(env: string): WorkflowRow[] {
  if (env === "dev") {
    return [
      workflow("welcome-email", "Welcome email sequence", true, 1240, 12, 25 * MIN, "success", 2 * DAY),
      workflow("lead-sync", "HubSpot lead sync", true, 380, 41, 3 * HOUR, "error", 1 * DAY),
      workflow("daily-digest", "Daily digest", false, 0, 0, null, null, 9 * DAY),
      workflow("tweet-scheduler", "Tweet scheduler", true, 56, 0, 2 * HOUR, "success", 4 * DAY),
    ];
  }
  return [
    workflow("welcome-email", "Welcome email sequence", true, 18420, 96, 4 * MIN, "success", 20 * DAY),
    workflow("lead-sync", "HubSpot lead sync", true, 5120, 12, 40 * MIN, "success", 20 * DAY),
    workflow("daily-digest", "Daily digest", true, 730, 0, 9 * HOUR, "success", 45 * DAY),
    workflow("invoice-reminders", "Invoice reminders", true, 210, 35, 1 * DAY, "error", 3 * DAY),
  ];
}

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

function validSecretName(name: unknown): name is string {
  return typeof name === "string" && /^[A-Za-z_][A-Za-z0-9_]*$/.test(name);
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
    case "environment_status":
      return status(args.env);
    case "environment_detail":
      return detail(args.env);
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
