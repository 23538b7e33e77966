import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isBatonError } from '../errors.ts';
import { branchIdPart, ISSUE_KINDS, issueBranchName, runBranchName } from './branchName.ts';
import { isValidBranchName } from './refFormat.ts';
import { EMPTY_SLUG, slugify } from './slugify.ts';

/** Titles with the characters that break refs: dots, slashes, spaces, `~^:?*[\`, `@{`, controls, unicode. */
const nastyTitle = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 80 }),
  fc.string({ unit: fc.constantFrom(...'.a/- ~^:?*[\\@{}\u0000\u007fÉé😀lock'.split('')), maxLength: 60 }),
);
const id = fc.oneof(
  fc.uuid(),
  fc.integer({ min: 1 }).map(String),
  fc
    .string({ unit: fc.constantFrom(...'ab1.-_/ '.split('')), maxLength: 20 })
    .filter((s) => /[A-Za-z0-9_]/.test(s)),
);

describe('slugify', () => {
  it('lowercases, folds accents and joins words with single dashes', () => {
    expect(slugify('Fix: Login bug  (Safari)')).toBe('fix-login-bug-safari');
    expect(slugify('Café Crème — v2.0')).toBe('cafe-creme-v2-0');
    expect(slugify('  --Hello--World--  ')).toBe('hello-world');
  });

  it('cuts at a word boundary within 40 characters', () => {
    const slug = slugify('Implement the new onboarding flow for enterprise workspace administrators');
    expect(slug).toBe('implement-the-new-onboarding-flow-for');
    expect(slugify('a'.repeat(60))).toBe('a'.repeat(40));
  });

  it('is never empty', () => {
    expect(slugify('')).toBe(EMPTY_SLUG);
    expect(slugify('日本語のタイトル')).toBe(EMPTY_SLUG);
    expect(slugify('...')).toBe(EMPTY_SLUG);
  });

  it('always yields [a-z0-9] words joined by single dashes, ≤ 40 characters', () => {
    fc.assert(
      fc.property(nastyTitle, (title) => {
        const slug = slugify(title);
        expect(slug).toMatch(/^[a-z0-9]+(?:-[a-z0-9]+)*$/);
        expect(slug.length).toBeLessThanOrEqual(40);
      }),
      { numRuns: 500 },
    );
  });
});

describe('branch names', () => {
  it('builds run/<run_id>-<slug>', () => {
    expect(runBranchName('0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b', 'Add dark mode')).toBe(
      'run/0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b-add-dark-mode',
    );
  });

  it('builds the issue-tree names', () => {
    expect(issueBranchName('epic', '12', 'User accounts')).toBe('epic/12-user-accounts');
    expect(issueBranchName('feature', '34', 'Sign-up form')).toBe('feature/34-sign-up-form');
    expect(issueBranchName('task', '56', 'Validate email')).toBe('task/56-validate-email');
    expect(issueBranchName('defect', '78', 'Crash on empty name')).toBe('defect/78-crash-on-empty-name');
  });

  it('sanitizes ids and rejects ids without a usable character', () => {
    expect(branchIdPart('a.b/c d')).toBe('a-b-c-d');
    expect(branchIdPart('..x..')).toBe('x');
    let caught: unknown;
    try {
      branchIdPart('./.');
    } catch (e) {
      caught = e;
    }
    expect(isBatonError(caught, 'invalid_input')).toBe(true);
  });

  it('every produced name is a valid git branch name', () => {
    fc.assert(
      fc.property(id, nastyTitle, fc.constantFrom(...ISSUE_KINDS), (runId, title, kind) => {
        expect(isValidBranchName(runBranchName(runId, title))).toBe(true);
        expect(isValidBranchName(issueBranchName(kind, runId, title))).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });
});
