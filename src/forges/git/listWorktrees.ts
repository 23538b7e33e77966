import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, dirname, join, relative, sep } from 'node:path';
import { mirrorsRoot, worktreesRoot } from './gitPaths.ts';
import { readWorktreeLock, type WorktreeLockRecord } from './worktreeLock.ts';
import { readWorktreeMeta, type WorktreeMeta } from './worktreeMeta.ts';

export interface WorktreeInfo {
  /** `<dataDir>/git/worktrees/<run>/<key>` */
  path: string;
  run: string;
  key: string;
  /** null for an orphan: a directory no mirror knows as a worktree any more */
  mirrorDir: string | null;
  adminDir: string | null;
  /** the checked-out branch (from git's HEAD of the worktree), null when detached or unknown */
  branch: string | null;
  lock: WorktreeLockRecord | null;
  meta: WorktreeMeta | null;
  /** last known activity (ms since epoch): released, else created, else the directory's mtime */
  touchedAt: number;
}

/**
 * Every worktree under `<dataDir>/git/worktrees`, found from the mirrors' own records
 * (`<mirror>/worktrees/<id>/gitdir`) rather than from the agent-writable `.git` files, plus
 * orphan directories. `dataDir` must be the canonical (realpath) data dir.
 */
export async function listWorktrees(dataDir: string): Promise<WorktreeInfo[]> {
  const root = worktreesRoot(dataDir);
  const found = new Map<string, WorktreeInfo>();
  for (const mirror of await dirs(mirrorsRoot(dataDir))) {
    if (!mirror.endsWith('.git')) continue;
    const mirrorDir = join(mirrorsRoot(dataDir), mirror);
    for (const id of await dirs(join(mirrorDir, 'worktrees'))) {
      const adminDir = join(mirrorDir, 'worktrees', id);
      const path = await worktreePathOf(adminDir);
      if (path === null || !isUnder(root, path)) continue;
      found.set(path, await describe(path, mirrorDir, adminDir));
    }
  }
  for (const run of await dirs(root)) {
    for (const key of await dirs(join(root, run))) {
      const path = join(root, run, key);
      if (!found.has(path)) found.set(path, await describe(path, null, null));
    }
  }
  return [...found.values()].sort((a, b) => a.path.localeCompare(b.path));
}

/** The admin dir (`<mirror>/worktrees/<id>`) git keeps for the worktree at `path`, or null. */
export async function findWorktreeAdmin(mirrorDir: string, path: string): Promise<string | null> {
  for (const id of await dirs(join(mirrorDir, 'worktrees'))) {
    const adminDir = join(mirrorDir, 'worktrees', id);
    if ((await worktreePathOf(adminDir)) === path) return adminDir;
  }
  return null;
}

async function worktreePathOf(adminDir: string): Promise<string | null> {
  const gitdir = await readFile(join(adminDir, 'gitdir'), 'utf8').catch(() => null);
  return gitdir === null ? null : dirname(gitdir.trim());
}

async function describe(
  path: string,
  mirrorDir: string | null,
  adminDir: string | null,
): Promise<WorktreeInfo> {
  const [lock, meta, head, st] = await Promise.all([
    adminDir ? readWorktreeLock(adminDir) : null,
    adminDir ? readWorktreeMeta(adminDir) : null,
    adminDir ? readFile(join(adminDir, 'HEAD'), 'utf8').catch(() => '') : '',
    stat(path).catch(() => null),
  ]);
  const ref = /^ref: refs\/heads\/(.+)$/m.exec(head)?.[1] ?? null;
  const when = meta?.releasedAt ?? meta?.createdAt;
  return {
    path,
    run: meta?.run ?? basename(dirname(path)),
    key: meta?.key ?? basename(path),
    mirrorDir,
    adminDir,
    branch: ref,
    lock,
    meta,
    touchedAt: when ? Date.parse(when) : (st?.mtimeMs ?? 0),
  };
}

async function dirs(path: string): Promise<string[]> {
  const entries = await readdir(path, { withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isDirectory()).map((e) => e.name);
}

function isUnder(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel !== '' && !rel.startsWith('..') && !rel.startsWith(sep) && rel.split(sep).length === 2;
}
