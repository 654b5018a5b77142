import { describe, expect, it } from "vitest";
import type { WorkspaceView } from "../../bindings/WorkspaceView";
import { parseHash, toHash } from "./route";

const env = (name: string) => ({
  name,
  kind: "development" as const,
  protected: false,
  app_url: null,
  database: { type: "url" as const, display: "sqlite://x.db" },
  env_file: null,
});
const view: WorkspaceView = { path: "/w/envdeck.toml", name: "w", is_demo: false, warnings: [], environments: [env("dev"), env("prod")] };

describe("page in the URL hash", () => {
  it("opens Compare, optionally with a pair", () => {
    expect(parseHash("#compare", view)).toEqual({ selected: { page: "compare" } });
    expect(parseHash("#compare/prod/dev", view)).toEqual({ selected: { page: "compare" }, from: "prod", to: "dev" });
    expect(parseHash("#compare/nope/dev", view)).toEqual({ selected: { page: "compare" }, to: "dev" });
    expect(parseHash("#compare/parity", view)).toEqual({ selected: { page: "compare" }, tab: "parity" });
  });

  it("opens an environment or Settings, and ignores anything else", () => {
    expect(parseHash("#env/prod", view)).toEqual({ selected: { page: "env", env: "prod" } });
    expect(parseHash("#env/nope", view)).toBeNull();
    expect(parseHash("#settings", view)).toEqual({ selected: { page: "settings" } });
    expect(parseHash("", view)).toBeNull();
  });

  it("round-trips", () => {
    expect(toHash({ page: "compare" }, { from: "dev", to: "prod" })).toBe("#compare/dev/prod");
    expect(toHash({ page: "compare" }, { from: "dev", to: "prod", tab: "parity" })).toBe("#compare/parity");
    expect(toHash({ page: "env", env: "prod" })).toBe("#env/prod");
    expect(parseHash(toHash({ page: "env", env: "dev" }), view)?.selected).toEqual({ page: "env", env: "dev" });
  });
});
