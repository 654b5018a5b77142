import { fireEvent, render, screen } from "@testing-library/svelte";
import { afterEach, describe, expect, it } from "vitest";
import { theme, THEME_KEY } from "../../theme.svelte";
import ThemeSection from "./ThemeSection.svelte";

describe("ThemeSection", () => {
  afterEach(() => {
    theme.set("system");
    document.body.replaceChildren();
  });

  it("follows the system until told otherwise", () => {
    render(ThemeSection);
    expect(screen.getByRole("radio", { name: "System" })).toBeChecked();
    expect(screen.getByRole("radiogroup", { name: "Appearance" })).toBeInTheDocument();
  });

  it("applies dark at once and keeps it for the next start", async () => {
    render(ThemeSection);
    await fireEvent.click(screen.getByRole("radio", { name: "Dark" }));
    expect(document.documentElement.dataset.theme).toBe("dark");
    expect(localStorage.getItem(THEME_KEY)).toBe("dark");
    expect(screen.getByTestId("theme-settings")).toHaveTextContent("Always dark.");
    await fireEvent.click(screen.getByRole("radio", { name: "Light" }));
    expect(document.documentElement.dataset.theme).toBe("light");
    expect(localStorage.getItem(THEME_KEY)).toBe("light");
  });

  it("back to System forgets the choice", async () => {
    render(ThemeSection);
    await fireEvent.click(screen.getByRole("radio", { name: "Dark" }));
    await fireEvent.click(screen.getByRole("radio", { name: "System" }));
    expect(localStorage.getItem(THEME_KEY)).toBeNull();
    // jsdom reports no dark preference: the system's light.
    expect(document.documentElement.dataset.theme).toBe("light");
  });
});
