import { describe, expect, it } from 'vitest';
import { Backoff } from './backoff.ts';

describe('Backoff', () => {
  it('doubles up to the cap, gives up after the window, starts over after ok()', () => {
    let t = 0;
    const b = new Backoff(
      { initialMs: 250, maxMs: 5_000, giveUpMs: 60_000 },
      () => t,
      () => 0.5,
    );
    const delays: number[] = [];
    for (let i = 0; i < 7; i++) {
      const d = b.failed();
      delays.push(d ?? -1);
      t += d ?? 0;
    }
    expect(delays).toEqual([250, 500, 1000, 2000, 4000, 5000, 5000]);
    expect(b.failing).toBe(true);
    t += 60_000;
    expect(b.failed()).toBeNull();
    b.ok();
    expect(b.failing).toBe(false);
    expect(b.failed()).toBe(250);
  });

  it('never waits past the deadline', () => {
    let t = 0;
    const b = new Backoff(
      { initialMs: 4_000, maxMs: 5_000, giveUpMs: 6_000 },
      () => t,
      () => 1,
    );
    expect(b.failed()).toBe(4_800);
    t = 5_000;
    expect(b.failed()).toBe(1_000);
    t = 6_000;
    expect(b.failed()).toBeNull();
  });
});
