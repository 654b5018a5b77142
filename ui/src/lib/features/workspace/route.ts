//! The selected page in the URL hash (`#compare`, `#compare/dev/staging`, `#compare/parity`,
//! `#env/prod`, `#history`, `#settings`), so a page can be opened directly, e.g. for screenshots.
import type { WorkspaceView } from "../../bindings/WorkspaceView";
import type { CompareTab } from "../compare/compare.svelte";
import type { Selected } from "./workspace.svelte";

export type Route = { selected: Selected; from?: string; to?: string; tab?: CompareTab };

export function parseHash(hash: string, view: WorkspaceView): Route | null {
  const parts = hash.replace(/^#\/?/, "").split("/").filter(Boolean).map(decodeURIComponent);
  const has = (name: string | undefined) => name !== undefined && view.environments.some((e) => e.name === name);
  switch (parts[0]) {
    case "compare": {
      const route: Route = { selected: { page: "compare" } };
      if (parts[1] === "parity" && !has(parts[1])) return { ...route, tab: "parity" };
      if (has(parts[1])) route.from = parts[1];
      if (has(parts[2])) route.to = parts[2];
      return route;
    }
    case "history":
      return { selected: { page: "history" } };
    case "settings":
      return { selected: { page: "settings" } };
    case "env":
      return has(parts[1]) ? { selected: { page: "env", env: parts[1] } } : null;
    default:
      return null;
  }
}

export function toHash(selected: Selected, pair?: { from: string; to: string; tab?: CompareTab }): string {
  switch (selected.page) {
    case "compare":
      if (pair?.tab === "parity") return "#compare/parity";
      return pair && pair.from && pair.to
        ? `#compare/${encodeURIComponent(pair.from)}/${encodeURIComponent(pair.to)}`
        : "#compare";
    case "history":
      return "#history";
    case "settings":
      return "#settings";
    case "env":
      return `#env/${encodeURIComponent(selected.env)}`;
  }
}
