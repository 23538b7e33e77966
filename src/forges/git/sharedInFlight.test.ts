import { describe, expect, it } from 'vitest';
import { SharedInFlight } from './sharedInFlight.ts';

function deferred<T>() {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

describe('SharedInFlight', () => {
  it('runs one task for concurrent callers of a key and a new one afterwards', async () => {
    const shared = new SharedInFlight<number>();
    let runs = 0;
    const gate = deferred<void>();
    const task = async () => {
      runs++;
      await gate.promise;
      return runs;
    };
    const a = shared.run('k', new AbortController().signal, task);
    const b = shared.run('k', new AbortController().signal, task);
    const other = shared.run('other', new AbortController().signal, task);
    gate.resolve();
    expect(await Promise.all([a, b, other])).toEqual([2, 2, 2]);
    expect(runs).toBe(2);
    await shared.run('k', new AbortController().signal, task);
    expect(runs).toBe(3);
  });

  it('aborts the task only when every caller left', async () => {
    const shared = new SharedInFlight<string>();
    let taskSignal: AbortSignal | undefined;
    const task = (s: AbortSignal) => {
      taskSignal = s;
      return new Promise<string>((_, reject) =>
        s.addEventListener('abort', () => reject(new Error('stopped'))),
      );
    };
    const one = new AbortController();
    const two = new AbortController();
    const p1 = shared.run('k', one.signal, task);
    const p2 = shared.run('k', two.signal, task);
    await Promise.resolve();
    one.abort(new Error('one left'));
    await expect(p1).rejects.toThrow('one left');
    expect(taskSignal?.aborted).toBe(false);
    two.abort(new Error('two left'));
    await expect(p2).rejects.toThrow('two left');
    expect(taskSignal?.aborted).toBe(true);
    expect(shared.has('k')).toBe(false);
  });

  it('passes a failure to every caller', async () => {
    const shared = new SharedInFlight<void>();
    const task = async () => {
      throw new Error('fetch failed');
    };
    const calls = [
      shared.run('k', new AbortController().signal, task),
      shared.run('k', new AbortController().signal, task),
    ];
    for (const c of calls) await expect(c).rejects.toThrow('fetch failed');
  });
});
