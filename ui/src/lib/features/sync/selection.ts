//! Which findings of a comparison can be copied (a row missing in the target, of a
//! reference-data or `[[tables]]` table, or a workflow) and the selections a sync plan asks for.
import type { Finding } from "../../bindings/Finding";
import type { SyncSelection } from "../../bindings/SyncSelection";

/** A missing row with a table and a key made only of values (a NULL part cannot be named). */
export function syncable(f: Finding): boolean {
  return (
    f.kind === "missing" &&
    (f.area === "reference_data" || f.area === "data" || f.area === "workflows") &&
    f.key_parts.subject !== null &&
    f.key_parts.parts.length > 0 &&
    f.key_parts.parts.every((p) => p.type !== "null")
  );
}

/** The identity of a finding among the selected ones (a `changed` finding of the same row is another). */
export const syncId = (f: Finding): string => `${f.area}\u0000${f.kind}\u0000${f.key}`;

/** One selection per table, keys in the order the findings were picked. */
export function toSelections(findings: Finding[]): SyncSelection[] {
  const byTable = new Map<string, string[][]>();
  for (const f of findings) {
    if (!syncable(f)) continue;
    const table = f.key_parts.subject as string;
    const key = f.key_parts.parts.map((p) => (p.type === "null" ? "" : p.value));
    byTable.set(table, [...(byTable.get(table) ?? []), key]);
  }
  return [...byTable].map(([table, keys]) => ({ table, keys, all_missing: false }));
}

/** The 8-character fingerprint a person compares and types against. */
export const shortFingerprint = (fp: string): string => fp.slice(0, 8);

/** Whether the selection copies workflows (they land inactive unless asked otherwise). */
export const hasWorkflows = (findings: Finding[]): boolean =>
  findings.some((f) => syncable(f) && f.area === "workflows");
