import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ActionExecutor } from '../../src/actions/ActionExecutor.ts';
import { repoResolver } from '../../src/actions/repoResolver.ts';
import type { LogSink, StepJob } from '../../src/engine/ports/stepExecutor.ts';
import type { Forge } from '../../src/forges/Forge.ts';
import { Worktrees } from '../../src/forges/git/worktrees.ts';
import { githubFixture, type GithubFixture } from './githubForgeFixture.ts';

const sink = (): LogSink & { text: string[] } => {
  const text: string[] = [];
  return {
    text,
    write: async (_s: unknown, b: Buffer) => void text.push(b.toString()),
  } as unknown as LogSink & {
    text: string[];
  };
};

/**
 * A crash after GitHub created the pull request but before the step's result was recorded: the step
 * runs again with the same idempotency key (`<run>:<step>:<iteration>`) and finds the first one.
 */
describe('forge/pull-request on GitHub run twice under one key (a crash between the create and its record)', () => {
  let f: GithubFixture;
  beforeAll(async () => {
    f = await githubFixture();
    await f.gh.commitFiles('acme', 'app', { branch: 'run/x-greeting', files: { 'g.txt': 'hi\n' } });
  });
  afterAll(async () => {
    await f?.gh.close();
  });

  const executorFor = (forge: Forge) =>
    new ActionExecutor({
      repos: repoResolver({
        findRepositories: async (ref) =>
          ref === 'acme/app'
            ? [
                {
                  id: 'r1',
                  workspaceId: 'default',
                  projectId: null,
                  name: 'acme/app',
                  url: 'https://github.com/acme/app',
                  defaultBranch: 'main',
                  createdAt: 0,
                  updatedAt: 0,
                },
              ]
            : [],
        local: {} as Forge,
        github: forge,
      }),
      mirrors: () => Promise.reject(new Error('not used')),
      worktrees: new Worktrees({ dataDir: f.gh.dir }),
    });

  it('opens one pull request', async () => {
    const forge = f.forge();
    const executor = executorFor(forge);
    const job: StepJob = {
      runId: 'run-1',
      stepId: 's1',
      stepKey: 'pr',
      attempt: 1,
      command: '',
      cwd: f.gh.dir,
      env: {},
      dryRun: false,
      uses: {
        action: 'forge/pull-request',
        with: { repository: 'acme/app', head: 'run/x-greeting', title: 'Greeting', plan: 'p' },
        workspaceId: 'default',
      },
    };
    const first = await executor.execute(job, sink(), AbortSignal.timeout(20_000));
    // the runner died before recording it: the step runs again (another attempt, same key)
    const logs = sink();
    const second = await executor.execute({ ...job, attempt: 2 }, logs, AbortSignal.timeout(20_000));
    expect(first).toMatchObject({ outcome: 'success', outputs: { created: 'true' } });
    expect(second).toMatchObject({
      outcome: 'success',
      outputs: { created: 'false', number: first.outputs['number'] },
    });
    expect(logs.text.join('')).toMatch(/found pull request #\d+/);
    expect([...f.gh.repo('acme', 'app').issues.values()].filter((i) => i.pull)).toHaveLength(1);
    expect(f.count('POST', /^\/repos\/acme\/app\/pulls$/)).toBe(1);
    // and the forge itself, called twice under the key (as if the find had been skipped): still one
    const again = await forge.openPullRequest(
      'acme/app',
      {
        head: 'run/x-greeting',
        base: 'main',
        title: 'Greeting',
        body: '',
        draft: false,
        idempotencyKey: 'run-1:pr:0',
      },
      AbortSignal.timeout(20_000),
    );
    expect(String(again.number)).toBe(first.outputs['number']);
    expect(f.count('POST', /^\/repos\/acme\/app\/pulls$/)).toBe(1);
  });

  it('forge/dispatch sends repository and workflow dispatches with one dispatch id per step key', async () => {
    const executor = executorFor(f.forge());
    const job = (w: Record<string, unknown>, stepKey = 'ci'): StepJob => ({
      runId: '01a20000-0000-7000-8000-000000000001',
      stepId: 's2',
      stepKey,
      attempt: 1,
      command: '',
      cwd: f.gh.dir,
      env: {},
      dryRun: false,
      uses: { action: 'forge/dispatch', with: { repository: 'acme/app', ...w }, workspaceId: 'default' },
    });
    const a = await executor.execute(
      job({ event_type: 'baton.deploy', payload: '{"env":"staging"}' }),
      sink(),
      AbortSignal.timeout(20_000),
    );
    const again = await executor.execute(
      job({ event_type: 'baton.deploy', payload: '{"env":"staging"}' }),
      sink(),
      AbortSignal.timeout(20_000),
    );
    const wf = await executor.execute(
      job({ workflow: 'ci.yml', payload: '{"suite":"full"}' }, 'wf'),
      sink(),
      AbortSignal.timeout(20_000),
    );
    expect(a).toMatchObject({ outcome: 'success' });
    expect(again.outputs['dispatch_id']).toBe(a.outputs['dispatch_id']);
    expect(wf.outputs['dispatch_id']).not.toBe(a.outputs['dispatch_id']);
    const sent = f.gh.repo('acme', 'app').dispatches;
    expect(sent[0]).toMatchObject({
      kind: 'repository_dispatch',
      eventType: 'baton.deploy',
      clientPayload: { env: 'staging', dispatch_id: a.outputs['dispatch_id'], step: 'ci' },
    });
    expect(sent.at(-1)).toMatchObject({
      kind: 'workflow_dispatch',
      workflowId: 'ci.yml',
      ref: 'main',
      inputs: { suite: 'full', dispatch_id: wf.outputs['dispatch_id'] },
    });
    const both = await executor.execute(
      job({ event_type: 'x', workflow: 'y' }),
      sink(),
      AbortSignal.timeout(20_000),
    );
    expect(both.error?.message).toContain('give event_type (repository_dispatch) or workflow');
  });
});
