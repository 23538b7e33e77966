import { describe, expect, it } from 'vitest';
import { parseWorkflow, type ParseResult } from './parseWorkflow.ts';
import type { WorkflowDefinition } from './types.ts';

const FULL = `name: release.web-app
description: Build, approve and deploy
inputs:
  env: { type: choice, options: [staging, prod], default: staging, description: Target }
  count: { type: number, default: 2 }
  dry: boolean
  payload: { type: json, default: { a: 0 } }
triggers:
  - manual
  - schedule: { cron: "0 3 * * 1-5", timezone: Europe/Paris, inputs: { payload: { a: 1 } } }
  - schedule: "@daily"
concurrency: { key: "deploy-{{ inputs.env }}", limit: 2 }
priority: 5
env:
  REGION: eu
  VERBOSE: true
outputs:
  version: "{{ steps.build.outputs.version }}"
defaults:
  timeout: 10m
  retry: { max: 1, backoff: fixed }
  shell: bash
  working_directory: app
steps:
  - id: build
    name: Build it
    run: make build
    shell: sh
    working_directory: "{{ inputs.env }}"
    outputs: [version, digest]
    retry: { max: 3, backoff: { initial: 2s, max: 1m, factor: 3 }, jitter: 0, on: [failure, lease_lost] }
    timeout: 1h30m
    env: { LEVEL: 3 }
  - id: gate
    needs: build
    approval:
      message: "Deploy {{ steps.build.outputs.version }} to {{ inputs.env }}?"
      timeout: 2d
      default: approve
      approvers: [alice, bob]
  - id: pause
    needs: [gate]
    wait: 30s
  - id: fan
    needs: [pause, build]
    if: "{{ inputs.count > 1 }}"
    workflow:
      name: deploy-one
      for_each: steps.build.outputs.digest.split(",")
      as: region
      inputs: { region: "{{ region }}", n: "{{ index }}", fixed: 7 }
  - id: verify
    needs: fan
    run: ./verify.sh
    continue_on_error: true
    retry: 2
    on:
      - { outcome: failure, goto: build, max: 3, if: "steps.verify.outcome == 'failure'" }
      - { goto: verify, max: 1 }
  - id: notify
    needs: verify
    if: always()
    workflow: notify
  - id: later
    needs: notify
    wait: { until: "{{ run.created_at }}" }
    outputs: { note: "free text", other: null }
`;

const base = { env: {}, outputs: [], on: [], continueOnError: false };

const EXPECTED: WorkflowDefinition = {
  name: 'release.web-app',
  description: 'Build, approve and deploy',
  inputs: {
    env: {
      type: 'choice',
      required: false,
      default: 'staging',
      description: 'Target',
      options: ['staging', 'prod'],
    },
    count: { type: 'number', required: false, default: 2 },
    dry: { type: 'boolean', required: false },
    payload: { type: 'json', required: false, default: { a: 0 } },
  },
  triggers: [
    { type: 'manual' },
    { type: 'schedule', cron: '0 3 * * 1-5', timezone: 'Europe/Paris', inputs: { payload: { a: 1 } } },
    { type: 'schedule', cron: '@daily', timezone: 'UTC', inputs: {} },
  ],
  concurrency: { key: 'deploy-{{ inputs.env }}', limit: 2 },
  priority: 5,
  env: { REGION: 'eu', VERBOSE: 'true' },
  outputs: { version: '{{ steps.build.outputs.version }}' },
  defaults: {
    timeoutMs: 600_000,
    retry: {
      max: 1,
      backoff: { initialMs: 1000, maxMs: 60_000, factor: 1 },
      jitter: 0.2,
      on: ['failure', 'timeout'],
    },
    shell: 'bash',
    workingDirectory: 'app',
  },
  steps: [
    {
      ...base,
      id: 'build',
      name: 'Build it',
      kind: 'run',
      run: 'make build',
      shell: 'sh',
      workingDirectory: '{{ inputs.env }}',
      needs: [],
      outputs: ['version', 'digest'],
      retry: {
        max: 3,
        backoff: { initialMs: 2000, maxMs: 60_000, factor: 3 },
        jitter: 0,
        on: ['failure', 'lease_lost'],
      },
      timeoutMs: 5_400_000,
      env: { LEVEL: '3' },
    },
    {
      ...base,
      id: 'gate',
      kind: 'approval',
      needs: ['build'],
      approval: {
        message: 'Deploy {{ steps.build.outputs.version }} to {{ inputs.env }}?',
        timeoutMs: 172_800_000,
        default: 'approve',
        approvers: ['alice', 'bob'],
      },
    },
    { ...base, id: 'pause', kind: 'wait', needs: ['gate'], wait: { durationMs: 30_000 } },
    {
      ...base,
      id: 'fan',
      kind: 'workflow',
      needs: ['pause', 'build'],
      if: 'inputs.count > 1',
      workflow: {
        name: 'deploy-one',
        inputs: { region: '{{ region }}', n: '{{ index }}', fixed: 7 },
        forEach: 'steps.build.outputs.digest.split(",")',
        as: 'region',
      },
    },
    {
      ...base,
      id: 'verify',
      kind: 'run',
      run: './verify.sh',
      needs: ['fan'],
      continueOnError: true,
      retry: {
        max: 2,
        backoff: { initialMs: 1000, maxMs: 60_000, factor: 2 },
        jitter: 0.2,
        on: ['failure', 'timeout'],
      },
      on: [
        { outcome: 'failure', goto: 'build', max: 3, if: "steps.verify.outcome == 'failure'" },
        { outcome: 'failure', goto: 'verify', max: 1 },
      ],
    },
    {
      ...base,
      id: 'notify',
      kind: 'workflow',
      needs: ['verify'],
      if: 'always()',
      workflow: { name: 'notify', inputs: {} },
    },
    {
      ...base,
      id: 'later',
      kind: 'wait',
      needs: ['notify'],
      wait: { until: '{{ run.created_at }}' },
      outputs: ['note', 'other'],
    },
  ],
};

