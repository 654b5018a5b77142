//! A database source being typed into a form (the "New workspace" sheet, Settings > Environments),
//! and what is sent for it. The checks themselves are the engine's (`workspace_check_new`,
//! `workspace_set_database`): this only shapes the input and says where a password will go.
import type { DatabaseInput } from "../../bindings/DatabaseInput";
import type { DatabaseSourceView } from "../../bindings/DatabaseSourceView";

export type DatabaseKind = DatabaseInput["type"];

export type DatabaseDraft = {
  type: DatabaseKind;
  /** The pasted URL (type `url`). */
  url: string;
  /** The SQLite file (type `sqlite`). */
  path: string;
  /** The keychain secret's name (type `keychain`). */
  name: string;
  /** A URL to store under that name now (type `keychain`; empty: set it later). */
  secret: string;
};

export const KEYCHAIN_DEFAULT = "DATABASE_URL";

export function emptyDraft(type: DatabaseKind = "url"): DatabaseDraft {
  return { type, url: "", path: "", name: KEYCHAIN_DEFAULT, secret: "" };
}

/** A form for an existing source: the keychain name kept, a written URL never prefilled (it is masked). */
export function draftFrom(view: DatabaseSourceView): DatabaseDraft {
  if (view.type === "secret") return { ...emptyDraft("keychain"), name: view.name };
  if (view.type === "url" && view.display.startsWith("sqlite:"))
    return { ...emptyDraft("sqlite"), path: view.display.replace(/^sqlite:(\/\/)?/, "").replace(/\?.*$/, "") };
  return emptyDraft("url");
}

export function toInput(d: DatabaseDraft): DatabaseInput {
  switch (d.type) {
    case "url":
      return { type: "url", url: d.url.trim() };
    case "sqlite":
      return { type: "sqlite", path: d.path.trim() };
    case "keychain":
      return { type: "keychain", name: d.name.trim(), url: d.secret.trim() || null };
  }
}

/** Whether a URL carries a password (userinfo or `password=`), like `connectors::url_has_password`. */
export function urlHasPassword(url: string): boolean {
  const u = url.trim();
  const at = u.indexOf("@");
  const scheme = u.indexOf("://");
  if (scheme > 0 && at > scheme && u.slice(scheme + 3, at).includes(":") && !u.slice(scheme + 3, at).endsWith(":"))
    return true;
  return /[?&](ssl)?password=/i.test(u);
}
