import { beforeEach, describe, expect, it } from "vitest";
import { demo, fakeInvoke, resetFake } from "./fake-backend";
import type { NewWorkspaceCheck } from "./bindings/NewWorkspaceCheck";
import type { WorkspaceView } from "./bindings/WorkspaceView";

beforeEach(() => resetFake());

describe("the dev fake's workspace writes", () => {
  it("checks the New workspace form field by field, like the engine", async () => {
    const check = (await fakeInvoke("workspace_check_new", {
      input: {
        path: "/home/you/acme",
        name: "",
        environments: [
          { name: "prod", kind: "production", protected: false, database: { type: "url", url: "mysql://a:pw@h/db" } },
          { name: "prod", kind: "staging", protected: false, database: { type: "sqlite", path: "" } },
        ],
      },
    })) as NewWorkspaceCheck;
    expect(check.file).toBe("/home/you/acme/envdeck.toml");
    expect(check.problems.map((p) => p.field)).toEqual([
      "name",
      "environments.0.protected",
      "environments.0.database",
      "environments.1.name",
      "environments.1.database",
    ]);
    expect(JSON.stringify(check.problems)).not.toContain(":pw@");
  });

  it("will not let a new workspace of the demo's name replace the secrets it keeps", async () => {
    const input = (name: string) => ({
      path: "/home/you/acme",
      name,
      environments: [
        { name: "dev", kind: "development", protected: false, database: { type: "sqlite", path: "dev.db" } },
        { name: "prod", kind: "production", protected: true, database: { type: "url", url: "postgres://app:pw@db.example.com/app" } },
      ],
    });
    const problems = async (name: string) => ((await fakeInvoke("workspace_check_new", { input: input(name) })) as NewWorkspaceCheck).problems;
    expect(await problems(demo.workspace.name)).toEqual([]);
    await fakeInvoke("secret_set", { workspace: demo.workspace.path, env: "prod", name: "DATABASE_URL", value: "postgres://a:b@h/db" });
    expect(await problems(demo.workspace.name)).toEqual([
      {
        field: "name",
        message: `a workspace named "${demo.workspace.name}" already keeps secrets for prod in the OS keychain, and creating this one would replace them: pick another name, or open that workspace instead`,
      },
    ]);
    expect(await problems("globex")).toEqual([]);
    await expect(fakeInvoke("workspace_create", { input: input(demo.workspace.name), replace: false })).rejects.toMatchObject({
      code: "invalid_input",
    });
  });

  it("cannot write a file from a browser, and says so", async () => {
    const input = {
      path: "/home/you/acme",
      name: "acme",
      environments: [{ name: "dev", kind: "development", protected: false, database: { type: "sqlite", path: "dev.db" } }],
    };
    await expect(fakeInvoke("workspace_create", { input, replace: false })).rejects.toMatchObject({ code: "io" });
  });

  it("changes a demo environment's database source for the session", async () => {
    const env = demo.workspace.environments[0].name;
    const view = (await fakeInvoke("workspace_set_database", {
      workspace: demo.workspace.path,
      env,
      database: { type: "url", url: "postgres://app:pw@db.example.com:5432/app" },
    })) as WorkspaceView;
    expect(view.environments.find((e) => e.name === env)?.database).toEqual({ type: "secret", name: "DATABASE_URL" });
    const again = (await fakeInvoke("workspace_current", {})) as WorkspaceView;
    expect(again.environments.find((e) => e.name === env)?.database.type).toBe("secret");
  });
});
