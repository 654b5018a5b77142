import { render, screen } from "@testing-library/svelte";
import { describe, expect, it } from "vitest";
import type { EnvSummary } from "../../bindings/EnvSummary";
import type { ParityGrid as Grid } from "../../bindings/ParityGrid";
import { sortEnvironments } from "../../kinds";
import { loaded } from "../../loadable";
import ParityGrid from "./ParityGrid.svelte";

const env = (name: string, kind: EnvSummary["kind"]): EnvSummary => ({
  name,
  kind,
  protected: kind === "production",
  app_url: null,
  database: { type: "url", display: `sqlite://${name}.db` },
  env_file: null,
});

describe("ParityGrid", () => {
  it("orders its columns and the reconnect list by kind, then name, whatever the backend's order", () => {
    const environments = sortEnvironments([env("prod", "production"), env("qa", "staging"), env("dev", "development"), env("beta", "staging")]);
    const grid: Grid = {
      environments: ["beta", "dev", "prod", "qa"],
      rows: [
        {
          provider: "slack",
          cells: ["beta", "dev", "prod", "qa"].map((e) => ({
            env: e,
            state: e === "dev" ? "healthy" : "expired",
            accounts: 1,
            needs_reconnect: e !== "dev",
            detail: null,
          })),
        },
      ],
      errors: [],
    };
    render(ParityGrid, { grid: loaded(grid), environments, onretry: () => {} });
    const heads = [...document.querySelectorAll<HTMLElement>("th.env-col")].map((th) => th.dataset.env);
    expect(heads).toEqual(["dev", "beta", "qa", "prod"]);
    const todo = [...screen.getByTestId("reconnect-list").querySelectorAll<HTMLElement>("li")].map((li) => li.dataset.env);
    expect(todo).toEqual(["beta", "qa", "prod"]);
    // Long names are never cut without a way to read them.
    expect(screen.getByTestId("reconnect-list").querySelector("[data-env='beta'] .todo-env")).toHaveAttribute("title", "beta");
  });
});
