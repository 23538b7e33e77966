/**
 * A progress line on stderr for the long parts of the benchmark ("what is running, for how long").
 *
 * On a TTY the line is redrawn in place (with elapsed time, refreshed 4×/s); elsewhere (CI, a pipe)
 * it prints one line per step start/end and at most one detail line every 5 s, so logs stay short.
 * stdout is left to the report.
 */
import { nowMs } from './stats.ts';

export class Progress {
  private readonly stream: NodeJS.WriteStream;
  private readonly tty: boolean;
  private readonly enabled: boolean;
  private label = '';
  private detail = '';
  private started = 0;
  private lastPlain = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(opts: { stream?: NodeJS.WriteStream; enabled?: boolean } = {}) {
    this.stream = opts.stream ?? process.stderr;
    this.tty = Boolean(this.stream.isTTY);
    this.enabled = opts.enabled ?? true;
  }

  /** Starts a new step (ends the current one, if any). */
  start(label: string): void {
    if (this.label) this.end();
    this.label = label;
    this.detail = '';
    this.started = nowMs();
    this.lastPlain = this.started;
    if (!this.enabled) return;
    if (this.tty) {
      this.draw();
      this.timer = setInterval(() => this.draw(), 250);
      this.timer.unref();
    } else {
      this.stream.write(`[bench] ${label} …\n`);
    }
  }

  /** Updates the detail shown after the step label (e.g. "412/1000 jobs"). */
  update(detail: string): void {
    this.detail = detail;
    if (!this.enabled || !this.label) return;
    if (this.tty) {
      this.draw();
    } else if (nowMs() - this.lastPlain > 5000) {
      this.lastPlain = nowMs();
      this.stream.write(`[bench]   ${this.label}: ${detail} (${this.elapsed()})\n`);
    }
  }

  /** Ends the current step, optionally with a one-line summary. */
  end(summary?: string): void {
    if (!this.label) return;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    if (this.enabled) {
      const line = `[bench] ${this.label}: ${summary ?? 'done'} (${this.elapsed()})`;
      this.stream.write(this.tty ? `\r\x1b[K${line}\n` : `${line}\n`);
    }
    this.label = '';
    this.detail = '';
  }

  /** Prints a message on its own line without disturbing the current step. */
  log(message: string): void {
    if (!this.enabled) return;
    if (this.tty && this.label) {
      this.stream.write(`\r\x1b[K[bench] ${message}\n`);
      this.draw();
    } else {
      this.stream.write(`[bench] ${message}\n`);
    }
  }

  /**
   * Runs `fn` as a step: start, then end with `summarize(result)` (or the error message).
   */
  async step<T>(label: string, fn: () => Promise<T>, summarize?: (result: T) => string): Promise<T> {
    this.start(label);
    try {
      const result = await fn();
      this.end(summarize ? summarize(result) : 'done');
      return result;
    } catch (error) {
      this.end(`FAILED: ${error instanceof Error ? error.message : String(error)}`);
      throw error;
    }
  }

  private elapsed(): string {
    return `${((nowMs() - this.started) / 1000).toFixed(1)} s`;
  }

  private draw(): void {
    const detail = this.detail ? ` ${this.detail}` : '';
    const line = `[bench] ${this.label}${detail} · ${this.elapsed()}`;
    const width = this.stream.columns || 120;
    this.stream.write(`\r\x1b[K${line.length > width - 1 ? line.slice(0, width - 1) : line}`);
  }
}

/** A progress sink that prints nothing (for programmatic use of the reference functions). */
export const silentProgress = new Progress({ enabled: false });
