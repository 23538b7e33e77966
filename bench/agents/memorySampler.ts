/**
 * Samples this process's memory (`process.memoryUsage()`: rss, heapUsed) on a timer and keeps the
 * peaks; `collectGarbage()` runs a full GC (enabled at run time, the bench is not started with
 * --expose-gc) so idle and after-the-run figures are live memory, not garbage waiting.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { sleep } from '../lib/stats.ts';

export interface MemorySample {
  rss: number;
  heapUsed: number;
}

let gc: (() => void) | undefined;

/** A full, synchronous garbage collection, then a short pause for the allocator to settle. */
export async function collectGarbage(): Promise<void> {
  if (!gc) {
    setFlagsFromString('--expose-gc');
    gc = runInNewContext('gc') as () => void;
  }
  gc();
  await sleep(50);
  gc();
}

export function sampleMemory(): MemorySample {
  const { rss, heapUsed } = process.memoryUsage();
  return { rss, heapUsed };
}

export class MemorySampler {
  private timer: NodeJS.Timeout | undefined;
  samples = 0;
  peak: MemorySample = { rss: 0, heapUsed: 0 };

  start(intervalMs: number): void {
    this.take();
    this.timer = setInterval(() => this.take(), intervalMs);
  }

  stop(): MemorySample {
    clearInterval(this.timer);
    this.timer = undefined;
    this.take();
    return this.peak;
  }

  private take(): void {
    const m = sampleMemory();
    this.samples++;
    this.peak = { rss: Math.max(this.peak.rss, m.rss), heapUsed: Math.max(this.peak.heapUsed, m.heapUsed) };
  }
}

/** The median of `n` samples `intervalMs` apart (for an idle figure). */
export async function idleMemory(n: number, intervalMs: number, signal: AbortSignal): Promise<MemorySample> {
  const rss: number[] = [];
  const heap: number[] = [];
  for (let i = 0; i < n; i++) {
    if (i > 0) await sleep(intervalMs, signal);
    const m = sampleMemory();
    rss.push(m.rss);
    heap.push(m.heapUsed);
  }
  const mid = (v: number[]): number => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)] ?? Number.NaN;
  return { rss: mid(rss), heapUsed: mid(heap) };
}
