import { describe, expect, it } from 'vitest';
import { childKindsOf, ISSUE_KINDS, nestingError } from './issueKind.ts';

describe('issue kinds', () => {
  it('epics are roots; features nest; tasks and defects hold only defects', () => {
    for (const k of ISSUE_KINDS) expect(childKindsOf(k)).not.toContain('epic');
    expect(nestingError('epic', 'feature')).toBeUndefined();
    expect(nestingError('feature', 'feature')).toBeUndefined();
    expect(nestingError('feature', 'task')).toBeUndefined();
    expect(nestingError('task', 'defect')).toBeUndefined();
    expect(nestingError('defect', 'defect')).toBeUndefined();
    expect(nestingError('task', 'task')).toBe('a task holds only defects: not a task');
    expect(nestingError('feature', 'epic')).toMatch(/not a epic/);
  });
  it('every kind may hold defects', () => {
    for (const k of ISSUE_KINDS) expect(childKindsOf(k)).toContain('defect');
  });
});
