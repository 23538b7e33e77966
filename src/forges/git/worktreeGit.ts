import { runGit, type GitResult, type RunGitOptions } from './runGit.ts';

/** Where a worktree is, as Baton recorded it (not as the agent-writable `.git` file says). */
export interface WorktreeLocation {
  /** the checkout */
  path: string;
  /** git's admin dir for it: `<mirror>/worktrees/<id>` */
  adminDir: string;
  /** the bare mirror it belongs to */
  mirrorDir: string;
}

/**
 * Run git in a worktree with `--git-dir`/`--work-tree` given explicitly, so a `.git` file an
 * agent rewrote cannot point Baton's host-side git at a repository (and config) of its making.
 */
export function worktreeGit(
  wt: WorktreeLocation,
  args: readonly string[],
  opts: Omit<RunGitOptions, 'cwd'>,
): Promise<GitResult> {
  return runGit(['--git-dir', wt.adminDir, '--work-tree', wt.path, ...args], { ...opts, cwd: wt.path });
}

/** Run git in the bare mirror. */
export function mirrorGit(
  mirrorDir: string,
  args: readonly string[],
  opts: Omit<RunGitOptions, 'cwd'>,
): Promise<GitResult> {
  return runGit(['--git-dir', mirrorDir, ...args], { ...opts, cwd: mirrorDir });
}

/** The object id `ref` names, or null when it does not resolve. */
export async function resolveRef(
  mirrorDir: string,
  ref: string,
  signal: AbortSignal,
): Promise<string | null> {
  const res = await mirrorGit(mirrorDir, ['rev-parse', '--verify', '--quiet', '--end-of-options', ref], {
    signal,
    okExitCodes: [0, 1],
  });
  return res.exitCode === 0 ? res.stdout.trim() : null;
}
