//! Findings out of the window: a Markdown table on the clipboard (of the rows shown), or the
//! `envdeck check --json` report saved to a file through the native save dialog (written by
//! the Rust side, which compares again: the file is exactly what the CLI would print).
import type { AppError } from "./bindings/AppError";
import type { Finding } from "./bindings/Finding";
import * as backend from "./backend";
import { toAppError } from "./errors";
import type { CompareSession } from "./features/compare/compare.svelte";
import { AREA_TITLE, filterFindings, kindLabel, sortFindings } from "./features/compare/findings";

/** A cell's text on one line, with the characters that would break the table escaped. */
function cell(text: string): string {
  return text.replace(/\\/g, "\\\\").replace(/\|/g, "\\|").replace(/\r?\n/g, " ").trim();
}

/** The findings as a GitHub-flavoured Markdown table, under a heading naming the pair. */
export function findingsMarkdown(from: string, to: string, findings: readonly Finding[]): string {
  const lines = [
    `### envdeck: ${from} → ${to} (${findings.length} ${findings.length === 1 ? "finding" : "findings"})`,
    "",
    "| Severity | Area | Kind | Key | Detail |",
    "| --- | --- | --- | --- | --- |",
    ...findings.map(
      (f) =>
        `| ${f.severity} | ${cell(AREA_TITLE[f.area])} | ${cell(kindLabel(f.kind))} | \`${cell(f.key).replace(/`/g, "'")}\` | ${cell(f.detail)} |`,
    ),
  ];
  return lines.join("\n") + "\n";
}

/** Puts `text` on the clipboard; the copy command is the fallback where the API is refused. */
export async function copyText(text: string): Promise<void> {
  try {
    await navigator.clipboard.writeText(text);
    return;
  } catch {
    // Below: some webviews refuse the async API outside a secure context.
  }
  const area = document.createElement("textarea");
  area.value = text;
  area.setAttribute("readonly", "");
  area.style.position = "fixed";
  area.style.opacity = "0";
  document.body.append(area);
  area.select();
  const ok = document.execCommand?.("copy") ?? false;
  area.remove();
  if (!ok) throw { code: "internal", message: "the clipboard refused the text: select the table and copy it by hand", retryable: false };
}

/**
 * Asks where to save, then has the Rust side write the `check --json` report of `from` → `to`
 * there. `null` when the person cancelled the dialog; otherwise where and how many findings.
 */
export async function saveFindingsJson(
  workspace: string,
  from: string,
  to: string,
): Promise<{ path: string; count: number } | null> {
  const path = await backend.pickSavePath(`envdeck-check-${from}-${to}.json`);
  if (!path) return null;
  try {
    return { path, count: await backend.exportFindings(workspace, from, to, path) };
  } catch (e) {
    throw toAppError(e);
  }
}

/** The findings the Compare screen shows now: its order, its filters. */
export function shownFindings(session: CompareSession): Finding[] {
  return filterFindings(sortFindings(session.findings), session.filter);
}

/**
 * The export buttons' state, one for the window: the Compare toolbar and the command palette
 * run the same exports and the toolbar says how it went.
 */
class Exporter {
  busy = $state(false);
  done = $state<string | null>(null);
  error = $state.raw<AppError | null>(null);
  /** The pair (`from/to`) the message above is about: another pair's screen does not show it. */
  pair = $state("");
  #timer: ReturnType<typeof setTimeout> | undefined;

  /** Whether `session` has results of its current pair, all areas finished. */
  ready(session: CompareSession): boolean {
    return session.current && !Object.values(session.reports).some((r) => r?.status === "loading");
  }

  async copyMarkdown(session: CompareSession): Promise<void> {
    if (!session.ran) return;
    const rows = shownFindings(session);
    this.#start(session.ran);
    try {
      await copyText(findingsMarkdown(session.ran.from, session.ran.to, rows));
      this.#finished(`Copied ${rows.length} ${rows.length === 1 ? "finding" : "findings"} as Markdown`);
    } catch (e) {
      this.error = toAppError(e);
    } finally {
      this.busy = false;
    }
  }

  async saveJson(session: CompareSession): Promise<void> {
    if (!session.ran) return;
    this.#start(session.ran);
    try {
      const saved = await saveFindingsJson(session.workspace, session.ran.from, session.ran.to);
      if (saved) this.#finished(`Saved ${saved.count} ${saved.count === 1 ? "finding" : "findings"} to ${saved.path}`);
    } catch (e) {
      this.error = toAppError(e);
    } finally {
      this.busy = false;
    }
  }

  clear(): void {
    this.done = null;
    this.error = null;
  }

  /** A success says so for a few seconds; an error stays until the next export. */
  #finished(message: string): void {
    this.done = message;
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => (this.done = null), 8000);
  }

  #start(pair: { from: string; to: string }): void {
    this.busy = true;
    this.clear();
    this.pair = `${pair.from}/${pair.to}`;
  }
}

export const exporter = new Exporter();
