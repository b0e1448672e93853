// Small pieces of control flow the UI relies on: ignore stale answers, and
// save the latest value with at most one save in flight.

/** Tickets for requests; only the newest ticket's answer is used. */
export class Latest {
  private n = 0;
  next(): number {
    this.n += 1;
    return this.n;
  }
  isCurrent(ticket: number): boolean {
    return ticket === this.n;
  }
}

/** Saves values in order, skipping intermediate ones: while a save runs,
 * only the newest pushed value is kept, and saved when it finishes. */
export class SaveQueue<T> {
  private pending: { value: T } | null = null;
  private running: Promise<void> | null = null;
  constructor(
    private readonly save: (value: T) => Promise<void>,
    private readonly onError: (e: unknown) => void = () => {},
  ) {}

  push(value: T): void {
    this.pending = { value };
    if (!this.running) this.running = this.drain();
  }

  get busy(): boolean {
    return this.running !== null;
  }

  /** Resolves when everything pushed so far is saved (or failed). */
  async flush(): Promise<void> {
    while (this.running) await this.running;
  }

  private async drain(): Promise<void> {
    while (this.pending) {
      const { value } = this.pending;
      this.pending = null;
      try {
        await this.save(value);
      } catch (e) {
        this.onError(e);
      }
    }
    this.running = null;
  }
}

/** Moves a selection index by `delta`, staying inside [0, length). */
export function moveIndex(current: number, delta: number, length: number): number {
  if (length <= 0) return -1;
  if (current < 0) return delta > 0 ? 0 : length - 1;
  return Math.max(0, Math.min(length - 1, current + delta));
}

/** Runs `work`; if it takes longer than `after` ms, calls `show` until it
 * settles, then `hide`. */
export async function withProgress<T>(
  work: Promise<T>,
  show: () => void,
  hide: () => void,
  after = 300,
): Promise<T> {
  let shown = false;
  const timer = setTimeout(() => {
    shown = true;
    show();
  }, after);
  try {
    return await work;
  } finally {
    clearTimeout(timer);
    if (shown) hide();
  }
}
