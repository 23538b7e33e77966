import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../helpers/engineHarness.ts';

describe('a 100 MB step output', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await createHarness('sqlite');
  });
  afterEach(async () => h.close());

  it('is stored whole, in order, in bounded chunks, without growing the heap', async () => {
    await h.register(`
name: loud
steps:
  - id: flood
    run: awk 'BEGIN { for (i = 0; i < 10000000; i++) printf "%09d\\n", i }'; echo "done" >&2
    timeout: 2m
`);
    const heapBefore = process.memoryUsage().heapUsed;
    const run = await h.start('loud');
    let peakHeap = 0;
    const d = await h.waitFor(
      run.id,
      (x) => {
        peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
        return x.run.status === 'succeeded' || x.run.status === 'failed';
      },
      110_000,
    );
    expect(d.run.status).toBe('succeeded');
    const stepId = h.step(d, 'flood').id;
    let bytes = 0;
    let maxChunk = 0;
    let nextSeq = 0;
    let afterSeq = -1;
    let tail = '';
    let stderr = '';
    for (;;) {
      const chunks = await h.store.readLogs(stepId, 1, afterSeq, 200);
      if (chunks.length === 0) break;
      for (const c of chunks) {
        expect(c.seq).toBe(nextSeq++);
        if (c.stream === 'stdout') {
          bytes += c.data.length;
          tail = (tail + c.data.toString('latin1')).slice(-32);
        } else stderr += c.data.toString();
        maxChunk = Math.max(maxChunk, c.data.length);
        afterSeq = c.seq;
      }
    }
    expect(bytes).toBe(100_000_000);
    expect(maxChunk).toBeLessThanOrEqual(64 * 1024);
    expect(stderr).toContain('done');
    // 10,000,000 numbered lines of 10 bytes: the last ones arrive last
    expect(tail.endsWith('009999997\n009999998\n009999999\n')).toBe(true);
    // memory stayed bounded: far less than the 100 MB that went through
    expect(peakHeap - heapBefore).toBeLessThan(60 * 1024 * 1024);
  }, 120_000);
});
