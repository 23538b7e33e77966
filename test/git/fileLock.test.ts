import { existsSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isBatonError } from '../../src/domain/errors.ts';
import { acquireFileLock } from '../../src/forges/git/fileLock.ts';
import { tempDir } from './gitFixture.ts';

let tmp: ReturnType<typeof tempDir>;
let path: string;
const signal = () => new AbortController().signal;
beforeEach(() => {
  tmp = tempDir();
  path = join(tmp.dir, 'x.lock');
});
afterEach(() => tmp.cleanup());

describe('acquireFileLock', () => {
  it('serializes holders: the second waits for the first to release', async () => {
    const order: string[] = [];
    const first = await acquireFileLock(path, { signal: signal(), purpose: 'test' });
    expect(JSON.parse(readFileSync(path, 'utf8'))).toMatchObject({ pid: process.pid, purpose: 'test' });
    const second = acquireFileLock(path, { signal: signal(), purpose: 'test' }).then((l) => {
      order.push('second');
      return l;
    });
    await sleep(100);
    order.push('release first');
    await first.release();
    await (await second).release();
    expect(order).toEqual(['release first', 'second']);
    expect(existsSync(path)).toBe(false);
  });

  it('takes over a lock not refreshed for staleMs, even from a live pid', async () => {
    writeFileSync(
      path,
      JSON.stringify({ pid: process.pid, host: 'elsewhere', at: 'then', nonce: 'n', purpose: 'old' }),
    );
    const past = new Date(Date.now() - 60_000);
    utimesSync(path, past, past);
    const lock = await acquireFileLock(path, { signal: signal(), purpose: 'new', staleMs: 1000, waitMs: 0 });
    expect(JSON.parse(readFileSync(path, 'utf8'))).toMatchObject({ purpose: 'new' });
    await lock.release();
  });

  it('keeps a held lock fresh with a heartbeat', async () => {
    const held = await acquireFileLock(path, { signal: signal(), purpose: 'long fetch', staleMs: 300 });
    await sleep(700);
    const err = await acquireFileLock(path, {
      signal: signal(),
      purpose: 'other',
      staleMs: 300,
      waitMs: 100,
    }).catch((e: unknown) => e);
    expect(isBatonError(err, 'conflict')).toBe(true);
    expect((err as Error).message).toContain(`pid ${process.pid}`);
    await held.release();
  });

  it('release leaves a lock someone else took over alone', async () => {
    const mine = await acquireFileLock(path, { signal: signal(), purpose: 'a' });
    writeFileSync(path, JSON.stringify({ pid: 1, host: 'h', at: 'now', nonce: 'theirs', purpose: 'b' }));
    await mine.release();
    expect(existsSync(path)).toBe(true);
  });

  it('stops waiting when aborted', async () => {
    const held = await acquireFileLock(path, { signal: signal(), purpose: 'a' });
    const ac = new AbortController();
    const waiting = acquireFileLock(path, { signal: ac.signal, purpose: 'b' });
    setTimeout(() => ac.abort(new Error('run cancelled')), 50);
    await expect(waiting).rejects.toThrow('run cancelled');
    await held.release();
  });
});
