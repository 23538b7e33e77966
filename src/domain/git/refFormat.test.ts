import { describe, expect, it } from 'vitest';
import { branchNameProblem, isValidBranchName, isValidRefName, refNameProblem } from './refFormat.ts';

describe('refNameProblem', () => {
  it.each([
    'refs/heads/main',
    'refs/heads/run/0190-fix-login',
    'refs/tags/v1.2.3',
    'a/b.c',
    'a/b@c',
    'refs/heads/caf\u00e9',
  ])('accepts %s', (name) => {
    expect(refNameProblem(name)).toBeNull();
  });

  it.each([
    ['', 'is empty'],
    ['@', '"@"'],
    ['main', 'one-level'],
    ['/a/b', 'begins or ends'],
    ['a/b/', 'begins or ends'],
    ['a//b', '"//"'],
    ['a/b.', 'ends with "."'],
    ['a/.b', 'starting with "."'],
    ['a/b.lock', '.lock'],
    ['a/b..c', '".."'],
    ['a/b@{c', '"@{"'],
    ['a/b c', '" "'],
    ['a/b~1', '"~"'],
    ['a/b^', '"^"'],
    ['a/b:c', '":"'],
    ['a/b?', '"?"'],
    ['a/b*', '"*"'],
    ['a/b[', '"["'],
    ['a/b\\c', '"\\"'],
    ['a/b\u0001', 'control'],
    ['a/b\u007f', 'control'],
  ])('rejects %j (%s)', (name, why) => {
    expect(refNameProblem(name)).toContain(why);
  });

  it('allows one-level names on request', () => {
    expect(isValidRefName('main', { allowOneLevel: true })).toBe(true);
  });
});

describe('branchNameProblem', () => {
  it('checks refs/heads/<name> plus the branch-only rules', () => {
    expect(isValidBranchName('main')).toBe(true);
    expect(isValidBranchName('run/x-y')).toBe(true);
    expect(branchNameProblem('')).toBe('is empty');
    expect(branchNameProblem('-x')).toContain('"-"');
    expect(branchNameProblem('HEAD')).toContain('HEAD');
    expect(branchNameProblem('a..b')).toContain('".."');
  });
});
