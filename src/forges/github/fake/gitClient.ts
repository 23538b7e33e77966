import { execFile } from 'node:child_process';
import { isolatedGitEnv } from './git.ts';

export interface GitClientOptions {
  cwd: string;
  env?: Record<string, string>;
  /** default 30s */
  timeoutMs?: number;
}

/**
 * Runs the git CLI as a client of the fake (clone/fetch/push), isolated from the machine's git config,
 * with a fixed identity; rejects with stderr on a non-zero exit.
 */
export function gitClient(args: string[], o: GitClientOptions): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      'git',
      args,
      {
        cwd: o.cwd,
        timeout: o.timeoutMs ?? 30_000,
        env: isolatedGitEnv({
          GIT_AUTHOR_NAME: 'Test Author',
          GIT_AUTHOR_EMAIL: 'author@example.com',
          GIT_COMMITTER_NAME: 'Test Author',
          GIT_COMMITTER_EMAIL: 'author@example.com',
          GIT_ASKPASS: '',
          SSH_ASKPASS: '',
          ...o.env,
        }),
      },
      (err, stdout, stderr) => {
        if (err) reject(new Error(`git ${args.join(' ')} failed: ${stderr || err.message}`));
        else resolve(stdout.trim());
      },
    );
  });
}
