import { credentialConfig, type GitCredentials } from './GitCredentials.ts';
import { MIRROR_REMOTE, remoteTrackingRef } from './gitPaths.ts';
import type { GitResult } from './runGit.ts';
import { mirrorGit } from './worktreeGit.ts';

export interface PushFromMirrorInput {
  mirrorDir: string;
  /** pushed as `<sha>:refs/heads/<branch>` */
  sha: string;
  branch: string;
  /** options before the remote (`--force-with-lease=…`) */
  options?: readonly string[];
  credentials: GitCredentials;
  signal: AbortSignal;
  /** default 10 minutes */
  timeoutMs?: number;
  /** the reflog message of the mirror's remote-tracking ref */
  note: string;
}

/**
 * `git push origin <sha>:refs/heads/<branch>` from a bare mirror, with credentials for the remote's
 * URL passed as per-command config (never stored), then the mirror's `refs/remotes/origin/<branch>`
 * moved to `sha` so the mirror stays current without a fetch.
 */
export async function pushFromMirror(input: PushFromMirrorInput): Promise<GitResult> {
  const { mirrorDir, signal } = input;
  const url = (
    await mirrorGit(mirrorDir, ['config', '--get', `remote.${MIRROR_REMOTE}.url`], { signal })
  ).stdout.trim();
  const out = await mirrorGit(
    mirrorDir,
    ['push', ...(input.options ?? []), MIRROR_REMOTE, `${input.sha}:refs/heads/${input.branch}`],
    {
      signal,
      config: await credentialConfig(url, input.credentials, signal),
      timeoutMs: input.timeoutMs ?? 10 * 60_000,
    },
  );
  await mirrorGit(mirrorDir, ['update-ref', '-m', input.note, remoteTrackingRef(input.branch), input.sha], {
    signal,
  });
  return out;
}
