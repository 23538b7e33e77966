import { describe, expect, it } from 'vitest';
import { formatWorkflowIssue } from './formatWorkflowIssue.ts';
import { parseWorkflow } from './parseWorkflow.ts';

/** The formatted errors of an invalid file. */
function errorsOf(source: string, file = 'examples/x.yaml'): string[] {
  const result = parseWorkflow(source, { file });
  if (result.ok) throw new Error('expected errors, the workflow is valid');
  return result.errors.map(formatWorkflowIssue);
}

describe('parseWorkflow: YAML and top-level errors', () => {
  it('reports malformed YAML with its line', () => {
    expect(errorsOf('name: x\nsteps:\n  - id: a\n    run: [echo\n  - id: b\n')).toEqual([
      'examples/x.yaml:5:3: Flow sequence in block collection must be sufficiently indented and end with a ]',
    ]);
  });

  it('reports duplicate keys', () => {
    expect(errorsOf('name: x\nname: y\nsteps: []\n')).toEqual([
      'examples/x.yaml:2:1: Map keys must be unique',
    ]);
  });

  it('rejects a document that is not a map', () => {
    expect(errorsOf('- a\n- b\n')).toEqual([
      'examples/x.yaml:1:1: a workflow must be a map with at least name and steps, got a list',
    ]);
    expect(errorsOf('')).toEqual([
      'examples/x.yaml: a workflow must be a map with at least name and steps, got null',
    ]);
  });

  it('requires name and steps', () => {
    expect(errorsOf('description: nothing\n')).toEqual([
      'examples/x.yaml:1:1: missing required key "name"',
      'examples/x.yaml:1:1: missing required key "steps"',
    ]);
  });

  it('validates the workflow name and empty steps', () => {
    expect(errorsOf('name: My Flow\nsteps: []\n')).toEqual([
      'examples/x.yaml:1:7: name: invalid workflow name: lowercase letters, digits, ".", "_" and "-", starting with a letter or digit',
      'examples/x.yaml:2:8: steps: must not be empty',
    ]);
  });

  it('reports unknown keys with suggestions at the key', () => {
    const src = `name: x
descripton: typo
steps:
  - id: a
    neds: [b]
    run: echo
    retry: { max: 1, jiter: 0.5 }
`;
    expect(errorsOf(src)).toEqual([
      'examples/x.yaml:2:1: descripton: unknown key; did you mean "description"?',
      'examples/x.yaml:5:5: steps[0].neds: unknown key; did you mean "needs"?',
      'examples/x.yaml:7:22: steps[0].retry.jiter: unknown key; did you mean "jitter"?',
    ]);
  });

  it('reports an unknown key without a close match plainly', () => {
    expect(errorsOf('name: x\nsteps:\n  - id: a\n    run: echo\n    banana: 1\n')).toEqual([
      'examples/x.yaml:5:5: steps[0].banana: unknown key',
    ]);
  });

  it('collects every schema error of the file', () => {
    const src = `name: x
priority: high
triggers: [manual, hourly, { schedule: { cron: "61 * * * *", timezone: Mars/Base } }]
concurrency: { key: k, limit: 0 }
steps:
  - id: 1a
    run: echo
    timeout: 5x
    retry: { max: -1, backoff: linear, jitter: 2, on: [fail] }
  - id: b
    wait: { duration: 1s, until: "2030-01-01T00:00:00Z" }
  - id: c
    workflow: { name: child, as: it }
  - id: d
    approval: { default: maybe }
    shell: bash
  - 7
`;
    expect(errorsOf(src)).toEqual([
      'examples/x.yaml:2:11: priority: expected a number, got the string "high"',
      'examples/x.yaml:3:20: triggers[1]: expected "manual" or a map, got the string "hourly"',
      'examples/x.yaml:3:48: triggers[2].schedule.cron: invalid cron pattern "61 * * * *": Invalid value for minute: 61',
      'examples/x.yaml:3:72: triggers[2].schedule.timezone: unknown time zone "Mars/Base": use an IANA name such as "UTC" or "Europe/Paris"',
      'examples/x.yaml:4:31: concurrency.limit: must be at least 1',
      'examples/x.yaml:6:9: steps[0].id: invalid step id: letters, digits, "_" and "-", starting with a letter or "_"',
      'examples/x.yaml:8:14: steps[0].timeout: invalid duration "5x": expected a duration such as "30s", "5m", "1h30m", "2d", "250ms" or a number of seconds',
      'examples/x.yaml:9:19: steps[0].retry.max: must be at least 0',
      'examples/x.yaml:9:32: steps[0].retry.backoff: expected "exponential" or "fixed" or a map, got the string "linear"',
      'examples/x.yaml:9:48: steps[0].retry.jitter: must be at most 1',
      'examples/x.yaml:9:56: steps[0].retry.on[0]: must be one of "failure", "timeout", "lease_lost", got the string "fail"; did you mean "failure"?',
      'examples/x.yaml:11:11: steps[1].wait: wait needs exactly one of duration, until or event',
      'examples/x.yaml:13:34: steps[2].workflow.as: only allowed with for_each',
      'examples/x.yaml:15:26: steps[3].approval.default: must be one of "approve", "reject", got the string "maybe"',
      'examples/x.yaml:16:12: steps[3].shell: only allowed on run steps',
      'examples/x.yaml:17:5: steps[4]: expected a map, got the number 7',
    ]);
  });
});

describe('parseWorkflow: step kinds', () => {
  it('requires exactly one kind', () => {
    expect(
      errorsOf('name: x\nsteps:\n  - id: a\n    needs: []\n  - id: b\n    run: echo\n    wait: 5s\n'),
    ).toEqual([
      'examples/x.yaml:3:5: steps[0]: a step needs one of run, agent, uses, approval, wait or workflow',
      'examples/x.yaml:7:11: steps[1].wait: a step has exactly one kind: "run" and "wait" cannot be combined',
    ]);
  });

  it('rejects an unknown action, and checks agent steps', () => {
    expect(
      errorsOf(
        'name: x\nsteps:\n  - id: a\n    agent: { role: coder }\n  - id: b\n    uses: notify\n  - id: c\n    agent: { prompt: go, runtime: hal }\n    budget: { usd: -1 }\n',
      ),
    ).toEqual([
      'examples/x.yaml:4:12: steps[0].agent: missing required key "prompt"',
      expect.stringMatching(
        /^examples\/x\.yaml:6:11: steps\[1\]\.uses: unknown action "notify"; actions: git\/workspace, /,
      ) as unknown as string,
      expect.stringContaining('steps[2].agent.runtime') as unknown as string,
      expect.stringContaining('steps[2].budget.usd') as unknown as string,
    ]);
  });

  it('requires id on every step', () => {
    expect(errorsOf('name: x\nsteps:\n  - name: a\n    run: echo\n')).toEqual([
      'examples/x.yaml:3:5: steps[0]: missing required key "id"',
    ]);
  });

  it('validates on routes', () => {
    expect(
      errorsOf('name: x\nsteps:\n  - id: a\n    run: echo\n    on: [{ outcome: fail, goto: a }]\n'),
    ).toEqual([
      'examples/x.yaml:5:10: steps[0].on[0]: missing required key "max"',
      'examples/x.yaml:5:21: steps[0].on[0].outcome: must be one of "success", "failure", "timeout", "rejected", "any", got the string "fail"; did you mean "failure"?',
    ]);
  });
});
