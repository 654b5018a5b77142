import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import * as backend from "../../backend";
import { intervalChoices, intervalLabel } from "./watch";
import WatchSection from "./WatchSection.svelte";

vi.mock("../../backend", () => ({ watchSettings: vi.fn(), watchSettingsSet: vi.fn() }));

const ON = { enabled: true, interval_minutes: 30 };

describe("WatchSection", () => {
  beforeEach(() => {
    vi.mocked(backend.watchSettings).mockReset().mockResolvedValue(ON);
    vi.mocked(backend.watchSettingsSet).mockReset().mockImplementation(async (s) => s);
  });
  afterEach(() => document.body.replaceChildren());

  it("shows the saved setting: on, every 30 minutes", async () => {
    render(WatchSection);
    const box = (await screen.findByRole("checkbox", { name: /check integrations/i })) as HTMLInputElement;
    expect(box.checked).toBe(true);
    expect(screen.getByRole("combobox", { name: "Check interval" })).toHaveTextContent("30 minutes");
  });

  it("turns the watch off, and the interval cannot be changed while off", async () => {
    render(WatchSection);
    const box = await screen.findByRole("checkbox", { name: /check integrations/i });
    await fireEvent.click(box);
    expect(backend.watchSettingsSet).toHaveBeenCalledWith({ enabled: false, interval_minutes: 30 });
    await screen.findByText("Off: no notifications.");
    expect(screen.getByRole("combobox", { name: "Check interval" })).toBeDisabled();
  });

  it("saves a new interval picked from its list", async () => {
    render(WatchSection);
    const picker = await screen.findByRole("combobox", { name: "Check interval" });
    await fireEvent.click(picker);
    await fireEvent.click(screen.getByRole("option", { name: "hour" }));
    expect(backend.watchSettingsSet).toHaveBeenCalledWith({ enabled: true, interval_minutes: 60 });
    await waitFor(() => expect(screen.getByRole("combobox", { name: "Check interval" })).toHaveTextContent("hour"));
    expect(screen.queryByRole("listbox")).toBeNull();
  });

  it("says why a save failed and keeps the saved value", async () => {
    vi.mocked(backend.watchSettingsSet).mockRejectedValue({
      code: "io",
      message: "envdeck's local store failed: disk full. Check the disk and the folder's permissions",
      retryable: false,
    });
    render(WatchSection);
    await fireEvent.click(await screen.findByRole("checkbox", { name: /check integrations/i }));
    await screen.findByText(/disk full/);
    expect((screen.getByRole("checkbox", { name: /check integrations/i }) as HTMLInputElement).checked).toBe(true);
  });
});

describe("interval choices", () => {
  it("keeps a saved value that is not on the list", () => {
    expect(intervalChoices(30)).toContain(30);
    expect(intervalChoices(45)).toEqual([15, 30, 45, 60, 120, 240, 480, 1440]);
  });
  it("reads as minutes or hours", () => {
    expect(intervalLabel(30)).toBe("30 minutes");
    expect(intervalLabel(60)).toBe("hour");
    expect(intervalLabel(120)).toBe("2 hours");
  });
});
