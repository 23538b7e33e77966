import { open, readFile, unlink, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { BatonError } from '../../domain/errors.ts';
import { isPidAlive } from './isPidAlive.ts';

/**
 * Who holds a worktree. Stored as JSON in `<admin dir>/locked`, the file `git worktree lock
 * --reason` writes, so git itself sees the worktree as locked (`prune` and a plain `remove` skip it).
 */
export interface WorktreeLockRecord {
  owner: string;
  pid: number;
  host: string;
  /** ISO time */
  at: string;
}

export function newLockRecord(owner: string): WorktreeLockRecord {
  return { owner, pid: process.pid, host: hostname(), at: new Date().toISOString() };
}

/** The lock, null when unlocked. A reason not written by Baton (`git worktree lock`) becomes its owner. */
export async function readWorktreeLock(adminDir: string): Promise<WorktreeLockRecord | null> {
  let text: string;
  try {
    text = await readFile(join(adminDir, 'locked'), 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
  try {
    const rec = JSON.parse(text) as Partial<WorktreeLockRecord>;
    if (typeof rec.owner === 'string' && typeof rec.pid === 'number') {
      return { owner: rec.owner, pid: rec.pid, host: rec.host ?? '', at: rec.at ?? '' };
    }
  } catch {
    // a human's reason
  }
  return { owner: text.trim() || 'git worktree lock', pid: 0, host: '', at: '' };
}

/** True when the recorded process is known to be gone (same host, pid not running). */
export function isLockHolderDead(rec: WorktreeLockRecord): boolean {
  return rec.pid > 0 && rec.host === hostname() && !isPidAlive(rec.pid);
}

/**
 * Lock the worktree for `owner`. Free: taken (O_EXCL). Held by this process for the same owner:
 * refreshed. Held by the same owner in a process that died (a crash): taken over. Anything else
 * fails with a `conflict` naming the holder.
 */
export async function lockWorktree(adminDir: string, path: string, owner: string): Promise<void> {
  const file = join(adminDir, 'locked');
  const mine = JSON.stringify(newLockRecord(owner));
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fh = await open(file, 'wx', 0o644);
      await fh.writeFile(`${mine}\n`).finally(() => fh.close());
      return;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    const held = await readWorktreeLock(adminDir);
    if (held === null) continue;
    const samePid = held.pid === process.pid && held.host === hostname();
    if (held.owner === owner && (samePid || isLockHolderDead(held))) {
      await writeFile(file, `${mine}\n`);
      return;
    }
    throw lockedError(path, held, owner);
  }
  throw new BatonError('conflict', `the worktree ${path} is being locked and unlocked concurrently`, {
    retryable: true,
  });
}

/** Remove the lock when `owner` holds it (or with `force`). An unlocked worktree is fine. */
export async function unlockWorktree(
  adminDir: string,
  path: string,
  owner: string,
  force = false,
): Promise<void> {
  const held = await readWorktreeLock(adminDir);
  if (held === null) return;
  if (!force && held.owner !== owner) throw lockedError(path, held, owner);
  await unlink(join(adminDir, 'locked')).catch((e: NodeJS.ErrnoException) => {
    if (e.code !== 'ENOENT') throw e;
  });
}

function lockedError(path: string, held: WorktreeLockRecord, owner: string): BatonError {
  const where = held.pid > 0 ? ` (pid ${held.pid} on ${held.host} since ${held.at})` : '';
  const why =
    held.owner === owner
      ? 'the same owner in another live process'
      : `"${held.owner}"${where}, not "${owner}"`;
  return new BatonError('conflict', `the worktree ${path} is locked by ${why}`, {
    hint: 'use another worktree key, or release/remove this worktree once its holder is done',
    details: { path, holder: held.owner, pid: held.pid, host: held.host, since: held.at },
  });
}
