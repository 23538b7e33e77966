import { describe, expect, it } from 'vitest';
import { formatIssuePath } from './formatIssuePath.ts';
import { formatWorkflowIssue } from './formatWorkflowIssue.ts';

describe('formatWorkflowIssue', () => {
  it('uses file:line:column: path: message', () => {
    expect(
      formatWorkflowIssue({
        file: 'examples/x.yaml',
        line: 12,
        column: 7,
        path: 'steps[2].needs',
        message: 'step "bulid" does not exist; did you mean "build"?',
      }),
    ).toBe('examples/x.yaml:12:7: steps[2].needs: step "bulid" does not exist; did you mean "build"?');
  });

  it('leaves out what is unknown', () => {
    expect(formatWorkflowIssue({ path: 'name', message: 'bad' })).toBe('name: bad');
    expect(formatWorkflowIssue({ file: 'a.yaml', path: '', message: 'bad' })).toBe('a.yaml: bad');
    expect(formatWorkflowIssue({ line: 3, column: 1, path: '', message: 'bad' })).toBe('3:1: bad');
  });
});

describe('formatIssuePath', () => {
  it('formats keys and indexes', () => {
    expect(formatIssuePath(['steps', 2, 'needs', 0])).toBe('steps[2].needs[0]');
    expect(formatIssuePath(['env', 'MY VAR'])).toBe('env["MY VAR"]');
    expect(formatIssuePath([])).toBe('');
  });
});
