import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { classifyGitFailure } from './classifyGitFailure.ts';
import { DEFAULT_COMMIT_SUMMARY, formatCommitMessage } from './commitMessage.ts';
import { mirrorDirName } from './mirrorDirName.ts';
import { isSafePathSegment } from './pathSegment.ts';
import { REDACTED, redactGitText } from './redactGitText.ts';

describe('classifyGitFailure', () => {
  it.each([
    "fatal: unable to access 'https://github.com/a/b.git/': Could not resolve host: github.com",
    'error: RPC failed; curl 56 GnuTLS recv error (-9)',
    'fatal: the remote end hung up unexpectedly',
    "fatal: unable to access 'https://x/': The requested URL returned error: 503",
    "error: cannot lock ref 'refs/remotes/origin/main': Unable to create '/m/refs/remotes/origin/main.lock': File exists.",
  ])('retries %s', (stderr) => {
    expect(classifyGitFailure(stderr).retryable).toBe(true);
  });

  it('does not retry auth, missing refs or rejected pushes, and says why', () => {
    const auth = classifyGitFailure("fatal: Authentication failed for 'https://github.com/a/b.git/'");
    expect(auth).toMatchObject({ retryable: false });
    expect(auth.hint).toMatch(/credentials/);
    const rejected = classifyGitFailure(' ! [rejected]        HEAD -> run/x (fetch first)');
    expect(rejected.retryable).toBe(false);
    expect(rejected.hint).toMatch(/force-with-lease/);
    expect(classifyGitFailure('fatal: invalid reference: nope')).toEqual({ retryable: false });
  });
});

describe('redactGitText', () => {
  it('removes URL passwords and header values', () => {
    expect(redactGitText('git push https://x-access-token:ghs_abc@github.com/a/b.git')).toBe(
      `git push https://x-access-token:${REDACTED}@github.com/a/b.git`,
    );
    expect(redactGitText('-c http.extraHeader=Authorization: Basic Zm9v')).toBe(
      `-c http.extraHeader=${REDACTED}`,
    );
    expect(redactGitText('> Authorization: Bearer tok\nnext')).toBe(`> Authorization: ${REDACTED}\nnext`);
    expect(redactGitText('https://github.com/a/b.git')).toBe('https://github.com/a/b.git');
  });
});

describe('mirrorDirName', () => {
  it('keeps readable names readable', () => {
    expect(mirrorDirName('acme/widgets')).toBe('acme%2Fwidgets.git');
    expect(mirrorDirName('my_repo-2')).toBe('my_repo-2.git');
    expect(mirrorDirName('..')).toBe('%2E%2E.git');
  });

  it('is injective and always one safe path segment', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, maxLength: 50 }),
        fc.string({ minLength: 1, maxLength: 50 }),
        (a, b) => {
          const da = mirrorDirName(a);
          expect(da).toMatch(/^[A-Za-z0-9_%-]+\.git$/);
          if (a !== b) expect(mirrorDirName(b)).not.toBe(da);
        },
      ),
    );
  });
});

describe('isSafePathSegment', () => {
  it('accepts ids and keys, rejects traversal and separators', () => {
    expect(isSafePathSegment('0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b')).toBe(true);
    expect(isSafePathSegment('code.v2')).toBe(true);
    for (const bad of ['', '.', '..', 'a/b', '.hidden', 'a..b', 'x.lock', 'a b', 'a'.repeat(101)]) {
      expect(isSafePathSegment(bad)).toBe(false);
    }
  });
});

describe('formatCommitMessage', () => {
  it('splits an agent result into summary and body', () => {
    expect(formatCommitMessage('\n## Add dark mode  \n\nToggles the theme.   \n# Notes kept\n\n')).toBe(
      'Add dark mode\n\nToggles the theme.\n# Notes kept\n',
    );
    expect(formatCommitMessage({ summary: 'Fix\nbug', body: '' })).toBe('Fix bug\n');
    expect(formatCommitMessage('   ')).toBe(`${DEFAULT_COMMIT_SUMMARY}\n`);
    expect(formatCommitMessage('x'.repeat(150)).split('\n')[0]).toHaveLength(100);
  });
});
