import { fireEvent, render, screen } from "@testing-library/svelte";
import { afterEach, describe, expect, it, vi } from "vitest";
import Select from "./Select.svelte";

const OPTIONS = [
  { value: "dev", label: "dev", hint: "development" },
  { value: "staging", label: "staging", hint: "staging" },
  { value: "prod", label: "prod", hint: "production" },
];

function renderSelect(value = "dev") {
  const onchange = vi.fn();
  render(Select, { value, options: OPTIONS, onchange, label: "Environment", testid: "env" });
  return { onchange, button: screen.getByRole("combobox", { name: "Environment" }) };
}

describe("Select", () => {
  afterEach(() => document.body.replaceChildren());

  it("shows the picked option on a button, its list closed", () => {
    const { button } = renderSelect("staging");
    expect(button).toHaveTextContent("staging");
    expect(button).toHaveAttribute("aria-expanded", "false");
    expect(screen.queryByRole("listbox")).toBeNull();
  });

  it("is picked from with the keyboard alone: arrow to open, arrows to move, Enter to pick", async () => {
    const { onchange, button } = renderSelect("dev");
    button.focus();
    await fireEvent.keyDown(button, { key: "ArrowDown" });
    expect(button).toHaveAttribute("aria-expanded", "true");
    const list = screen.getByRole("listbox");
    expect(screen.getByRole("option", { name: /dev/ })).toHaveAttribute("aria-selected", "true");
    // The active option is announced through the button, which keeps the focus.
    expect(button.getAttribute("aria-activedescendant")).toBe(screen.getAllByRole("option")[0].id);
    await fireEvent.keyDown(button, { key: "ArrowDown" });
    await fireEvent.keyDown(button, { key: "ArrowDown" });
    expect(button.getAttribute("aria-activedescendant")).toBe(screen.getAllByRole("option")[2].id);
    await fireEvent.keyDown(button, { key: "Enter" });
    expect(onchange).toHaveBeenCalledWith("prod");
    expect(list.isConnected).toBe(false);
    expect(document.activeElement).toBe(button);
  });

  it("jumps to an option by its first letter, and Home/End to the ends", async () => {
    const { onchange, button } = renderSelect("dev");
    await fireEvent.keyDown(button, { key: " " });
    await fireEvent.keyDown(button, { key: "s" });
    await fireEvent.keyDown(button, { key: "Enter" });
    expect(onchange).toHaveBeenLastCalledWith("staging");
    await fireEvent.keyDown(button, { key: "Enter" });
    await fireEvent.keyDown(button, { key: "End" });
    await fireEvent.keyDown(button, { key: "Enter" });
    expect(onchange).toHaveBeenLastCalledWith("prod");
  });

  it("closes on Escape without picking, and Escape goes no further (a dialog around it stays)", async () => {
    const { onchange, button } = renderSelect("dev");
    const outer = vi.fn();
    const listen = (e: KeyboardEvent) => e.key === "Escape" && outer();
    document.addEventListener("keydown", listen);
    await fireEvent.keyDown(button, { key: "ArrowDown" });
    await fireEvent.keyDown(button, { key: "ArrowDown" });
    await fireEvent.keyDown(button, { key: "Escape" });
    document.removeEventListener("keydown", listen);
    expect(screen.queryByRole("listbox")).toBeNull();
    expect(onchange).not.toHaveBeenCalled();
    expect(outer).not.toHaveBeenCalled();
  });

  it("is picked from with the mouse, and a click elsewhere closes it", async () => {
    const { onchange, button } = renderSelect("dev");
    await fireEvent.click(button);
    await fireEvent.click(screen.getByRole("option", { name: /staging/ }));
    expect(onchange).toHaveBeenCalledWith("staging");
    await fireEvent.click(button);
    expect(screen.getByRole("listbox")).toBeInTheDocument();
    await fireEvent.pointerDown(document.body);
    expect(screen.queryByRole("listbox")).toBeNull();
  });

  it("does not open while disabled", async () => {
    render(Select, { value: "dev", options: OPTIONS, onchange: vi.fn(), label: "Environment", disabled: true });
    const button = screen.getByRole("combobox", { name: "Environment" });
    expect(button).toBeDisabled();
    await fireEvent.keyDown(button, { key: "ArrowDown" });
    expect(screen.queryByRole("listbox")).toBeNull();
  });

  it("mirrors its value in a native select for automation (data-testid), whose change picks too", async () => {
    const { onchange } = renderSelect("dev");
    const native = screen.getByTestId("env") as HTMLSelectElement;
    expect(native).toHaveValue("dev");
    await fireEvent.change(native, { target: { value: "prod" } });
    expect(onchange).toHaveBeenCalledWith("prod");
  });
});
