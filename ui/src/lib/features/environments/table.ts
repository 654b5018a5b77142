//! What the dashboard's tables share: sorting by a column header, filtering by a search box,
//! and the keyboard: one row is in the Tab order (roving tabindex), Up/Down/Home/End move the
//! focus over the rows and Enter opens the focused row's drawer.

export type SortDir = "asc" | "desc";
export type Sort<K extends string> = { key: K; dir: SortDir } | null;

/** A click on `key`'s header: ascending, then descending, then the table's own order again. */
export function nextSort<K extends string>(current: Sort<K>, key: K): Sort<K> {
  if (!current || current.key !== key) return { key, dir: "asc" };
  return current.dir === "asc" ? { key, dir: "desc" } : null;
}

export function ariaSort<K extends string>(current: Sort<K>, key: K): "ascending" | "descending" | "none" {
  if (!current || current.key !== key) return "none";
  return current.dir === "asc" ? "ascending" : "descending";
}

export type SortValue = string | number | null | undefined;

const empty = (v: SortValue) => v === null || v === undefined || v === "" || (typeof v === "number" && Number.isNaN(v));

/** A sorted copy; empty values go last in both directions, ties keep their order. */
export function sortRows<T, K extends string>(rows: readonly T[], sort: Sort<K>, value: (row: T, key: K) => SortValue): T[] {
  if (!sort) return [...rows];
  const sign = sort.dir === "asc" ? 1 : -1;
  return rows
    .map((row, i) => ({ row, i, v: value(row, sort.key) }))
    .sort((a, b) => {
      const ae = empty(a.v);
      const be = empty(b.v);
      if (ae || be) return ae === be ? a.i - b.i : ae ? 1 : -1;
      const c =
        typeof a.v === "number" && typeof b.v === "number"
          ? a.v - b.v
          : String(a.v).localeCompare(String(b.v), undefined, { numeric: true, sensitivity: "base" });
      return c * sign || a.i - b.i;
    })
    .map((x) => x.row);
}

/** Every word of `query` appears in one of `fields` (case-insensitive); an empty query matches all. */
export function matches(query: string, fields: readonly (string | null | undefined)[]): boolean {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return true;
  const text = fields.filter(Boolean).join("\n").toLowerCase();
  return words.every((w) => text.includes(w));
}

/** The rows a table navigates over (`data-nav` on each `<tr>`). */
const ROW = "tr[data-nav]";

/**
 * `onkeydown` of a `<tbody>`: Up/Down/Home/End move the focus to another row, Enter on a
 * focused row (not on a button inside it) calls `open` with it.
 */
export function rowKeydown(e: KeyboardEvent, open: (row: HTMLElement) => void): void {
  const target = e.target as HTMLElement;
  const row = target.closest<HTMLElement>(ROW);
  const body = e.currentTarget as HTMLElement | null;
  if (!row || !body) return;
  if (e.key === "Enter") {
    if (target !== row) return;
    e.preventDefault();
    open(row);
    return;
  }
  const rows = [...body.querySelectorAll<HTMLElement>(ROW)];
  const i = rows.indexOf(row);
  const to: Record<string, number> = {
    ArrowDown: Math.min(i + 1, rows.length - 1),
    ArrowUp: Math.max(i - 1, 0),
    Home: 0,
    End: rows.length - 1,
  };
  if (!(e.key in to) || e.altKey || e.ctrlKey || e.metaKey) return;
  e.preventDefault();
  rows[to[e.key]]?.focus();
}

/** The row key that is in the Tab order: the one focused last if still shown, else the first. */
export function tabStop(keys: readonly string[], focused: string | null): string | null {
  return focused !== null && keys.includes(focused) ? focused : (keys[0] ?? null);
}
