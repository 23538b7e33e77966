/** A run of identical tool calls (same name, same input) in a row. */
export interface ToolRepeat {
  name: string;
  input: unknown;
  count: number;
}

/** Default number of identical calls in a row that counts as a loop. */
export const LOOP_THRESHOLD = 5;

/**
 * Watches tool calls for the same call repeated in a row (other events in between do not break the
 * run; a different call does). Input equality ignores key order.
 */
export class ToolLoopDetector {
  private key: string | null = null;
  private run: ToolRepeat | null = null;
  private best: ToolRepeat | null = null;
  private firstLoop: ToolRepeat | null = null;

  constructor(private readonly threshold = LOOP_THRESHOLD) {}

  /** Records a call; returns the current run including it. */
  push(name: string, input: unknown): ToolRepeat {
    const key = `${name}\u0000${stableStringify(input)}`;
    if (this.run && key === this.key) this.run = { ...this.run, count: this.run.count + 1 };
    else this.run = { name, input, count: 1 };
    this.key = key;
    if (!this.best || this.run.count > this.best.count) this.best = this.run;
    if (!this.firstLoop && this.run.count >= this.threshold) this.firstLoop = this.run;
    return this.run;
  }

  /** the run in progress */
  get current(): ToolRepeat | null {
    return this.run;
  }

  /** the longest run seen */
  get longest(): ToolRepeat | null {
    return this.best;
  }

  /** the first run that reached the threshold (as it was then), or null */
  get loop(): ToolRepeat | null {
    return this.firstLoop;
  }
}

/** JSON with object keys sorted, so equal values give equal strings. */
export function stableStringify(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableStringify(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
