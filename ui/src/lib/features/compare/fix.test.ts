import { describe, expect, it } from "vitest";
import type { Finding } from "../../bindings/Finding";
import type { Sides } from "../../bindings/Sides";
import { fixFor } from "./fix";
import { segments } from "./links";

const f = (area: Finding["area"], kind: Finding["kind"], key: string, extra: Partial<Finding> = {}): Finding => ({
  area,
  kind,
  key,
  key_parts: { subject: null, parts: [{ type: "text", value: key }] },
  severity: "warning",
  detail: "",
  ...extra,
});

const migrations = (table: string | null, command: string | null): Sides => ({
  view: "migrations",
  from_table: table,
  to_table: table,
  migrations: [],
  migrate_command: command,
});

describe("fixFor", () => {
  it("gives a pending migration the tool's command when the migration table names it", () => {
    const fix = fixFor(f("migrations", "pending", "002"), "dev", "prod", migrations("_prisma_migrations", "npx prisma migrate deploy"));
    expect(fix).toMatchObject({ type: "command", commands: [{ text: "npx prisma migrate deploy", lang: "shell" }] });
  });

  it("says plainly when envdeck can't know the migration command", () => {
    const none = fixFor(f("migrations", "pending", "002"), "dev", "prod", migrations(null, null));
    expect(none).toMatchObject({ type: "advice" });
    expect(none.type === "advice" && none.text).toContain("found no migration table");
    const schema = fixFor(f("schema", "missing_table", "api_keys", { sql: "CREATE TABLE api_keys ();" }), "dev", "prod", null);
    expect(schema).toMatchObject({ type: "command", commands: [{ lang: "sql" }] });
    expect(schema.type === "command" && schema.note).toContain("can't know the exact command");
  });

  it("never offers to overwrite a changed row, and has no command for an object in the target only", () => {
    expect(fixFor(f("reference_data", "changed", "roles/x"), "dev", "prod", null)).toMatchObject({ type: "advice" });
    expect(fixFor(f("schema", "extra_table", "old"), "dev", "prod", null)).toMatchObject({ type: "advice" });
  });
});

describe("isolation advice", () => {
  it("sends a shared database to Settings, where the database sources are", () => {
    const fix = fixFor(f("isolation", "shared_database", "database"), "dev", "prod", null);
    expect(fix.type === "advice" && segments(fix.text)).toContainEqual({ type: "link", text: "Settings", href: "#settings" });
  });
});

describe("links in messages", () => {
  it("links the pages a message names and leaves `code` alone", () => {
    expect(segments("set it with `envdeck secret set prod DB` or in Settings")).toEqual([
      { type: "text", text: "set it with " },
      { type: "code", text: "envdeck secret set prod DB" },
      { type: "text", text: " or in " },
      { type: "link", text: "Settings", href: "#settings" },
    ]);
    expect(segments("see the Integration parity tab and History")).toEqual([
      { type: "text", text: "see the " },
      { type: "link", text: "Integration parity", href: "#compare/parity" },
      { type: "text", text: " tab and " },
      { type: "link", text: "History", href: "#history" },
    ]);
  });
});
