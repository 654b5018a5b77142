import { fireEvent, render, screen, within } from "@testing-library/svelte";
import { describe, expect, it, vi } from "vitest";
import type { ErrorCode } from "../bindings/ErrorCode";
import { ERRORS, type ErrorAction } from "../errors";
import { openNewWorkspace } from "../features/workspace/new-workspace.svelte";
import ErrorCard from "./ErrorCard.svelte";

vi.mock("../features/workspace/new-workspace.svelte", () => ({ openNewWorkspace: vi.fn() }));

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

  it("puts the sentence first and folds the technical detail", () => {
    render(ErrorCard, {
      error: {
        code: "keychain_unavailable",
        message: "The OS keychain is unavailable, so envdeck cannot read or store credentials. Unlock it, then try again.",
        retryable: true,
        detail: "org.freedesktop.DBus.Error.ServiceUnknown: The name is not activatable",
      },
    });
    const message = screen.getByText(/The OS keychain is unavailable/);
    const detail = screen.getByTestId("error-detail");
    expect(detail.tagName).toBe("DETAILS");
    expect(detail).not.toHaveAttribute("open");
    expect(within(detail).getByText("Technical detail").tagName).toBe("SUMMARY");
    expect(detail).toHaveTextContent("ServiceUnknown");
    expect(message).not.toHaveTextContent("ServiceUnknown");
    // The sentence comes before the folded part.
    expect(message.compareDocumentPosition(detail) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
  });

  it("shows hosts and ports as the engine gives them; only the password is masked", () => {
    const message = "could not reach postgres://app:****@db.example.com:5432/app (connection refused): check that the database is running";
    render(ErrorCard, { error: { code: "db_unreachable", message, retryable: true } });
    expect(screen.getByTestId("error-card")).toHaveTextContent("postgres://app:****@db.example.com:5432/app");
  });

  it("says what to do next on every card, with the action that does it", () => {
    for (const code of Object.keys(ERRORS) as ErrorCode[]) {
      const h = ERRORS[code];
      const { unmount } = render(ErrorCard, {
        error: { code, message: "what happened", retryable: h.retryable },
        onretry: vi.fn(),
      });
      const card = screen.getByTestId("error-card");
      expect(within(card).getByTestId("error-hint"), code).toHaveTextContent(h.next);
      const buttons = within(card).queryAllByRole("button").map((b) => b.textContent?.trim());
      const links = within(card).queryAllByRole("link").map((a) => a.textContent?.trim());
      const expected: Record<ErrorAction, () => void> = {
        retry: () => expect(buttons, code).toContain("Retry"),
        reload: () => expect(buttons, code).toContain("Reload"),
        rerun: () => expect(buttons, code).toContain("Run again"),
        settings: () => expect(links, code).toContain("Open Settings"),
        new_workspace: () => expect(buttons, code).toContain("New workspace…"),
        copy: () => expect(buttons, code).toContain("Copy details"),
        none: () => expect(buttons, code).toEqual([]),
      };
      expected[h.action]();
      if (h.settings) expect(links, code).toContain("Open Settings");
      unmount();
    }
  });

  it("turns Settings in a message into a link to Settings", () => {
    render(ErrorCard, {
      error: {
        code: "secret_missing",
        message: "the keychain has no DATABASE_URL for prod: set it with `envdeck secret set prod DATABASE_URL` or in Settings",
        retryable: false,
      },
      hint: "none here",
    });
    const message = screen.getByText(/the keychain has no DATABASE_URL/);
    const link = within(message).getByRole("link", { name: "Settings" });
    expect(link).toHaveAttribute("href", "#settings");
    expect(within(message).getByText("envdeck secret set prod DATABASE_URL").tagName).toBe("CODE");
  });

  it("opens the New workspace sheet when there is no workspace", async () => {
    render(ErrorCard, { error: { code: "workspace_not_found", message: "no workspace file at /gone/envdeck.toml", retryable: false } });
    await fireEvent.click(screen.getByTestId("error-new-workspace"));
    await vi.waitFor(() => expect(openNewWorkspace).toHaveBeenCalledOnce());
  });
});
