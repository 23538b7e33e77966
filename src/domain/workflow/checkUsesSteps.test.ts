import { describe, expect, it } from 'vitest';
import { parseWorkflow } from './parseWorkflow.ts';

const messages = (yaml: string): string[] => {
  const r = parseWorkflow(yaml);
  return r.ok ? [] : r.errors.map((e) => `${e.path}: ${e.message}`);
};

describe('uses: steps', () => {
  it('parses an action with templated inputs and an event wait', () => {
    const r = parseWorkflow(`
name: pr-flow
steps:
  - id: pr
    uses: forge/pull-request
    with: { repository: acme/app, head: "run/{{ run.id }}", title: "Add it" }
  - id: merged
    needs: [pr]
    wait: { event: pr.merged, if: "event.payload.number == steps.pr.outputs.number" }
    timeout: 1h
`);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.workflow.steps[0]).toMatchObject({ kind: 'uses', uses: 'forge/pull-request' });
    expect(r.workflow.steps[1]).toMatchObject({
      kind: 'wait',
      wait: { event: 'pr.merged' },
      timeoutMs: 3_600_000,
    });
  });
  it('names an unknown action, an unknown key and a missing one', () => {
    expect(messages('name: x\nsteps:\n  - id: a\n    uses: forge/pull-reqest\n')[0]).toMatch(
      /unknown action "forge\/pull-reqest".*did you mean "forge\/pull-request"/,
    );
    const m = messages(`
name: x
steps:
  - id: a
    uses: forge/merge
    with: { repository: acme/app, methd: squash }
`);
    expect(m.join('\n')).toContain('forge/merge takes no "methd"');
    expect(m.join('\n')).toContain('forge/merge needs with.number');
  });
  it('refuses with: on other kinds and if: on a timer wait', () => {
    expect(messages('name: x\nsteps:\n  - id: a\n    run: echo\n    with: { a: 1 }\n').join()).toContain(
      'only allowed on uses steps',
    );
    expect(messages('name: x\nsteps:\n  - id: a\n    wait: { duration: 1s, if: "true" }\n').join()).toContain(
      'only allowed with event',
    );
  });
});
