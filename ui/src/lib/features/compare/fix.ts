//! What fixes a finding, from what the finding (and its side-by-side view) knows: copy the
//! row, reconnect the integration, run a command, or a plain sentence when envdeck cannot
//! know the command. Pure, tested without a DOM.
import type { Finding } from "../../bindings/Finding";
import type { Sides } from "../../bindings/Sides";
import { syncable } from "../sync/selection";

/** A command or text to paste somewhere, with what it is for. */
export type Command = { label: string; text: string; lang: "shell" | "sql" | "env" };

export type Fix =
  /** A missing row envdeck can copy with the guarded sync. */
  | { type: "copy" }
  | { type: "reconnect"; provider: string; account: string | null }
  /** Commands to run (`note` says how, or what envdeck could not know). */
  | { type: "command"; commands: Command[]; note: string | null }
  /** No command envdeck can give: what to do, in words. */
  | { type: "advice"; text: string };

const migrateCommand = (sides: Sides | null): string | null =>
  sides && (sides.view === "columns" || sides.view === "migrations") ? sides.migrate_command : null;

const migrationTable = (sides: Sides | null): string | null =>
  sides?.view === "migrations" ? (sides.to_table ?? sides.from_table) : null;

/** Why envdeck cannot name the migration command. */
function unknownTool(sides: Sides | null): string {
  const table = migrationTable(sides);
  if (table === "schema_migrations")
    return "envdeck can't know the exact command: several tools keep a `schema_migrations` table (Rails, golang-migrate, dbmate…).";
  if (table) return `envdeck can't know the exact command for the \`${table}\` table.`;
  return "envdeck can't know the exact command: it found no migration table it recognises.";
}

const text = (f: Finding, i: number): string | null => {
  const p = f.key_parts.parts[i];
  return p && p.type !== "null" ? p.value : null;
};

/** The integration a finding names: its provider and account, from its structured key. */
export function integrationOf(f: Finding): { provider: string; account: string | null } {
  return { provider: text(f, 0) ?? f.key.split("/")[0], account: text(f, 1) };
}

export function fixFor(f: Finding, from: string, to: string, sides: Sides | null): Fix {
  if (syncable(f)) return { type: "copy" };
  const migrate = migrateCommand(sides);
  switch (f.area) {
    case "integrations":
      if (f.kind === "missing" || f.kind === "expired" || f.kind === "broken")
        return { type: "reconnect", ...integrationOf(f) };
      return {
        type: "advice",
        text: `Connected in ${to} only: nothing to copy (tokens are never copied between environments). If ${from} needs it, connect it there.`,
      };
    case "schema": {
      if (!f.sql)
        return {
          type: "advice",
          text: `It exists in ${to} only, and envdeck has no command for that: if it should not be there, drop it in a new migration; if it should, add it to ${from} the same way.`,
        };
      const commands: Command[] = [];
      if (migrate) commands.push({ label: `Run the project's migrations against ${to}`, text: migrate, lang: "shell" });
      commands.push({ label: `SQL that would make ${to} match (a suggestion: envdeck never runs DDL)`, text: f.sql, lang: "sql" });
      return {
        type: "command",
        commands,
        note: migrate
          ? `The migrations are the fix; the SQL shows what they would change.`
          : `${unknownTool(sides)} Run this project's migrations against ${to} the way you usually do; the SQL shows what they would change.`,
      };
    }
    case "migrations":
      if (f.kind === "pending") {
        if (!migrate)
          return { type: "advice", text: `${unknownTool(sides)} Run this project's migrations against ${to}, with ${to}'s database URL.` };
        return {
          type: "command",
          commands: [{ label: `Run against ${to}`, text: migrate, lang: "shell" }],
          note: `Run it with ${to}'s database URL in the environment (for example DATABASE_URL).`,
        };
      }
      return {
        type: "advice",
        text:
          `${to} has a migration ${from} has not: either ${from} is behind (run the migrations against ${from}` +
          (migrate ? `: \`${migrate}\`` : "") +
          `), or ${to} ran one that is not in the code. envdeck can't tell which.`,
      };
    case "config": {
      const files = sides?.view === "config_keys" ? sides : null;
      const toFile = files?.to_file ?? `${to}'s env file`;
      const fromFile = files?.from_file ?? `${from}'s env file`;
      if (f.kind === "missing_key")
        return {
          type: "command",
          commands: [{ label: `Add to ${toFile}`, text: `${f.key}=`, lang: "env" }],
          note: `The value is yours to set: envdeck never shows env-file values.`,
        };
      return { type: "advice", text: `Only ${to} sets ${f.key}: add it to ${fromFile} if the app needs it, or remove it from ${toFile}.` };
    }
    case "isolation":
      if (f.kind === "shared_database")
        return { type: "advice", text: `Give each environment its own database: the environments' database sources are in Settings.` };
      if (f.kind === "local_url_in_protected" && f.key === "app_url")
        return { type: "advice", text: `Set the protected environment's app_url in envdeck.toml to its public URL.` };
      return {
        type: "advice",
        text: `Give each environment its own value for ${f.key} in its env file: envdeck never changes env files, and never shows their values.`,
      };
    default:
      if (f.kind === "missing")
        return { type: "advice", text: `This row can't be copied: part of its key is empty (NULL), so it can't be named in ${to}.` };
      if (f.kind === "changed")
        return {
          type: "advice",
          text: `envdeck copies missing rows only and never overwrites one: change it in ${to}'s app or seed scripts.`,
        };
      if (f.kind === "inactive") return { type: "advice", text: `Switch it on in ${to}'s workflow tool.` };
      if (f.kind === "extra") return { type: "advice", text: `It exists in ${to} only: nothing to copy.` };
      return { type: "advice", text: `envdeck has no action for this finding: the detail says what differs.` };
  }
}
