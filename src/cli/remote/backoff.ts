export interface BackoffOptions {
  /** first delay */
  initialMs: number;
  /** delays double up to this */
  maxMs: number;
  /** give up once failing for this long (Infinity: never) */
  giveUpMs: number;
}

export const RECONNECT: Readonly<BackoffOptions> = { initialMs: 250, maxMs: 5_000, giveUpMs: 60_000 };

/**
 * Capped exponential backoff with ±20 % jitter over one outage: `failed()` gives the delay before the
 * next try, or null once the outage has lasted `giveUpMs`; `ok()` ends the outage.
 */
export class Backoff {
  private since: number | null = null;
  private tries = 0;

  constructor(
    private readonly o: BackoffOptions = RECONNECT,
    private readonly now: () => number = Date.now,
    private readonly random: () => number = Math.random,
  ) {}

  get failing(): boolean {
    return this.since !== null;
  }

  failed(): number | null {
    const now = this.now();
    this.since ??= now;
    if (now - this.since >= this.o.giveUpMs) return null;
    const base = Math.min(this.o.maxMs, this.o.initialMs * 2 ** this.tries++);
    const delay = Math.round(base * (0.8 + 0.4 * this.random()));
    // never sleep past the deadline: the last try happens at it
    return Math.max(0, Math.min(delay, this.since + this.o.giveUpMs - now));
  }

  ok(): void {
    this.since = null;
    this.tries = 0;
  }
}
