import { describe, expect, it } from 'vitest';
import { BUILTIN_ROLES } from '../../domain/agents/builtinRoles.ts';
import { contractOutputs } from './contractOutputs.ts';
import { extractFinalJson } from './extractFinalJson.ts';

describe('the final answer of an agent', () => {
  it('is the last JSON object of the text, fenced or not', () => {
    expect(extractFinalJson('Done.\n```json\n{"a": 1}\n```\nbye')).toEqual({ a: 1 });
    expect(
      extractFinalJson('I changed x {not json} and then {"verdict": "approve", "n": {"k": [1]}}'),
    ).toEqual({
      verdict: 'approve',
      n: { k: [1] },
    });
    expect(extractFinalJson('no json here')).toBeUndefined();
    expect(extractFinalJson('[1, 2]')).toBeUndefined();
  });

  it('is checked against the role contract', () => {
    const reviewer = BUILTIN_ROLES.get('code-reviewer')!.output;
    expect(contractOutputs({ verdict: 'approve', comments: [{ body: 'ok' }] }, reviewer)).toEqual({
      outputs: { verdict: 'approve', comments: '[{"body":"ok"}]' },
    });
    expect(contractOutputs({ comments: [] }, reviewer).problem).toBe(
      'the final answer lacks the required field "verdict"',
    );
    expect(contractOutputs(undefined, reviewer).problem).toMatch(/ended without the JSON answer/);
    expect(contractOutputs({ verdict: 'yes' }, reviewer).problem).toMatch(
      /not one of approve, changes_requested/,
    );
    expect(contractOutputs({ anything: 1, 'bad key': 2 }, undefined)).toEqual({ outputs: { anything: '1' } });
  });
});
