import type { ImportProgress } from "./bindings";

const tauri = vi.hoisted(() => ({
  invoke: vi.fn<(cmd: string, args?: Record<string, unknown>) => Promise<unknown>>(),
  listen: vi.fn<(name: string, cb: (e: { payload: unknown }) => void) => Promise<() => void>>(),
}));

vi.mock("@tauri-apps/api/core", () => ({
  invoke: tauri.invoke,
  Channel: class Channel<T> {
    onmessage: (message: T) => void = () => {};
  },
}));

vi.mock("@tauri-apps/api/event", () => ({
  listen: tauri.listen,
  once: vi.fn(),
  emit: vi.fn(),
  emitTo: vi.fn(),
}));

import { Channel } from "@tauri-apps/api/core";
import { api, ApiError, unwrap } from "./api";

beforeEach(() => {
  tauri.invoke.mockReset();
  tauri.listen.mockReset();
});

async function caught(p: Promise<unknown>): Promise<ApiError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(ApiError);
    return e as ApiError;
  }
  throw new Error("expected a rejection");
}

describe("unwrap", () => {
  it("returns the data of an ok outcome", async () => {
    await expect(unwrap(Promise.resolve({ status: "ok" as const, data: [1, 2] }))).resolves.toEqual([1, 2]);
  });

  it("throws an ApiError carrying the engine's kind and message", async () => {
    const e = await caught(
      unwrap(Promise.resolve({ status: "error" as const, error: { kind: "not_found", message: "no paper x" } })),
    );
    expect(e.kind).toBe("not_found");
    expect(e.message).toBe("no paper x");
    expect(e.name).toBe("ApiError");
  });

  it("turns a rejected promise into an internal ApiError", async () => {
    const e = await caught(unwrap(Promise.reject(new Error("bridge down"))));
    expect(e.kind).toBe("internal");
    expect(e.message).toBe("bridge down");
    const e2 = await caught(unwrap(Promise.reject("plain string")));
    expect(e2.kind).toBe("internal");
    expect(e2.message).toBe("plain string");
  });
});

describe("api wrappers", () => {
  it("search invokes `search` with query, filter and limit, and returns the hits", async () => {
    const hits = [{ id: "p1" }];
    tauri.invoke.mockResolvedValue(hits);
    const filter = { tag: null, status: null, starred: false };
    await expect(api.search("q", filter, 50)).resolves.toBe(hits);
    expect(tauri.invoke).toHaveBeenCalledTimes(1);
    expect(tauri.invoke).toHaveBeenCalledWith("search", { query: "q", filter, limit: 50 });
  });

  it("uses the snake_case command names and argument names", async () => {
    tauri.invoke.mockResolvedValue(null);
    await api.updateNote("n1", "body");
    await api.setStarred("k", true);
    expect(tauri.invoke.mock.calls).toEqual([
      ["update_note", { noteId: "n1", body: "body" }],
      ["set_starred", { key: "k", starred: true }],
    ]);
  });

  it("turns a rejected invoke with {kind, message} into an ApiError of that kind", async () => {
    tauri.invoke.mockRejectedValue({ kind: "locked", message: "library is locked" });
    const e = await caught(api.paper("smith2020"));
    expect(tauri.invoke).toHaveBeenCalledWith("paper", { key: "smith2020" });
    expect(e.kind).toBe("locked");
    expect(e.message).toBe("library is locked");
  });

  it("turns a rejected invoke with an Error into an internal ApiError", async () => {
    tauri.invoke.mockRejectedValue(new Error("ipc failed"));
    const e = await caught(api.libraryInfo());
    expect(e.kind).toBe("internal");
    expect(e.message).toBe("ipc failed");
  });

  it("importText passes a Channel whose onmessage reports progress", async () => {
    const report = { added: 1, merged: 0, skipped: 0, problems: [], added_ids: ["a"] };
    tauri.invoke.mockResolvedValue(report);
    const seen: ImportProgress[] = [];
    await expect(api.importText("@article{a}", "paste", (p) => seen.push(p))).resolves.toBe(report);

    const [cmd, args] = tauri.invoke.mock.calls[0];
    expect(cmd).toBe("import_text");
    expect(args).toMatchObject({ text: "@article{a}", source: "paste" });
    const channel = args!.progress as Channel<ImportProgress>;
    expect(channel).toBeInstanceOf(Channel);
    const msg: ImportProgress = { stage: "writing", done: 1, total: 3 };
    channel.onmessage(msg);
    expect(seen).toEqual([msg]);
  });

  it("onDrop listens to drop-event and hands the payload to the callback", async () => {
    let handler: ((e: { payload: unknown }) => void) | undefined;
    tauri.listen.mockImplementation(async (_name, cb) => {
      handler = cb;
      return () => {};
    });
    const got: unknown[] = [];
    await api.onDrop((e) => got.push(e));
    expect(tauri.listen.mock.calls[0][0]).toBe("drop-event");
    handler!({ payload: { kind: "dropped", paths: ["/a.bib"] } });
    expect(got).toEqual([{ kind: "dropped", paths: ["/a.bib"] }]);
  });
});
