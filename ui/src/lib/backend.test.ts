import { render, screen } from "@testing-library/svelte";
import { afterEach, describe, expect, it, vi } from "vitest";
import OutsideApp from "./components/OutsideApp.svelte";

afterEach(() => {
  vi.unstubAllEnvs();
  vi.resetModules();
});

describe("the production build outside the envdeck app", () => {
  it("has no backend: every command rejects and says to open the app", async () => {
    vi.stubEnv("DEV", false);
    vi.resetModules();
    const backend = await import("./backend");
    expect(backend.outsideApp).toBe(true);
    await expect(backend.workspaceCurrent()).rejects.toMatchObject({
      code: "internal",
      message: expect.stringContaining("must be opened through the envdeck app"),
    });
  });

  it("shows an error screen instead of a blank page", () => {
    render(OutsideApp);
    expect(screen.getByTestId("outside-app")).toHaveTextContent("must be opened through the envdeck app");
  });
});

describe("development", () => {
  it("answers from the fake fed by the engine's recording", async () => {
    const backend = await import("./backend");
    expect(backend.outsideApp).toBe(false);
    expect((await backend.workspaceCurrent()).name).toBe("acme");
  });
});
