import { mkdir, readdir, realpath, rm, rmdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { BatonError } from '../../domain/errors.ts';
import { branchNameProblem } from '../../domain/git/refFormat.ts';
import { cleanupWorktrees, type CleanupOptions, type CleanupResult } from './cleanupWorktrees.ts';
import { copyWorktreeIncludes } from './copyWorktreeIncludes.ts';
import { worktreePath } from './gitPaths.ts';
import { isGitError } from './GitError.ts';
import { findWorktreeAdmin, listWorktrees, type WorktreeInfo } from './listWorktrees.ts';
import { mirrorGit, worktreeGit, type WorktreeLocation } from './worktreeGit.ts';
import { lockWorktree, newLockRecord, unlockWorktree } from './worktreeLock.ts';
import { readWorktreeMeta, writeWorktreeMeta } from './worktreeMeta.ts';
import { worktreeStartPoint } from './worktreeStartPoint.ts';

/** A worktree held by an owner (a step attempt). */
export interface Worktree extends WorktreeLocation {
  run: string;
  key: string;
  branch: string;
  owner: string;
  /** false when an existing worktree was reacquired (a retried step) */
  created: boolean;
  /** HEAD when acquired */
  head: string;
  /** files copied by `.worktreeinclude` (only when created) */
  included: string[];
}

export interface CreateWorktreeInput {
  /** the bare mirror (RepoMirror.ensure(...).dir) */
  mirrorDir: string;
  run: string;
  /** the step key or another name unique within the run */
  key: string;
  branch: string;
  /**
   * Where a new branch starts: an origin branch (`main`), a full ref or a sha. Not needed when
   * the branch already exists in the mirror (locally, or on origin: then it is checked out from there).
   */
  base?: string;
  /** who holds it: a step attempt id; a different owner cannot acquire it while it is locked */
  owner: string;
  /** a checkout to copy `.worktreeinclude`d, gitignored files (`.env`…) from */
  includeFrom?: string;
  signal: AbortSignal;
}

/**
 * Worktrees of the mirrors, one per run and key, at `<dataDir>/git/worktrees/<run>/<key>`. Each is
 * locked for its owner from birth (git's own `locked` file holding the owner, pid and host), so
 * two steps never share one by accident.
 */
export class Worktrees {
  private canonical: Promise<string> | undefined;

  constructor(private readonly opts: { dataDir: string }) {}

  /**
   * Create the worktree on `branch` (new from `base`, or the existing local or origin branch), or
   * reacquire it when it already exists for the same owner (a retried step). Fails with a
   * `conflict` when another owner holds it or it is on another branch.
   */
  async create(input: CreateWorktreeInput): Promise<Worktree> {
    const problem = branchNameProblem(input.branch);
    if (problem !== null) {
      throw new BatonError(
        'invalid_input',
        `branch "${input.branch}" is not a valid git branch name: it ${problem}`,
        {
          field: 'branch',
        },
      );
    }
    const path = worktreePath(await this.dataDir(), input.run, input.key);
    const existing = await findWorktreeAdmin(input.mirrorDir, path);
    if (existing !== null) return this.reacquire(input, path, existing);
    if (!(await isEmptyOrMissing(path))) {
      throw new BatonError('conflict', `${path} exists but is not a worktree of ${input.mirrorDir}`, {
        hint: 'remove it (Worktrees.remove) or use another worktree key',
      });
    }
    await mkdir(dirname(path), { recursive: true });
    const start = await worktreeStartPoint(input);
    const reason = JSON.stringify(newLockRecord(input.owner));
    try {
      await mirrorGit(
        input.mirrorDir,
        ['worktree', 'add', '--lock', '--reason', reason, ...start.args(path)],
        {
          signal: input.signal,
        },
      );
    } catch (e) {
      const raced = await findWorktreeAdmin(input.mirrorDir, path);
      if (isGitError(e) && e.kind === 'exit' && raced !== null) return this.reacquire(input, path, raced);
      throw e;
    }
    const adminDir = await findWorktreeAdmin(input.mirrorDir, path);
    if (adminDir === null) throw new BatonError('internal', `git worktree add left no admin dir for ${path}`);
    const wt: WorktreeLocation = { path, adminDir, mirrorDir: input.mirrorDir };
    const createdAt = new Date().toISOString();
    await writeWorktreeMeta(adminDir, { run: input.run, key: input.key, branch: input.branch, createdAt });
    let included: string[] = [];
    try {
      if (input.includeFrom !== undefined) {
        included = await copyWorktreeIncludes({
          sourceDir: input.includeFrom,
          targetDir: path,
          signal: input.signal,
        });
      }
    } catch (e) {
      await this.remove(wt, new AbortController().signal).catch(() => undefined);
      throw e;
    }
    return { ...wt, ...this.ids(input), created: true, head: await head(wt, input.signal), included };
  }

  /** Release the owner's lock (the worktree stays on disk for a later step or for `cleanup`). */
  async release(wt: WorktreeLocation, owner: string, opts: { force?: boolean } = {}): Promise<void> {
    await unlockWorktree(wt.adminDir, wt.path, owner, opts.force);
    const meta = await readWorktreeMeta(wt.adminDir);
    if (meta !== null)
      await writeWorktreeMeta(wt.adminDir, { ...meta, releasedAt: new Date().toISOString() });
  }

  /**
   * Delete the worktree whatever its lock (`git worktree remove --force --force`, then the
   * directory and `git worktree prune` if git could not). `deleteBranch` also deletes its local
   * branch in the mirror (pushed commits stay on the remote).
   */
  async remove(
    wt: { path: string; mirrorDir: string | null },
    signal: AbortSignal,
    opts: { deleteBranch?: string } = {},
  ): Promise<void> {
    const adminDir = wt.mirrorDir === null ? null : await findWorktreeAdmin(wt.mirrorDir, wt.path);
    if (wt.mirrorDir !== null && adminDir !== null) {
      // `prune` keeps locked entries even when their directory is gone: unlock first.
      await unlockWorktree(adminDir, wt.path, '', true);
      await mirrorGit(wt.mirrorDir, ['worktree', 'remove', '--force', '--force', wt.path], { signal }).catch(
        (e: unknown) => {
          if (!isGitError(e) || e.kind === 'aborted') throw e;
        },
      );
    }
    await rm(wt.path, { recursive: true, force: true });
    await rmdir(dirname(wt.path)).catch(() => undefined); // the run's directory, once empty
    if (wt.mirrorDir === null) return;
    await mirrorGit(wt.mirrorDir, ['worktree', 'prune'], { signal });
    if (opts.deleteBranch !== undefined) {
      await mirrorGit(wt.mirrorDir, ['branch', '-D', '--', opts.deleteBranch], {
        signal,
        okExitCodes: [0, 1],
      });
    }
  }

  async list(): Promise<WorktreeInfo[]> {
    return listWorktrees(await this.dataDir());
  }

  /** Remove released or abandoned worktrees older than `olderThanMs` whose run `keep` does not keep. */
  async cleanup(opts: CleanupOptions): Promise<CleanupResult> {
    return cleanupWorktrees(await this.list(), opts, (wt, signal) => this.remove(wt, signal));
  }

  private async reacquire(input: CreateWorktreeInput, path: string, adminDir: string): Promise<Worktree> {
    await lockWorktree(adminDir, path, input.owner);
    const wt: WorktreeLocation = { path, adminDir, mirrorDir: input.mirrorDir };
    const onBranch = await worktreeGit(wt, ['symbolic-ref', '--quiet', '--short', 'HEAD'], {
      signal: input.signal,
      okExitCodes: [0, 1],
    });
    if (onBranch.stdout.trim() !== input.branch) {
      await unlockWorktree(adminDir, path, input.owner);
      throw new BatonError(
        'conflict',
        `the worktree ${path} is on "${onBranch.stdout.trim() || 'a detached HEAD'}", not "${input.branch}"`,
        { hint: 'use another worktree key for another branch, or remove this worktree first' },
      );
    }
    return { ...wt, ...this.ids(input), created: false, head: await head(wt, input.signal), included: [] };
  }

  private ids(input: CreateWorktreeInput): Pick<Worktree, 'run' | 'key' | 'branch' | 'owner'> {
    return { run: input.run, key: input.key, branch: input.branch, owner: input.owner };
  }

  private dataDir(): Promise<string> {
    this.canonical ??= mkdir(this.opts.dataDir, { recursive: true }).then(() => realpath(this.opts.dataDir));
    return this.canonical;
  }
}

async function head(wt: WorktreeLocation, signal: AbortSignal): Promise<string> {
  const res = await worktreeGit(wt, ['rev-parse', '--verify', 'HEAD'], { signal });
  return res.stdout.trim();
}

async function isEmptyOrMissing(path: string): Promise<boolean> {
  const entries = await readdir(path).catch(() => null);
  return entries === null || entries.length === 0;
}
