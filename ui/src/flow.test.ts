import { Latest, moveIndex, SaveQueue, withProgress } from "./flow";

/** A promise with its resolve/reject exposed. */
function deferred<T = void>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Lets pending promise callbacks run. */
const tick = () => new Promise<void>((r) => setTimeout(r, 0));

describe("Latest", () => {
  it("treats only the newest ticket as current", () => {
    const latest = new Latest();
    const a = latest.next();
    expect(latest.isCurrent(a)).toBe(true);
    const b = latest.next();
    expect(b).not.toBe(a);
    expect(latest.isCurrent(a)).toBe(false);
    expect(latest.isCurrent(b)).toBe(true);
  });
});

describe("SaveQueue", () => {
  function recordingQueue() {
    const started: string[] = [];
    const gates: ReturnType<typeof deferred<void>>[] = [];
    const errors: unknown[] = [];
    const q = new SaveQueue<string>(
      (v) => {
        started.push(v);
        const d = deferred<void>();
        gates.push(d);
        return d.promise;
      },
      (e) => errors.push(e),
    );
    return { q, started, gates, errors };
  }

  it("saves right away when idle", () => {
    const { q, started } = recordingQueue();
    expect(q.busy).toBe(false);
    q.push("a");
    expect(started).toEqual(["a"]);
    expect(q.busy).toBe(true);
  });

  it("while a save is in flight, keeps only the newest value for the next save", async () => {
    const { q, started, gates } = recordingQueue();
    q.push("a");
    q.push("b");
    q.push("c");
    expect(started).toEqual(["a"]); // one save at a time
    gates[0].resolve();
    await tick();
    expect(started).toEqual(["a", "c"]);
    q.push("d");
    gates[1].resolve();
    await tick();
    expect(started).toEqual(["a", "c", "d"]);
    gates[2].resolve();
    await q.flush();
    expect(q.busy).toBe(false);
  });

  it("flush resolves only after every save finished", async () => {
    const { q, started, gates } = recordingQueue();
    let flushed = false;
    q.push("a");
    q.push("b");
    const f = q.flush().then(() => {
      flushed = true;
    });
    gates[0].resolve();
    await tick();
    expect(started).toEqual(["a", "b"]);
    expect(flushed).toBe(false);
    gates[1].resolve();
    await f;
    expect(flushed).toBe(true);
  });

  it("flush resolves at once when nothing is pending", async () => {
    const { q } = recordingQueue();
    await expect(q.flush()).resolves.toBeUndefined();
  });

  it("reports errors to onError and goes on saving", async () => {
    const { q, started, gates, errors } = recordingQueue();
    q.push("a");
    q.push("b");
    const boom = new Error("disk full");
    gates[0].reject(boom);
    await tick();
    expect(errors).toEqual([boom]);
    expect(started).toEqual(["a", "b"]);
    gates[1].resolve();
    await q.flush();
    expect(errors).toEqual([boom]);
    q.push("c");
    expect(started).toEqual(["a", "b", "c"]);
  });
});

describe("moveIndex", () => {
  it("moves within bounds and clamps at the ends", () => {
    expect(moveIndex(2, 1, 5)).toBe(3);
    expect(moveIndex(2, -1, 5)).toBe(1);
    expect(moveIndex(4, 1, 5)).toBe(4);
    expect(moveIndex(0, -1, 5)).toBe(0);
    expect(moveIndex(1, 10, 5)).toBe(4);
  });

  it("starts at the first or last item when nothing is selected", () => {
    expect(moveIndex(-1, 1, 5)).toBe(0);
    expect(moveIndex(-1, -1, 5)).toBe(4);
  });

  it("returns -1 for an empty list", () => {
    expect(moveIndex(0, 1, 0)).toBe(-1);
    expect(moveIndex(-1, -1, 0)).toBe(-1);
  });
});

describe("withProgress", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("neither shows nor hides when the work is quick", async () => {
    const show = vi.fn();
    const hide = vi.fn();
    const work = deferred<number>();
    const p = withProgress(work.promise, show, hide);
    await vi.advanceTimersByTimeAsync(299);
    work.resolve(7);
    await expect(p).resolves.toBe(7);
    await vi.advanceTimersByTimeAsync(1000);
    expect(show).not.toHaveBeenCalled();
    expect(hide).not.toHaveBeenCalled();
  });

  it("shows after 300 ms and hides when the work settles", async () => {
    const show = vi.fn();
    const hide = vi.fn();
    const work = deferred<string>();
    const p = withProgress(work.promise, show, hide);
    await vi.advanceTimersByTimeAsync(299);
    expect(show).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(show).toHaveBeenCalledTimes(1);
    expect(hide).not.toHaveBeenCalled();
    work.resolve("done");
    await expect(p).resolves.toBe("done");
    expect(hide).toHaveBeenCalledTimes(1);
  });

  it("hides after a slow failure and passes the error on", async () => {
    const show = vi.fn();
    const hide = vi.fn();
    const work = deferred<void>();
    const p = withProgress(work.promise, show, hide);
    const outcome = p.catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(500);
    const err = new Error("failed");
    work.reject(err);
    expect(await outcome).toBe(err);
    expect(show).toHaveBeenCalledTimes(1);
    expect(hide).toHaveBeenCalledTimes(1);
  });

  it("honours a custom delay", async () => {
    const show = vi.fn();
    withProgress(new Promise<void>(() => {}), show, () => {}, 50);
    await vi.advanceTimersByTimeAsync(50);
    expect(show).toHaveBeenCalledTimes(1);
  });
});
