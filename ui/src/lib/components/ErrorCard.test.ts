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

  it("offers no Retry when retrying cannot help, whatever the caller passes", () => {
    render(ErrorCard, {
      error: { code: "db_error", message: "syntax error at or near FROM", retryable: false },
      onretry: vi.fn(),
    });
    expect(screen.queryByRole("button")).toBeNull();
  });

  it("offers Reload, not Retry, for a database that does not exist: the URL has to be fixed first", async () => {
    const onretry = vi.fn();
    render(ErrorCard, {
      error: { code: "db_not_found", message: "the SQLite file /w/dev.db does not exist: fix the database URL", retryable: false },
      onretry,
    });
    expect(screen.queryByRole("button", { name: /retry/i })).toBeNull();
    await fireEvent.click(screen.getByRole("button", { name: "Reload" }));
    expect(onretry).toHaveBeenCalledOnce();
  });

  it("links a missing or refused secret to Settings", () => {
    render(ErrorCard, { error: { code: "db_auth_failed", message: "prod rejected the credentials", retryable: false } });
    expect(screen.getByRole("link", { name: "Open Settings" })).toHaveAttribute("href", "#settings");
    expect(screen.queryByRole("button")).toBeNull();
  });

  it("offers Run again after a cancel", () => {
    render(ErrorCard, { error: { code: "cancelled", message: "cancelled", retryable: false }, onretry: vi.fn() });
    expect(screen.getByRole("button", { name: "Run again" })).toBeInTheDocument();
  });

  it("renders backticked commands as code", () => {
    render(ErrorCard, { error: { ...error, message: "Run `envdeck secret set prod DATABASE_URL`." } });
    expect(screen.getByText("envdeck secret set prod DATABASE_URL").tagName).toBe("CODE");
  });
});
