import { fireEvent, render, screen } from "@testing-library/svelte";
import { describe, expect, it, vi } from "vitest";
import ErrorCard from "./ErrorCard.svelte";

describe("ErrorCard", () => {
  const error = {
    code: "keychain_unavailable" as const,
    message: "The OS keychain is locked. Unlock it, then retry.",
    retryable: true,
  };

  it("shows the backend's message and exposes the code for tests", () => {
    render(ErrorCard, { error });
    const card = screen.getByTestId("error-card");
    expect(card).toHaveAttribute("data-code", "keychain_unavailable");
    expect(card).toHaveTextContent("Keychain unavailable");
    expect(card).toHaveTextContent("The OS keychain is locked. Unlock it, then retry.");
    expect(screen.queryByRole("button", { name: /retry/i })).toBeNull();
  });

  it("offers Retry when given a handler", async () => {
    const onretry = vi.fn();
    render(ErrorCard, { error, onretry });
    await fireEvent.click(screen.getByRole("button", { name: /retry/i }));
    expect(onretry).toHaveBeenCalledOnce();
  });

  it("renders backticked commands as code", () => {
    render(ErrorCard, { error: { ...error, message: "Run `envdeck secret set prod DATABASE_URL`." } });
    expect(screen.getByText("envdeck secret set prod DATABASE_URL").tagName).toBe("CODE");
  });
});
