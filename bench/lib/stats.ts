/**
 * Small measurement helpers shared by every benchmark: percentiles, timers, rate loops, polling.
 */
import { performance } from 'node:perf_hooks';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';

/** Monotonic milliseconds (sub-millisecond resolution). */
export function nowMs(): number {
  return performance.now();
}

/**
 * The p-th percentile (0–100) of `values`, with linear interpolation between the two closest ranks
 * (the same definition as NumPy's default). Returns NaN for an empty array.
 */
export function percentile(values: readonly number[], p: number): number {
  if (!(p >= 0 && p <= 100)) throw new RangeError(`percentile: p must be within [0, 100], got ${p}`);
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p / 100) * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  const a = sorted[lo] ?? Number.NaN;
  const b = sorted[hi] ?? Number.NaN;
  return a + (b - a) * (rank - lo);
}

export function mean(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}

export interface LatencySummary {
  samples: number;
  p50: number;
  p90: number;
  p99: number;
  min: number;
  max: number;
  mean: number;
}

export function summarize(values: readonly number[]): LatencySummary {
  return {
    samples: values.length,
    p50: percentile(values, 50),
    p90: percentile(values, 90),
    p99: percentile(values, 99),
    min: values.length ? Math.min(...values) : Number.NaN,
    max: values.length ? Math.max(...values) : Number.NaN,
    mean: mean(values),
  };
}

/** Runs `fn` once and returns its result with the wall-clock duration in milliseconds. */
export async function timeIt<T>(fn: () => Promise<T> | T): Promise<{ result: T; ms: number }> {
  const start = nowMs();
  const result = await fn();
  return { result, ms: nowMs() - start };
}

export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) {
    const reason: unknown = signal.reason;
    throw reason instanceof Error ? reason : new Error('aborted');
  }
}

/** Resolves after `ms`; rejects early when `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason instanceof Error ? signal.reason : new Error('aborted'));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Lets timers, I/O callbacks and signal handlers run (use inside long synchronous loops). */
export async function yieldNow(): Promise<void> {
  await yieldToEventLoop();
}

/**
 * Polls `predicate` every `intervalMs` until it returns true. Throws after `timeoutMs` (naming `what`)
 * or when `signal` aborts.
 */
export async function waitUntil(
  predicate: () => boolean | Promise<boolean>,
  opts: { what: string; timeoutMs: number; intervalMs?: number; signal?: AbortSignal },
): Promise<void> {
  const deadline = nowMs() + opts.timeoutMs;
  const interval = opts.intervalMs ?? 10;
  for (;;) {
    throwIfAborted(opts.signal);
    if (await predicate()) return;
    if (nowMs() > deadline) throw new Error(`timed out after ${opts.timeoutMs} ms waiting for ${opts.what}`);
    await sleep(interval, opts.signal);
  }
}

/**
 * A promise with its resolve/reject exposed, for "the handler started" style signals.
 */
export interface Deferred<T> {
  promise: Promise<T>;
  resolve: (value: T) => void;
  reject: (error: Error) => void;
}

export function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Rejects with a clear message if `promise` does not settle within `ms`. */
export async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export interface RateResult {
  /** Operations completed. */
  ops: number;
  /** Wall-clock milliseconds for all of them. */
  ms: number;
  /** ops per second. */
  rate: number;
  /** True when the run stopped at `maxMs` before reaching `iterations`. */
  capped: boolean;
}

/**
 * Runs `op` from `concurrency` concurrent lanes until `iterations` operations are done in total or
 * `maxMs` has elapsed, whichever comes first, and returns the aggregate rate. `onProgress` is called
 * at most every ~250 ms with the count so far.
 */
export async function measureRate(opts: {
  iterations: number;
  concurrency: number;
  maxMs: number;
  op: (lane: number, index: number) => Promise<void>;
  signal?: AbortSignal;
  onProgress?: (done: number) => void;
}): Promise<RateResult> {
  let issued = 0;
  let done = 0;
  let capped = false;
  let lastProgress = 0;
  const start = nowMs();
  const lane = async (laneId: number): Promise<void> => {
    for (;;) {
      throwIfAborted(opts.signal);
      if (issued >= opts.iterations) return;
      const now = nowMs();
      if (now - start > opts.maxMs) {
        capped = true;
        return;
      }
      const index = issued++;
      await opts.op(laneId, index);
      done++;
      if (opts.onProgress && now - lastProgress > 250) {
        lastProgress = now;
        opts.onProgress(done);
      }
    }
  };
  await Promise.all(Array.from({ length: opts.concurrency }, (_, i) => lane(i)));
  const ms = nowMs() - start;
  return { ops: done, ms, rate: (done / ms) * 1000, capped };
}

/**
 * Synchronous variant for better-sqlite3: runs `op` in chunks and yields to the event loop between
 * chunks so that progress output and abort signals still work.
 */
export async function measureRateSync(opts: {
  iterations: number;
  maxMs: number;
  op: (index: number) => void;
  chunk?: number;
  signal?: AbortSignal;
  onProgress?: (done: number) => void;
}): Promise<RateResult> {
  const chunk = opts.chunk ?? 50;
  let done = 0;
  let capped = false;
  const start = nowMs();
  while (done < opts.iterations) {
    throwIfAborted(opts.signal);
    if (nowMs() - start > opts.maxMs) {
      capped = true;
      break;
    }
    const end = Math.min(opts.iterations, done + chunk);
    for (; done < end; done++) opts.op(done);
    opts.onProgress?.(done);
    await yieldNow();
  }
  const ms = nowMs() - start;
  return { ops: done, ms, rate: (done / ms) * 1000, capped };
}

/** Uniform random integer-ish delay in [0, maxMs). */
export function jitter(maxMs: number): number {
  return Math.random() * maxMs;
}
