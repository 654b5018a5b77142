//! Pages a backend message names ("in Settings", "History", "integration parity"), turned into
//! links: split a message into text, `code` and links. Pure, tested without a DOM.
import { toHash } from "../workspace/route";

export type Segment = { type: "text"; text: string } | { type: "code"; text: string } | { type: "link"; text: string; href: string };

const PAGES: { pattern: RegExp; href: string }[] = [
  { pattern: /\bSettings\b/, href: toHash({ page: "settings" }) },
  { pattern: /\b(?:sync )?History\b/, href: toHash({ page: "history" }) },
  { pattern: /\b[Ii]ntegration parity\b/, href: toHash({ page: "compare" }, { from: "", to: "", tab: "parity" }) },
];

function linkify(text: string): Segment[] {
  let best: { index: number; length: number; href: string } | null = null;
  for (const p of PAGES) {
    const m = p.pattern.exec(text);
    if (m && (best === null || m.index < best.index)) best = { index: m.index, length: m[0].length, href: p.href };
  }
  if (!best) return text ? [{ type: "text", text }] : [];
  const out: Segment[] = [];
  if (best.index > 0) out.push({ type: "text", text: text.slice(0, best.index) });
  out.push({ type: "link", text: text.slice(best.index, best.index + best.length), href: best.href });
  return [...out, ...linkify(text.slice(best.index + best.length))];
}

/** Backend messages quote commands and names in `backticks` (never linked); page names become links. */
export function segments(message: string): Segment[] {
  const parts = message.split("`");
  const out: Segment[] = [];
  parts.forEach((part, i) => {
    if (i % 2 === 1 && i < parts.length - 1) out.push({ type: "code", text: part });
    else out.push(...linkify(i % 2 === 1 ? `\`${part}` : part));
  });
  return out;
}
