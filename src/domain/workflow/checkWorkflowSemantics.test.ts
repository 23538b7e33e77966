import { describe, expect, it } from 'vitest';
import { formatWorkflowIssue } from './formatWorkflowIssue.ts';
import { parseWorkflow } from './parseWorkflow.ts';

function errorsOf(source: string, file = 'examples/x.yaml'): string[] {
  const result = parseWorkflow(source, { file });
  if (result.ok) throw new Error('expected errors, the workflow is valid');
  return result.errors.map(formatWorkflowIssue);
}

describe('needs', () => {
  it('names a missing step with a suggestion at its line and column', () => {
    const src = `name: x
description: the example from the docs
steps:
  - id: build
    run: make
  - id: test
    needs: build
    run: make test
  - id: deploy
    run: ./deploy
    needs:
    - bulid
`;
    expect(errorsOf(src)).toEqual([
      'examples/x.yaml:12:7: steps[2].needs: step "bulid" does not exist; did you mean "build"?',
    ]);
  });

  it('is reported together with schema errors', () => {
    expect(
      errorsOf(
        'name: x\nsteps:\n  - id: a\n    run: echo\n    timeout: soon\n  - id: b\n    needs: c\n    run: echo\n',
      ),
    ).toEqual([
      'examples/x.yaml:5:14: steps[0].timeout: invalid duration "soon": expected a duration such as "30s", "5m", "1h30m", "2d", "250ms" or a number of seconds',
      'examples/x.yaml:7:12: steps[1].needs: step "c" does not exist',
    ]);
  });

  it('rejects duplicate ids and self needs', () => {
    expect(
      errorsOf('name: x\nsteps:\n  - id: a\n    run: echo\n  - id: a\n    needs: [a]\n    run: echo\n'),
    ).toEqual([
      'examples/x.yaml:5:9: steps[1].id: duplicate step id "a" (already used by steps[0])',
      'examples/x.yaml:6:13: steps[1].needs: step "a" cannot need itself',
    ]);
  });

  it('names the cycle', () => {
    const src = `name: x
steps:
  - id: a
    needs: c
    run: echo
  - id: b
    needs: a
    run: echo
  - id: c
    needs: [b]
    run: echo
  - id: d
    needs: [d2]
    run: echo
  - id: d2
    needs: [d]
    run: echo
`;
    expect(errorsOf(src)).toEqual([
      'examples/x.yaml:4:12: steps[0].needs: dependency cycle: a → c → b → a',
      'examples/x.yaml:13:12: steps[3].needs: dependency cycle: d → d2 → d',
    ]);
  });
});

describe('on: goto', () => {
  const src = (goto: string): string => `name: x
steps:
  - id: build
    run: make
  - id: lint
    run: lint
  - id: test
    needs: build
    run: test
    on:
      - { goto: ${goto}, max: 2 }
`;

  it('accepts the step itself and its ancestors', () => {
    expect(parseWorkflow(src('test')).ok).toBe(true);
    expect(parseWorkflow(src('build')).ok).toBe(true);
  });

  it('rejects unknown steps with a suggestion', () => {
    expect(errorsOf(src('biuld'))).toEqual([
      'examples/x.yaml:11:17: steps[2].on[0].goto: step "biuld" does not exist; did you mean "build"?',
    ]);
  });

  it('rejects steps that are not upstream', () => {
    expect(errorsOf(src('lint'))).toEqual([
      'examples/x.yaml:11:17: steps[2].on[0].goto: step "lint" is not "test" or one of its upstream steps: routes may only go back to the step itself or a step it needs',
    ]);
  });
});

