import type * as z from 'zod';
import { didYouMeanSuffix } from '../didYouMean.ts';
import type { PathIssue, PathSegment } from './formatIssuePath.ts';

type Issue = z.core.$ZodIssue;

const TYPE_NAMES: Record<string, string> = {
  object: 'a map',
  record: 'a map',
  array: 'a list',
  string: 'a string',
  number: 'a number',
  int: 'an integer',
  boolean: 'a boolean',
  null: 'null',
};

/** How a YAML/JSON value is called in messages. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a map';
  if (typeof value === 'string')
    return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  if (typeof value === 'number') return `the number ${value}`;
  if (typeof value === 'boolean') return `the boolean ${value}`;
  return typeof value;
}

function valueAt(root: unknown, path: readonly PathSegment[]): unknown {
  let node = root;
  for (const segment of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<PropertyKey, unknown>)[segment];
  }
  return node;
}

function toPath(path: readonly PropertyKey[]): PathSegment[] {
  return path.map((p) => (typeof p === 'number' ? p : String(p)));
}

/** A union branch that failed only because the value has another type ("string or map" branches). */
function typeMismatch(branch: readonly Issue[]): string[] | undefined {
  if (branch.length !== 1) return undefined;
  const [only] = branch;
  if (only === undefined || only.path.length > 0) return undefined;
  if (only.code === 'invalid_type') return [TYPE_NAMES[only.expected] ?? only.expected];
  if (only.code === 'invalid_value') return [only.values.map((v) => JSON.stringify(v)).join(' or ')];
  if (only.code === 'invalid_union' && only.errors.length > 0) {
    const names = only.errors.map(typeMismatch);
    return names.every((n) => n !== undefined) ? names.flat() : undefined;
  }
  return undefined;
}

/** Converts zod issues to located-later issues with Baton's wording; `raw` is the parsed file. */
export function mapZodIssues(
  issues: readonly Issue[],
  raw: unknown,
  prefix: PathSegment[] = [],
): PathIssue[] {
  return issues.flatMap((issue) => mapIssue(issue, raw, [...prefix, ...toPath(issue.path)]));
}

function mapIssue(issue: Issue, raw: unknown, path: PathSegment[]): PathIssue[] {
  const value = valueAt(raw, path);
  switch (issue.code) {
    case 'invalid_type': {
      if (value === undefined && path.length > 0) {
        const key = path[path.length - 1];
        return [{ path: path.slice(0, -1), message: `missing required key ${JSON.stringify(key)}` }];
      }
      return [
        {
          path,
          message: `expected ${TYPE_NAMES[issue.expected] ?? issue.expected}, got ${describeValue(value)}`,
        },
      ];
    }
    case 'invalid_union':
      return mapUnion(issue.errors, raw, path, value);
    case 'invalid_value': {
      const options = issue.values.map((v) => JSON.stringify(v));
      const suffix = typeof value === 'string' ? didYouMeanSuffix(value, issue.values.map(String)) : '';
      return [
        { path, message: `must be one of ${options.join(', ')}, got ${describeValue(value)}${suffix}` },
      ];
    }
    case 'too_small':
      return [{ path, message: tooSmall(issue) }];
    case 'too_big':
      return [
        {
          path,
          message:
            issue.origin === 'string'
              ? `must be at most ${issue.maximum} characters long`
              : `must be at most ${issue.maximum}`,
        },
      ];
    case 'invalid_key':
      return issue.issues.map((inner) => ({ path, message: inner.message, atKey: true }));
    case 'custom': {
      const params = (issue as { params?: { unknownKey?: boolean } }).params;
      return [{ path, message: issue.message, ...(params?.unknownKey === true ? { atKey: true } : {}) }];
    }
    case 'invalid_format':
    case 'invalid_element':
    case 'not_multiple_of':
    case 'unrecognized_keys':
      return [{ path, message: issue.message }];
  }
}

function tooSmall(issue: Extract<Issue, { code: 'too_small' }>): string {
  if (issue.origin === 'array')
    return Number(issue.minimum) === 1 ? 'must not be empty' : `must have at least ${issue.minimum} items`;
  if (issue.origin === 'string') return 'must not be empty';
  return issue.inclusive === false
    ? `must be greater than ${issue.minimum}`
    : `must be at least ${issue.minimum}`;
}

function mapUnion(
  branches: readonly (readonly Issue[])[],
  raw: unknown,
  path: PathSegment[],
  value: unknown,
): PathIssue[] {
  const relevant = branches.filter((branch) => typeMismatch(branch) === undefined);
  if (relevant.length === 0) {
    const expected = [...new Set(branches.flatMap((b) => typeMismatch(b) ?? []))];
    return [{ path, message: `expected ${expected.join(' or ')}, got ${describeValue(value)}` }];
  }
  const best = relevant.reduce((a, b) => (b.length < a.length ? b : a));
  return mapZodIssues(best, raw, path);
}