function expectOk(result: ParseResult): WorkflowDefinition {
  if (!result.ok)
    throw new Error(`expected a valid workflow, got:\n${JSON.stringify(result.errors, null, 2)}`);
  return result.workflow;
}

describe('parseWorkflow: valid files', () => {
  it('normalises a full workflow', () => {
    const result = parseWorkflow(FULL, { file: 'full.yaml' });
    expect(expectOk(result)).toEqual(EXPECTED);
    expect(result.ok && result.warnings).toEqual([]);
  });

  it('is deterministic and JSON round-trippable', () => {
    const workflow = expectOk(parseWorkflow(FULL));
    expect(JSON.parse(JSON.stringify(workflow))).toEqual(workflow);
    expect(expectOk(parseWorkflow(FULL))).toEqual(workflow);
  });

  it('applies defaults to a minimal workflow', () => {
    expect(expectOk(parseWorkflow('name: hello\nsteps:\n  - id: hi\n    run: echo hi\n'))).toEqual({
      name: 'hello',
      inputs: {},
      triggers: [{ type: 'manual' }],
      priority: 0,
      env: {},
      outputs: {},
      defaults: {},
      steps: [{ ...base, id: 'hi', kind: 'run', run: 'echo hi', needs: [] }],
    });
  });

  it('accepts the shorthand forms', () => {
    const wf = expectOk(
      parseWorkflow(`name: short
concurrency: "{{ inputs.env }}"
inputs: { env: string }
steps:
  - id: a
    approval: true
  - id: b
    approval: Ship it?
    needs: a
  - id: c
    wait: 90
    needs: b
  - id: d
    wait: { duration: 1m }
    needs: c
    retry: { backoff: exponential }
    if: true
  - id: e
    workflow: { name: child, for_each: "{{ inputs.env.split(',') }}" }
    needs: d
`),
    );
    expect(wf.concurrency).toEqual({ key: '{{ inputs.env }}', limit: 1 });
    const [a, b, c, d, e] = wf.steps;
    expect(a).toMatchObject({ kind: 'approval', approval: { default: 'reject' } });
    expect(b).toMatchObject({ kind: 'approval', approval: { message: 'Ship it?', default: 'reject' } });
    expect(c).toMatchObject({ kind: 'wait', wait: { durationMs: 90_000 } });
    expect(d).toMatchObject({ kind: 'wait', wait: { durationMs: 60_000 }, if: 'true' });
    expect(d?.retry).toEqual({
      max: 3,
      backoff: { initialMs: 1000, maxMs: 60_000, factor: 2 },
      jitter: 0.2,
      on: ['failure', 'timeout'],
    });
    expect(e).toMatchObject({
      kind: 'workflow',
      workflow: { name: 'child', inputs: {}, forEach: "inputs.env.split(',')", as: 'item' },
    });
  });

  it('parses JSON (tab-indented) with the same result as YAML', () => {
    const json = JSON.stringify({ name: 'j', steps: [{ id: 'a', run: 'echo', needs: [] }] }, null, '\t');
    expect(expectOk(parseWorkflow(json, { format: 'json', file: 'j.json' })).steps[0]).toMatchObject({
      id: 'a',
      run: 'echo',
    });
  });

  it('allows YAML anchors and aliases', () => {
    const wf = expectOk(
      parseWorkflow(`name: anchors
steps:
  - id: a
    run: echo a
    env: &common { A: "1" }
  - id: b
    run: echo b
    env: *common
`),
    );
    expect(wf.steps[1]?.env).toEqual({ A: '1' });
  });

  it('warns about a required input with a default', () => {
    const result = parseWorkflow(
      'name: w\ninputs:\n  x: { type: string, required: true, default: a }\nsteps:\n  - id: a\n    run: echo\n',
    );
    expect(result.ok && result.warnings).toEqual([
      {
        path: 'inputs.x.required',
        line: 3,
        column: 32,
        message: 'a required input with a default is never missing; drop one of them',
      },
    ]);
  });
});
