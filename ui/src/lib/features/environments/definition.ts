//! What a workflow definition (n8n's `{nodes, connections}`) is made of, for the drawer's
//! summary above the JSON.

export type DefinitionNode = { name: string; type: string | null; disabled: boolean };
export type DefinitionSummary = { nodes: DefinitionNode[]; connections: number } | null;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** The nodes and how many connections join them; `null` when the text is not such a definition. */
export function summarise(text: string | null): DefinitionSummary {
  if (text === null) return null;
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return null;
  }
  if (!isObject(v) || !Array.isArray(v.nodes)) return null;
  const nodes = v.nodes.filter(isObject).map((n) => ({
    name: typeof n.name === "string" ? n.name : "(unnamed)",
    type: typeof n.type === "string" ? n.type : null,
    disabled: n.disabled === true,
  }));
  // connections: { source: { main: [[{node}, …], …] } }
  let connections = 0;
  if (isObject(v.connections)) {
    for (const outputs of Object.values(v.connections)) {
      if (!isObject(outputs)) continue;
      for (const lanes of Object.values(outputs)) {
        if (!Array.isArray(lanes)) continue;
        for (const lane of lanes) if (Array.isArray(lane)) connections += lane.filter(isObject).length;
      }
    }
  }
  return { nodes, connections };
}

/** `n8n-nodes-base.httpRequest` → `httpRequest`. */
export function shortType(type: string | null): string {
  if (!type) return "";
  return type.slice(type.lastIndexOf(".") + 1);
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** "4 nodes, 3 connections". */
export function summaryLabel(s: NonNullable<DefinitionSummary>): string {
  return `${plural(s.nodes.length, "node", "nodes")}, ${plural(s.connections, "connection", "connections")}`;
}

/** Read first: what a workflow is, then how its parts connect. The engine sends keys sorted. */
const FIRST = ["name", "nodes", "connections"];

/** JSON text indented by two spaces, a definition's name, nodes and connections first; other text as it is. */
export function indent(text: string): string {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return text;
  }
  if (!isObject(v)) return JSON.stringify(v, null, 2);
  const o = v;
  const keys = [...FIRST.filter((k) => k in o), ...Object.keys(o).filter((k) => !FIRST.includes(k))];
  return JSON.stringify(Object.fromEntries(keys.map((k) => [k, o[k]])), null, 2);
}
