import { BatonError } from '../../domain/errors.ts';
import { branchNameProblem } from '../../domain/git/refFormat.ts';
import type { CommitState, InlineComment, MergeMethod, ReviewVerdict } from '../Forge.ts';

const VERDICTS: readonly ReviewVerdict[] = ['approve', 'changes_requested', 'comment'];
const STATES: readonly CommitState[] = ['pending', 'success', 'failure', 'error'];
const METHODS: readonly MergeMethod[] = ['merge', 'squash', 'rebase'];

const invalid = (field: string, message: string) => new BatonError('invalid_input', message, { field });

export function requireKey(key: unknown, field = 'idempotencyKey'): string {
  if (typeof key !== 'string' || key.trim() === '') throw invalid(field, `${field} is required`);
  return key;
}

export function requireBranch(name: unknown, field: string): string {
  const problem = typeof name === 'string' ? branchNameProblem(name) : 'is not a string';
  if (problem !== null)
    throw invalid(field, `${field} "${String(name)}" is not a valid branch name: it ${problem}`);
  return name as string;
}

export function requireNumber(n: unknown): number {
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 1) {
    throw invalid('number', `pull request number ${String(n)} is not a positive integer`);
  }
  return n;
}

export function requireVerdict(v: unknown): ReviewVerdict {
  if (!VERDICTS.includes(v as ReviewVerdict)) {
    throw invalid('verdict', `review verdict "${String(v)}" is not one of ${VERDICTS.join(', ')}`);
  }
  return v as ReviewVerdict;
}

export function requireCommitState(s: unknown): CommitState {
  if (!STATES.includes(s as CommitState)) {
    throw invalid('state', `commit state "${String(s)}" is not one of ${STATES.join(', ')}`);
  }
  return s as CommitState;
}

export function requireMethod(m: unknown): MergeMethod {
  if (!METHODS.includes(m as MergeMethod)) {
    throw invalid('method', `merge method "${String(m)}" is not one of ${METHODS.join(', ')}`);
  }
  return m as MergeMethod;
}

export function requireInlineComments(comments: unknown): InlineComment[] {
  if (!Array.isArray(comments)) throw invalid('comments', 'review comments must be a list');
  return comments.map((c: Partial<InlineComment>, i) => {
    if (typeof c.path !== 'string' || c.path === '')
      throw invalid(`comments[${i}].path`, 'a path is required');
    if (typeof c.line !== 'number' || !Number.isSafeInteger(c.line) || c.line < 1) {
      throw invalid(`comments[${i}].line`, `line ${String(c.line)} is not a positive integer`);
    }
    if (typeof c.body !== 'string') throw invalid(`comments[${i}].body`, 'a body is required');
    return { path: c.path, line: c.line, body: c.body };
  });
}

export function requireSha(sha: unknown, field: string): string {
  if (typeof sha !== 'string' || !/^[0-9a-f]{4,64}$/i.test(sha)) {
    throw invalid(field, `${field} "${String(sha)}" is not a commit sha`);
  }
  return sha.toLowerCase();
}
