import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** git with a fixed identity (test repositories only). */
export const git = (cwd: string, ...args: string[]): string =>
  execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...args], {
    cwd,
    encoding: 'utf8',
  }).trim();

/**
 * A bare repository `<dir>/origin.git` with one commit (`README.md`) on `main`, also pushed to the
 * extra `branches`, seeded from the checkout `<dir>/seed` (returned: a working directory for Baton).
 */
export function bareOrigin(dir: string, branches: readonly string[] = []): { origin: string; seed: string } {
  const origin = join(dir, 'origin.git');
  const seed = join(dir, 'seed');
  mkdirSync(seed);
  git(dir, 'init', '-q', '--bare', '-b', 'main', origin);
  git(seed, 'init', '-q', '-b', 'main');
  writeFileSync(join(seed, 'README.md'), '# demo\n');
  git(seed, 'add', '-A');
  git(seed, 'commit', '-q', '-m', 'initial');
  git(seed, 'push', '-q', origin, 'main', ...branches.map((b) => `main:${b}`));
  return { origin, seed };
}
