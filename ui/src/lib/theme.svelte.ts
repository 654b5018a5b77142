//! The colour theme: follow the system, or always light, or always dark. The choice is kept
//! in localStorage (it is the window's look, not the workspace's) and applied as
//! `<html data-theme="light|dark">`, which app.css keys its dark colours on.
//! public/theme-boot.js applies it before the first paint, with the same key and rule.

export type ThemeChoice = "system" | "light" | "dark";
export const THEME_CHOICES: readonly ThemeChoice[] = ["system", "light", "dark"];
export const THEME_KEY = "envdeck.theme";

const DARK_QUERY = "(prefers-color-scheme: dark)";

function stored(): ThemeChoice {
  try {
    const v = localStorage.getItem(THEME_KEY);
    return v === "light" || v === "dark" ? v : "system";
  } catch {
    return "system";
  }
}

function systemDark(): boolean {
  return typeof matchMedia === "function" && matchMedia(DARK_QUERY).matches;
}

class Theme {
  choice = $state<ThemeChoice>(stored());
  #unwatch: (() => void) | null = null;

  /** What the window shows now. */
  get resolved(): "light" | "dark" {
    return this.choice === "system" ? (systemDark() ? "dark" : "light") : this.choice;
  }

  set(choice: ThemeChoice): void {
    this.choice = choice;
    try {
      if (choice === "system") localStorage.removeItem(THEME_KEY);
      else localStorage.setItem(THEME_KEY, choice);
    } catch {
      // Storage refused (private mode): the choice holds for this session.
    }
    this.apply();
  }

  /** Sets `data-theme` on <html>; while following the system, follows its changes too. */
  apply(): void {
    document.documentElement.dataset.theme = this.resolved;
    this.#unwatch?.();
    this.#unwatch = null;
    if (this.choice === "system" && typeof matchMedia === "function") {
      const q = matchMedia(DARK_QUERY);
      const onchange = () => (document.documentElement.dataset.theme = this.resolved);
      q.addEventListener?.("change", onchange);
      this.#unwatch = () => q.removeEventListener?.("change", onchange);
    }
  }
}

export const theme = new Theme();
