import { randomUUID } from 'node:crypto';
import { link, open, readFile, rename, stat, unlink, utimes } from 'node:fs/promises';
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { BatonError } from '../../domain/errors.ts';
import { isPidAlive } from './isPidAlive.ts';

/** What a lock file holds. */
export interface FileLockRecord {
  pid: number;
  host: string;
  /** ISO time the lock was taken */
  at: string;
  nonce: string;
  /** what it guards, for messages */
  purpose: string;
}

export interface FileLockOptions {
  signal: AbortSignal;
  /** for messages: `fetch of acme/widgets` */
  purpose: string;
  /** a lock whose holder died (same host) or not refreshed for this long is taken over (default 10 min) */
  staleMs?: number;
  /** how long to wait for a live holder before failing (default 10 min) */
  waitMs?: number;
}

export interface HeldFileLock {
  readonly path: string;
  /** Remove the lock if it is still ours. */
  release(): Promise<void>;
}

/**
 * A cross-process lock: `path` created with O_EXCL holding pid, host, time and a nonce. While
 * held, its mtime is refreshed every staleMs/3, so only a holder that died (pid gone on this host)
 * or stopped refreshing for `staleMs` loses it. Takeover renames the stale file away first and
 * checks it renamed what it judged, so two waiters never both win.
 */
export async function acquireFileLock(path: string, opts: FileLockOptions): Promise<HeldFileLock> {
  const staleMs = opts.staleMs ?? 10 * 60_000;
  const deadline = Date.now() + (opts.waitMs ?? 10 * 60_000);
  let delay = 20;
  for (;;) {
    opts.signal.throwIfAborted();
    const record: FileLockRecord = {
      pid: process.pid,
      host: hostname(),
      at: new Date().toISOString(),
      nonce: randomUUID(),
      purpose: opts.purpose,
    };
    if (await tryCreate(path, record)) return held(path, record, staleMs);
    const seen = await readLock(path);
    if (seen === null) continue; // released meanwhile
    if (isStale(seen, staleMs)) {
      await takeOver(path, seen.text);
      continue;
    }
    if (Date.now() >= deadline) {
      const who = seen.record
        ? `pid ${seen.record.pid} on ${seen.record.host} since ${seen.record.at}`
        : 'an unknown process';
      throw new BatonError('conflict', `${opts.purpose} is locked by ${who} (${path})`, {
        retryable: true,
        hint: `wait for it to finish; if that process is gone, delete ${path}`,
      });
    }
    await sleep(Math.min(delay, Math.max(1, deadline - Date.now())), undefined, {
      signal: opts.signal,
    }).catch(
      () => opts.signal.throwIfAborted(), // reject with the caller's reason, not a bare AbortError
    );
    delay = Math.min(delay * 2, 500);
  }
}

async function tryCreate(path: string, record: FileLockRecord): Promise<boolean> {
  let fh;
  try {
    fh = await open(path, 'wx', 0o644);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  }
  try {
    await fh.writeFile(JSON.stringify(record));
  } finally {
    await fh.close();
  }
  return true;
}

interface SeenLock {
  text: string;
  record: FileLockRecord | null;
  mtimeMs: number;
}

async function readLock(path: string): Promise<SeenLock | null> {
  try {
    const [text, st] = await Promise.all([readFile(path, 'utf8'), stat(path)]);
    let record: FileLockRecord | null = null;
    try {
      record = JSON.parse(text) as FileLockRecord;
    } catch {
      // being written, or garbage: judged by age alone
    }
    return { text, record, mtimeMs: st.mtimeMs };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}

function isStale(seen: SeenLock, staleMs: number): boolean {
  const age = Date.now() - seen.mtimeMs;
  if (seen.record === null) return age > Math.min(staleMs, 5000);
  if (seen.record.host === hostname() && !isPidAlive(seen.record.pid)) return true;
  return age > staleMs;
}

async function takeOver(path: string, judged: string): Promise<void> {
  const aside = `${path}.stale-${randomUUID()}`;
  try {
    await rename(path, aside);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw e;
  }
  const moved = await readFile(aside, 'utf8').catch(() => judged);
  // Renamed a fresh lock another waiter just took: put it back unless a third one got in.
  if (moved !== judged) await link(aside, path).catch(() => undefined);
  await unlink(aside).catch(() => undefined);
}

function held(path: string, record: FileLockRecord, staleMs: number): HeldFileLock {
  const beat = setInterval(
    () => {
      const now = new Date();
      utimes(path, now, now).catch(() => undefined);
    },
    Math.max(50, Math.floor(staleMs / 3)),
  );
  beat.unref();
  return {
    path,
    async release() {
      clearInterval(beat);
      const seen = await readLock(path);
      if (seen?.record?.nonce === record.nonce) await unlink(path).catch(() => undefined);
    },
  };
}