describe('expressions and templates', () => {
  it('reports expressions that do not compile', () => {
    const src = `name: x
steps:
  - id: a
    if: inputs.x ==
    run: echo {{ 1 + }}
    env: { A: "{{ inputs.x" }
`;
    expect(errorsOf(src.replace('name: x', 'name: x\ninputs: { x: string }'))).toEqual([
      'examples/x.yaml:5:9: steps[0].if: invalid expression "inputs.x ==": unexpected token: EOF at column 12',
      'examples/x.yaml:6:10: steps[0].run: invalid expression "1 +": unexpected token: EOF at column 4',
      'examples/x.yaml:7:15: steps[0].env.A: unclosed "{{" at offset 0 in template "{{ inputs.x"',
    ]);
  });

  it('checks references to inputs, steps and outputs', () => {
    const src = `name: x
inputs:
  count: number
steps:
  - id: build
    run: make
    outputs: [version]
  - id: other
    run: echo
  - id: deploy
    needs: build
    run: |
      echo {{ steps.build.outputs.versoin }}
      echo {{ inputs.cuont }} {{ steps.other.status }} {{ steps.nope.status }}
    if: input.count > 1
`;
    expect(errorsOf(src)).toEqual([
      'examples/x.yaml:12:10: steps[2].run: step "build" does not declare output "versoin"; did you mean "version"?',
      'examples/x.yaml:12:10: steps[2].run: input "cuont" is not declared; did you mean "count"?',
      'examples/x.yaml:12:10: steps[2].run: step "other" is not upstream of "deploy"; add it to needs',
      'examples/x.yaml:12:10: steps[2].run: step "nope" does not exist',
      'examples/x.yaml:15:9: steps[2].if: unknown variable "input" in "input.count > 1"; did you mean "inputs"?',
    ]);
  });

  it('lets run outputs read any step and routes read their own step', () => {
    const src = `name: x
steps:
  - id: a
    run: echo
    on: [{ outcome: any, if: "steps.a.outcome == 'failure'", goto: a, max: 1 }]
  - id: b
    run: echo
outputs:
  both: "{{ steps.a.status }} {{ steps.b.status }}"
`;
    expect(parseWorkflow(src).ok).toBe(true);
  });

  it('does not let a step read itself outside routes', () => {
    expect(errorsOf('name: x\nsteps:\n  - id: a\n    run: echo {{ steps.a.status }}\n')).toEqual([
      'examples/x.yaml:4:10: steps[0].run: step "a" cannot reference itself here',
    ]);
  });

  it('forbids steps where no step has run yet', () => {
    const src = `name: x
concurrency: { key: "{{ steps.a.status }}" }
env: { A: "{{ steps.a.outputs.x }}" }
steps:
  - id: a
    run: echo
`;
    expect(errorsOf(src)).toEqual([
      'examples/x.yaml:2:21: concurrency.key: cannot reference steps.a here: it is evaluated before any step runs',
      'examples/x.yaml:3:11: env.A: cannot reference steps.a here: it is evaluated before any step runs',
    ]);
  });

  it('binds the fan-out variable only in the child inputs', () => {
    const ok = `name: x
steps:
  - id: list
    run: echo
  - id: fan
    needs: list
    workflow:
      name: child
      for_each: steps.list.outputs.items
      as: region
      inputs: { r: "{{ region }}", i: "{{ index }}", nested: ["{{ region }}"] }
`;
    expect(parseWorkflow(ok).ok).toBe(true);
    expect(errorsOf(ok.replace('"{{ index }}"', '"{{ item }}"'))).toEqual([
      'examples/x.yaml:11:39: steps[1].workflow.inputs.i: unknown variable "item" in "item" (available: inputs, steps, run, env, region, index)',
    ]);
    expect(
      errorsOf(ok.replace('for_each: steps.list.outputs.items', 'for_each: "steps.list.outputs.items["')),
    ).toEqual([
      'examples/x.yaml:9:17: steps[1].workflow.for_each: invalid expression "steps.list.outputs.items[": unexpected token: EOF at column 26',
    ]);
  });

  it('accepts string literals that look like references', () => {
    expect(
      parseWorkflow('name: x\nsteps:\n  - id: a\n    run: echo {{ "steps.zzz.status and inputs.q" }}\n').ok,
    ).toBe(true);
  });
});

describe('inputs', () => {
  it('checks declarations and defaults', () => {
    const src = `name: x
inputs:
  env: { type: choice }
  level: { type: choice, options: [low, high], default: medium }
  count: { type: number, default: "3" }
  flag: { type: boolean, default: 1 }
  name: { type: string, options: [a] }
steps:
  - id: a
    run: echo
`;
    expect(errorsOf(src)).toEqual([
      'examples/x.yaml:3:8: inputs.env: a choice input needs a non-empty options list',
      'examples/x.yaml:4:57: inputs.level.default: default must be one of "low", "high", got "medium"',
      'examples/x.yaml:5:35: inputs.count.default: default expected a number, got "3"',
      'examples/x.yaml:6:35: inputs.flag.default: default expected a boolean (true or false), got 1',
      'examples/x.yaml:7:34: inputs.name.options: only allowed on choice inputs (this one is string)',
    ]);
  });

  it('checks schedule trigger inputs', () => {
    const src = `name: x
inputs:
  env: { type: string, required: true }
  count: number
triggers:
  - schedule:
      cron: "0 * * * *"
      inputs: { count: lots, evn: prod }
steps:
  - id: a
    run: echo
`;
    expect(errorsOf(src)).toEqual([
      'examples/x.yaml:8:15: triggers[0].schedule.inputs.env: input "env" is required',
      'examples/x.yaml:8:24: triggers[0].schedule.inputs.count: input "count": expected a number, got "lots"',
      'examples/x.yaml:8:35: triggers[0].schedule.inputs.evn: unknown input "evn"; did you mean "env"?',
    ]);
  });
});

describe('agent.commit', () => {
  it('takes true or an object, and is refused on remote runtimes and with unknown keys', () => {
    const ok = parseWorkflow(
      'name: x\nsteps:\n  - id: a\n    agent: { prompt: go, commit: true }\n  - id: b\n    needs: a\n    agent:\n      prompt: go\n      commit: { message: "fix: {{ steps.a.outputs.changesetSummary }}", push: false }\n',
    );
    if (!ok.ok) throw new Error(JSON.stringify(ok.errors));
    const [a, b] = ok.workflow.steps;
    expect(a?.kind === 'agent' && a.agent.commit).toEqual({ push: true, onFailure: false });
    expect(b?.kind === 'agent' && b.agent.commit).toEqual({
      push: false,
      onFailure: false,
      message: 'fix: {{ steps.a.outputs.changesetSummary }}',
    });
    expect(
      errorsOf(
        'name: x\nsteps:\n  - id: a\n    agent:\n      runtime: jules\n      prompt: go\n      source: { repository: acme/app }\n      commit: true\n',
      ),
    ).toEqual([
      'examples/x.yaml:8:15: steps[0].agent.commit: a jules agent works on its own copy of the repository and opens its own pull request: there is nothing local to commit',
    ]);
    expect(
      errorsOf('name: x\nsteps:\n  - id: a\n    agent: { prompt: go, commit: { pushh: true } }\n'),
    ).toEqual([expect.stringContaining('steps[0].agent.commit')]);
  });
});
