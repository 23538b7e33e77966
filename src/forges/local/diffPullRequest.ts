import { isGitError } from '../git/GitError.ts';
import { mirrorGit } from '../git/worktreeGit.ts';
import type { BareRepo } from './bareRepo.ts';

export interface DiffFile {
  path: string;
  /** the old path of a rename or copy */
  previousPath?: string;
  /** null for a binary file */
  additions: number | null;
  deletions: number | null;
}

/** What a pull request changes: `git diff base...head` (from the merge base), bounded. */
export interface PullRequestDiff {
  baseSha: string;
  headSha: string;
  /** the stat, file by file (at most `maxFiles`) */
  files: DiffFile[];
  additions: number;
  deletions: number;
  /** the unified patch, at most `maxPatchBytes` (whole files only once it is cut) */
  patch: string;
  /** true when files or patch were cut */
  truncated: boolean;
}

export interface DiffLimits {
  /** default 1 MiB */
  maxPatchBytes?: number;
  /** default 3000 */
  maxFiles?: number;
}

/** `git diff --numstat` then `--patch` of `baseSha...headSha`; a patch over the limit keeps the files that fit. */
export async function diffRange(
  repo: BareRepo,
  baseSha: string,
  headSha: string,
  limits: DiffLimits,
  signal: AbortSignal,
): Promise<PullRequestDiff> {
  const maxPatch = limits.maxPatchBytes ?? 1024 * 1024;
  const maxFiles = limits.maxFiles ?? 3000;
  const range = `${baseSha}...${headSha}`;
  const numstat = await mirrorGit(repo.path, ['diff', '--numstat', '-z', '-M', range], { signal });
  const all = parseNumstat(numstat.stdout);
  const files = all.slice(0, maxFiles);
  let truncated = all.length > files.length;
  const sum = (k: 'additions' | 'deletions') => all.reduce((n, f) => n + (f[k] ?? 0), 0);
  let patch: string;
  try {
    patch = (await mirrorGit(repo.path, ['diff', '-M', range], { signal, maxOutputBytes: maxPatch })).stdout;
  } catch (e) {
    if (!isGitError(e) || e.kind !== 'output_too_large') throw e;
    truncated = true;
    patch = await patchFileByFile(repo, range, files, maxPatch, signal);
  }
  return {
    baseSha,
    headSha,
    files,
    additions: sum('additions'),
    deletions: sum('deletions'),
    patch,
    truncated,
  };
}

async function patchFileByFile(
  repo: BareRepo,
  range: string,
  files: DiffFile[],
  budget: number,
  signal: AbortSignal,
): Promise<string> {
  let patch = '';
  for (const f of files) {
    const paths = f.previousPath === undefined ? [f.path] : [f.previousPath, f.path];
    const left = budget - Buffer.byteLength(patch);
    if (left <= 0) break;
    try {
      const r = await mirrorGit(repo.path, ['diff', '-M', range, '--', ...paths], {
        signal,
        maxOutputBytes: left,
      });
      patch += r.stdout;
    } catch (e) {
      if (isGitError(e) && e.kind === 'output_too_large') break;
      throw e;
    }
  }
  return patch;
}

/** `--numstat -z`: `add\tdel\tpath\0`, or `add\tdel\t\0old\0new\0` for a rename; `-` counts for binaries. */
export function parseNumstat(out: string): DiffFile[] {
  const tokens = out.split('\0');
  const files: DiffFile[] = [];
  const count = (s: string | undefined) => (s === undefined || s === '-' ? null : Number(s));
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t === '') continue;
    const tab1 = t.indexOf('\t');
    const tab2 = t.indexOf('\t', tab1 + 1);
    const [add, del, path] = [t.slice(0, tab1), t.slice(tab1 + 1, tab2), t.slice(tab2 + 1)];
    if (path !== '') {
      files.push({ path, additions: count(add), deletions: count(del) });
    } else {
      const previousPath = tokens[++i] ?? '';
      const to = tokens[++i] ?? '';
      files.push({ path: to, previousPath, additions: count(add), deletions: count(del) });
    }
  }
  return files;
}
