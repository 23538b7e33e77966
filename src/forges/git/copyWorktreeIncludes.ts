import { constants } from 'node:fs';
import { access, copyFile, lstat, mkdir, readlink, realpath, symlink } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { runGit } from './runGit.ts';

export const WORKTREE_INCLUDE_FILE = '.worktreeinclude';

export interface CopyWorktreeIncludesInput {
  /** the caller's checkout of the same repository (where `.env` and friends live) */
  sourceDir: string;
  /** the new worktree */
  targetDir: string;
  signal: AbortSignal;
}

/**
 * Copy local, gitignored files into a new worktree, as listed by `.worktreeinclude` (the
 * convention of Claude Code and other worktree tools).
 *
 * - The pattern file is the new worktree's committed `.worktreeinclude`, else the source
 *   checkout's. It uses gitignore syntax (`#` comments, `!` negation, `dir/`, `/anchored`, `**`).
 * - A file is copied when it exists in `sourceDir`, is untracked, matches the patterns AND is
 *   ignored by the source checkout's own ignore rules (.gitignore, .git/info/exclude). Matching
 *   is git's own (`ls-files --others --ignored --exclude-from`, then `check-ignore`).
 * - Files already present in the target are left alone; symlinks are copied as symlinks; nothing
 *   is written outside the target (a committed symlinked directory cannot redirect a copy).
 *
 * Returns the copied paths, relative to the repository root, sorted.
 */
export async function copyWorktreeIncludes(input: CopyWorktreeIncludesInput): Promise<string[]> {
  const { signal } = input;
  const top = (
    await runGit(['rev-parse', '--show-toplevel'], { cwd: input.sourceDir, signal })
  ).stdout.trim();
  const patterns = await firstExisting([
    join(input.targetDir, WORKTREE_INCLUDE_FILE),
    join(top, WORKTREE_INCLUDE_FILE),
  ]);
  if (patterns === null) return [];
  const listed = await runGit(['ls-files', '-z', '--others', '--ignored', `--exclude-from=${patterns}`], {
    cwd: top,
    signal,
  });
  const candidates = splitZ(listed.stdout).filter(isPlainRelative);
  if (candidates.length === 0) return [];
  const ignored = await runGit(['check-ignore', '-z', '--stdin'], {
    cwd: top,
    signal,
    input: candidates.join('\0') + '\0',
    okExitCodes: [0, 1],
  });
  const targetRoot = await realpath(input.targetDir);
  const copied: string[] = [];
  for (const rel of splitZ(ignored.stdout).sort()) {
    signal.throwIfAborted();
    if (await copyOne(join(top, rel), targetRoot, rel)) copied.push(rel);
  }
  return copied;
}

async function copyOne(from: string, targetRoot: string, rel: string): Promise<boolean> {
  const to = join(targetRoot, rel);
  const parent = dirname(to);
  // Check the deepest existing ancestor before creating anything: it may be a committed symlink.
  const ancestor = await realpath(await existingAncestor(parent)).catch(() => null);
  if (ancestor === null || !isInside(targetRoot, ancestor)) return false;
  await mkdir(parent, { recursive: true });
  if (!isInside(targetRoot, await realpath(parent))) return false;
  const st = await lstat(from).catch(() => null);
  if (st === null) return false;
  try {
    if (st.isSymbolicLink()) await symlink(await readlink(from), to);
    else if (st.isFile()) await copyFile(from, to, constants.COPYFILE_EXCL);
    else return false;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  }
  return true;
}

async function existingAncestor(p: string): Promise<string> {
  for (let dir = p; ; dir = dirname(dir)) {
    if ((await lstat(dir).catch(() => null)) !== null || dirname(dir) === dir) return dir;
  }
}

async function firstExisting(paths: string[]): Promise<string | null> {
  for (const p of paths) {
    if (
      await access(p).then(
        () => true,
        () => false,
      )
    )
      return p;
  }
  return null;
}

function splitZ(s: string): string[] {
  return s.split('\0').filter((p) => p !== '');
}

function isPlainRelative(p: string): boolean {
  return !p.startsWith('/') && !p.split('/').includes('..');
}

function isInside(root: string, p: string): boolean {
  const rel = relative(root, p);
  return rel === '' || (!rel.startsWith('..') && !rel.startsWith(sep));
}
