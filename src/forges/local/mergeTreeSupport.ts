import { runGit } from '../git/runGit.ts';

/** `git merge-tree --write-tree` (a real merge without a worktree) arrived in git 2.38. */
export function mergeTreeSupported(version: string): boolean {
  const m = /(\d+)\.(\d+)/.exec(version);
  if (m === null) return false;
  const [major, minor] = [Number(m[1]), Number(m[2])];
  return major > 2 || (major === 2 && minor >= 38);
}

/** The installed git's `git --version`, e.g. `git version 2.39.5`. */
export async function gitVersion(cwd: string, signal: AbortSignal): Promise<string> {
  return (await runGit(['--version'], { cwd, signal })).stdout.trim();
}
