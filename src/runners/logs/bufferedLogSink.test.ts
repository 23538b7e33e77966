import { describe, expect, it } from 'vitest';
import { BufferedLogSink, type BufferedLogSinkOptions, type LogChunk } from './bufferedLogSink.ts';

const b = (s: string) => Buffer.from(s);
const text = (chunks: LogChunk[]) => chunks.map((c) => `${c.stream}:${c.data.toString()}`);

function recorder(extra: Partial<BufferedLogSinkOptions> = {}) {
  const persisted: LogChunk[] = [];
  const calls: LogChunk[][] = [];
  const sink = new BufferedLogSink({
    flushIntervalMs: 10_000,
    persist: async (chunks) => {
      calls.push(chunks);
      persisted.push(...chunks);
    },
    ...extra,
  });
  return { sink, persisted, calls };
}

describe('BufferedLogSink', () => {
  it('coalesces consecutive writes of one stream and splits on stream change, seq from 0', async () => {
    const { sink, persisted } = recorder();
    for (const s of ['a', 'b', 'c']) void sink.write('stdout', b(s));
    void sink.write('stderr', b('E'));
    void sink.write('stdout', b('d'));
    await sink.flush();
    expect(text(persisted)).toEqual(['stdout:abc', 'stderr:E', 'stdout:d']);
    expect(persisted.map((c) => c.seq)).toEqual([0, 1, 2]);
    expect(sink.bytesWritten).toBe(5);
    await sink.flush(); // nothing new: no call, no error
    expect(persisted).toHaveLength(3);
  });

  it('splits at chunkBytes without losing bytes and persists full chunks right away', async () => {
    const { sink, persisted } = recorder({ chunkBytes: 4 });
    void sink.write('stdout', b('0123456789'));
    await new Promise((r) => setTimeout(r, 5));
    expect(text(persisted)).toEqual(['stdout:0123', 'stdout:4567']); // the open 2-byte chunk waits
    await sink.flush();
    expect(Buffer.concat(persisted.map((c) => c.data)).toString()).toBe('0123456789');
    expect(persisted.every((c) => c.data.length <= 4)).toBe(true);
  });

  it('persists a partial chunk after flushIntervalMs', async () => {
    const { sink, persisted } = recorder({ flushIntervalMs: 20 });
    void sink.write('system', b('hello'));
    expect(persisted).toHaveLength(0);
    await new Promise((r) => setTimeout(r, 80));
    expect(text(persisted)).toEqual(['system:hello']);
  });

  it('keeps one persist call in flight, in order, and applies backpressure over maxBufferedBytes', async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    const seqs: number[] = [];
    const sink = new BufferedLogSink({
      chunkBytes: 8,
      maxBufferedBytes: 32,
      persist: async (chunks) => {
        maxInFlight = Math.max(maxInFlight, ++inFlight);
        await new Promise((r) => setTimeout(r, 5));
        seqs.push(...chunks.map((c) => c.seq));
        inFlight--;
      },
    });
    let blocked = 0;
    for (let i = 0; i < 50; i++) {
      const r = sink.write(i % 3 === 0 ? 'stderr' : 'stdout', Buffer.alloc(5, i));
      if (r) {
        blocked++;
        await r;
      }
    }
    await sink.flush();
    expect(maxInFlight).toBe(1);
    expect(blocked).toBeGreaterThan(0);
    expect(seqs).toEqual(seqs.map((_, i) => i));
    expect(sink.bytesPersisted).toBe(250);
    expect(sink.peakBufferedBytes).toBeLessThanOrEqual(32 + 5);
  });

  it('releases a waiting writer even when maxBufferedBytes is below chunkBytes', async () => {
    const { sink, persisted } = recorder({ chunkBytes: 1024, maxBufferedBytes: 4 });
    const r = sink.write('stdout', b('0123456789'));
    expect(r).toBeInstanceOf(Promise);
    await r;
    expect(text(persisted)).toEqual(['stdout:0123456789']);
  });

  it('retries a failed persist with the same chunks, then succeeds', async () => {
    let failures = 2;
    const calls: number[][] = [];
    const sink = new BufferedLogSink({
      retryDelayMs: 1,
      persist: async (chunks) => {
        calls.push(chunks.map((c) => c.seq));
        if (failures-- > 0) throw new Error('db busy');
      },
    });
    void sink.write('stdout', b('x'));
    await sink.flush();
    expect(calls).toEqual([[0], [0], [0]]);
    expect(sink.bytesPersisted).toBe(1);
  });

  it('surfaces a persistent failure from flush() and never blocks writers', async () => {
    const sink = new BufferedLogSink({
      retries: 2,
      retryDelayMs: 1,
      maxBufferedBytes: 4,
      persist: async () => {
        throw new Error('disk full');
      },
    });
    const r = sink.write('stdout', b('0123456789'));
    await r; // released when persisting gave up
    await expect(sink.flush()).rejects.toThrow('disk full');
    expect(sink.write('stdout', b('more'))).toBeUndefined();
    expect(sink.bytesDropped).toBe(14);
    await expect(sink.flush()).rejects.toThrow('disk full');
  });
});
