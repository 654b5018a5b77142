//! Development only, part of the dev fake (fake-backend.ts): the window's workspace writes.
//! The form is checked like `workspace::create::check_new` (the same fields, shorter
//! sentences, and a name whose secrets the fake's keychain already keeps); a new workspace
//! cannot be written from a browser, so creating one says so; a database source changed in
//! Settings changes the demo's view for the session. The production build does not contain
//! this file.
import type { AppError } from "./bindings/AppError";
import type { DatabaseInput } from "./bindings/DatabaseInput";
import type { DatabaseSourceView } from "./bindings/DatabaseSourceView";
import type { FieldProblem } from "./bindings/FieldProblem";
import type { NewWorkspace } from "./bindings/NewWorkspace";
import type { NewWorkspaceCheck } from "./bindings/NewWorkspaceCheck";
import type { SecretEntry } from "./bindings/SecretEntry";
import type { WorkspaceView } from "./bindings/WorkspaceView";

/** The fake's keychain: the secrets set for the one workspace it knows, by that workspace's name. */
export type FakeKeychain = { workspace: string; secrets: SecretEntry[] };

const SOURCE = "envdeck-fake-backend";
const NAME = /^[A-Za-z0-9_.-]{1,128}$/;

const invalid = (message: string): AppError => ({ code: "invalid_input", message, retryable: false });

/** Like `connectors::url_has_password`. */
function hasPassword(url: string): boolean {
  try {
    const u = new URL(url);
    return u.password !== "" || u.searchParams.has("password");
  } catch {
    return false;
  }
}

/** Like `connectors::mask_url` for one host. */
export function maskUrl(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@]*):[^@/]*@/i, "$1:****@");
}

/** Like `create::check_database`, without a file system: a SQLite path only has to be given. */
function checkDatabase(d: DatabaseInput): string | null {
  if (d.type === "sqlite") return d.path.trim() ? null : "choose the SQLite database file";
  if (d.type === "keychain" && !NAME.test(d.name.trim()))
    return `the secret name "${d.name}" is not valid: use letters, digits, '_', '-' or '.' (at most 128)`;
  const url = (d.url ?? "").trim();
  if (!url) return d.type === "url" ? "paste the database URL, e.g. postgres://app:password@db.example.com:5432/app" : null;
  if (url.startsWith("sqlite:")) return null;
  if (!/^postgres(ql)?:\/\//.test(url))
    return `${maskUrl(url)} is not a database URL envdeck reads: write postgres://user:password@host:5432/dbname (or choose SQLite file)`;
  return null;
}

/** Like `create::keychain_writes`: the secret each environment would store, by environment. */
function keychainWrites(input: NewWorkspace): [string, string][] {
  const out: [string, string][] = [];
  for (const e of input.environments) {
    const env = e.name.trim();
    if (!NAME.test(env)) continue;
    const d = e.database;
    if (d.type === "url" && hasPassword(d.url.trim())) out.push([env, "DATABASE_URL"]);
    else if (d.type === "keychain" && (d.url ?? "").trim()) out.push([env, d.name.trim()]);
  }
  return out;
}

/** Like `create::name_taken`: a workspace of the same name already keeps these secrets. */
function nameTaken(input: NewWorkspace, keychain: FakeKeychain | undefined): FieldProblem | null {
  const name = input.name.trim();
  if (!keychain || name !== keychain.workspace) return null;
  const envs = keychainWrites(input)
    .filter(([env, secret]) => keychain.secrets.some((s) => s.env === env && s.name === secret && s.is_set))
    .map(([env]) => env)
    .filter((env, i, all) => all.indexOf(env) === i);
  if (envs.length === 0) return null;
  const list = envs.length === 1 ? envs[0] : `${envs.slice(0, -1).join(", ")} and ${envs[envs.length - 1]}`;
  return {
    field: "name",
    message: `a workspace named "${name}" already keeps secrets for ${list} in the OS keychain, and creating this one would replace them: pick another name, or open that workspace instead`,
  };
}

export function fakeCheckNew(input: NewWorkspace, keychain?: FakeKeychain): NewWorkspaceCheck {
  const problems: FieldProblem[] = [];
  const path = input.path.trim();
  const file = path.endsWith(".toml") ? path : `${path.replace(/\/$/, "")}/envdeck.toml`;
  if (!path) problems.push({ field: "path", message: "choose where to save envdeck.toml (a folder, or a file name ending in .toml)" });
  else if (!path.startsWith("/")) problems.push({ field: "path", message: `${path} is not a full path: choose the folder with Browse…` });
  const name = input.name.trim();
  if (!name) problems.push({ field: "name", message: "give the workspace a name, e.g. acme" });
  else if (!NAME.test(name))
    problems.push({ field: "name", message: `the workspace name "${name}" is not valid: use letters, digits, '_', '-' or '.' (at most 128)` });
  else {
    const taken = nameTaken(input, keychain);
    if (taken) problems.push(taken);
  }
  if (input.environments.length === 0)
    problems.push({ field: "environments", message: "add at least one environment (e.g. dev, and prod)" });
  input.environments.forEach((e, i) => {
    const n = e.name.trim();
    if (!n) problems.push({ field: `environments.${i}.name`, message: "name this environment, e.g. dev or prod" });
    else if (!NAME.test(n))
      problems.push({
        field: `environments.${i}.name`,
        message: `the environment name "${n}" is not valid: use letters, digits, '_', '-' or '.' (at most 128)`,
      });
    else if (input.environments.slice(0, i).some((o) => o.name.trim() === n))
      problems.push({ field: `environments.${i}.name`, message: `another environment is already named ${n}: give each its own name` });
    if (e.kind === "production" && !e.protected)
      problems.push({
        field: `environments.${i}.protected`,
        message:
          "a production environment is always protected (read-only, written only through the guarded sync): keep it protected, or choose kind staging or development",
      });
    const why = checkDatabase(e.database);
    if (why) problems.push({ field: `environments.${i}.database`, message: why });
  });
  return { file, exists: false, problems };
}

export function fakeCreate(input: NewWorkspace, keychain?: FakeKeychain): never {
  const problems = fakeCheckNew(input, keychain).problems;
  if (problems.length) throw invalid(`nothing was written: ${problems.map((p) => `${p.field}: ${p.message}`).join("; ")}`);
  throw {
    code: "io",
    message: `the browser preview cannot write ${fakeCheckNew(input).file}: run envdeck itself to create a workspace (${SOURCE})`,
    retryable: false,
  } satisfies AppError;
}

/** Like `api::workspace::set_database` on the demo: the keychain is not touched here. */
export function fakeSetDatabase(workspace: WorkspaceView, env: string, database: DatabaseInput): WorkspaceView {
  const why = checkDatabase(database);
  if (why) throw invalid(`the database of ${env} was not changed: ${why}`);
  let shown: DatabaseSourceView;
  if (database.type === "sqlite") shown = { type: "url", display: `sqlite://${database.path.trim()}` };
  else if (database.type === "keychain") shown = { type: "secret", name: database.name.trim() };
  else if (hasPassword(database.url.trim())) shown = { type: "secret", name: "DATABASE_URL" };
  else shown = { type: "url", display: database.url.trim() };
  return {
    ...workspace,
    warnings: workspace.warnings.filter((w) => !(w.can_move_to_keychain && w.env === env)),
    environments: workspace.environments.map((e) => (e.name === env ? { ...e, database: shown } : e)),
  };
}
