import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** An environment for the fixture's own git commands: no user config, fixed identity. */
export const FIXTURE_ENV: NodeJS.ProcessEnv = {
  PATH: process.env.PATH ?? '/usr/bin:/bin',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null/baton-none',
  GIT_TERMINAL_PROMPT: '0',
  LC_ALL: 'C',
  GIT_AUTHOR_NAME: 'Origin Author',
  GIT_AUTHOR_EMAIL: 'origin@example.com',
  GIT_COMMITTER_NAME: 'Origin Author',
  GIT_COMMITTER_EMAIL: 'origin@example.com',
};

/** Run git synchronously for test setup and assertions; returns trimmed stdout. */
export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'init.defaultBranch=main', ...args], {
    cwd,
    env: FIXTURE_ENV,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  }).trim();
}

/** A fresh canonical temp dir; `cleanup` removes it. */
export function tempDir(prefix = 'baton-git-'): { dir: string; cleanup: () => void } {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), prefix)));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export function writeFiles(root: string, files: Record<string, string>): void {
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    writeFileSync(join(root, rel), text);
  }
}

/** A bare "origin" and a working clone ("seed") that commits and pushes to it. */
export interface Origin {
  /** the bare repository: the remote URL Baton mirrors */
  url: string;
  seed: string;
  /** commit `files` in the seed on `branch` (created from main when new) and push it; returns the sha */
  commit(message: string, files: Record<string, string>, branch?: string): string;
  /** sha of refs/heads/<branch> on origin, or null */
  rev(branch: string): string | null;
}

export function makeOrigin(root: string): Origin {
  const url = join(root, 'origin.git');
  const seed = join(root, 'seed');
  git(root, 'init', '--bare', '--quiet', url);
  git(root, 'init', '--quiet', seed);
  git(seed, 'remote', 'add', 'origin', url);
  const origin: Origin = {
    url,
    seed,
    commit(message, files, branch = 'main') {
      const exists = git(seed, 'branch', '--list', branch) !== '';
      const current = git(seed, 'symbolic-ref', '--short', 'HEAD');
      if (current !== branch) git(seed, 'checkout', '--quiet', ...(exists ? [branch] : ['-b', branch]));
      writeFiles(seed, files);
      git(seed, 'add', '-A');
      git(seed, 'commit', '--quiet', '-m', message);
      git(seed, 'push', '--quiet', 'origin', `HEAD:refs/heads/${branch}`);
      const sha = git(seed, 'rev-parse', 'HEAD');
      if (branch !== 'main') git(seed, 'checkout', '--quiet', 'main');
      return sha;
    },
    rev(branch) {
      try {
        return git(root, '--git-dir', url, 'rev-parse', '--verify', '--quiet', `refs/heads/${branch}`);
      } catch {
        return null;
      }
    },
  };
  origin.commit('initial', {
    'README.md': '# demo\n',
    '.gitignore': '.env\n*.log\nsecrets/\nnode_modules/\n',
    'src/app.js': 'console.log(1);\n',
  });
  origin.commit('second', { 'src/app.js': 'console.log(2);\n' });
  return origin;
}
