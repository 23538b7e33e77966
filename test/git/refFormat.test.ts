import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { issueBranchName, runBranchName } from '../../src/domain/git/branchName.ts';
import { isValidBranchName, isValidRefName } from '../../src/domain/git/refFormat.ts';
import { FIXTURE_ENV } from './gitFixture.ts';

function gitAccepts(...args: string[]): boolean {
  const res = spawnSync('git', ['check-ref-format', ...args], {
    env: FIXTURE_ENV,
    cwd: '/',
    stdio: 'ignore',
  });
  return res.status === 0;
}

/** Strings built from the characters the rules are about. */
const refLike = fc.string({
  unit: fc.constantFrom(...'ab/.-@{}~^:?*[\\ \u0001\u007fé'.split(''), 'lock', 'HEAD', 'refs/heads/'),
  maxLength: 12,
});

describe('the pure ref validator agrees with git check-ref-format', () => {
  it('on full ref names', () => {
    fc.assert(
      fc.property(refLike, (name) => {
        expect(isValidRefName(name)).toBe(gitAccepts(name));
      }),
      { numRuns: 150 },
    );
  });

  it('on branch names (--branch)', () => {
    fc.assert(
      fc.property(refLike, (name) => {
        expect(isValidBranchName(name)).toBe(gitAccepts('--branch', name));
      }),
      { numRuns: 150 },
    );
  });

  it('and git accepts the branch names Baton builds', () => {
    fc.assert(
      fc.property(fc.uuid(), fc.string({ maxLength: 80 }), (id, title) => {
        expect(gitAccepts('--branch', runBranchName(id, title))).toBe(true);
        expect(gitAccepts('--branch', issueBranchName('feature', id, title))).toBe(true);
      }),
      { numRuns: 40 },
    );
  });
});
