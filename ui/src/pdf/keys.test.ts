import { keyCommand, type KeyPress } from "./keys";

const press = (key: string, mods: Partial<KeyPress> = {}): KeyPress => ({ key, ctrlKey: false, metaKey: false, altKey: false, ...mods });

describe("keyCommand", () => {
  it("maps the viewer's keys", () => {
    expect(keyCommand(press("f", { ctrlKey: true }), false, true)).toBe("find");
    expect(keyCommand(press("F", { metaKey: true }), false, true)).toBe("find");
    expect(keyCommand(press("=", { ctrlKey: true }), false, true)).toBe("zoom-in");
    expect(keyCommand(press("-", { ctrlKey: true }), false, true)).toBe("zoom-out");
    expect(keyCommand(press("0", { ctrlKey: true }), false, true)).toBe("fit-width");
    expect(keyCommand(press("PageDown"), false, true)).toBe("next-page");
    expect(keyCommand(press("PageUp"), false, true)).toBe("previous-page");
    expect(keyCommand(press("Home"), false, true)).toBe("first-page");
    expect(keyCommand(press("End"), false, true)).toBe("last-page");
    expect(keyCommand(press("Escape"), false, true)).toBe("escape");
    expect(keyCommand(press("ArrowDown"), false, true)).toBe("scroll");
    expect(keyCommand(press("j"), false, true)).toBe("scroll");
  });

  it("leaves typing, other shortcuts and an empty viewer alone", () => {
    expect(keyCommand(press("PageDown"), true, true)).toBeNull();
    expect(keyCommand(press("f", { ctrlKey: true }), true, true)).toBe("find");
    expect(keyCommand(press("f", { ctrlKey: true, altKey: true }), false, true)).toBeNull();
    expect(keyCommand(press("Home", { altKey: true }), false, true)).toBeNull();
    expect(keyCommand(press("x"), false, true)).toBeNull();
    expect(keyCommand(press("f", { ctrlKey: true }), false, false)).toBeNull();
  });
});
