/**
 * What verified GitHub deliveries start: an event trigger on `github.issues.labeled` starts one
 * run from one delivery (redelivered or not); a registered repository routes its deliveries to
 * its workspace; status callbacks become `github.orchestrator.status`.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { uuidv7 } from '../../src/domain/ids.ts';
import { createApiHarness, type ApiHarness } from '../api/apiHarness.ts';
import { DIALECTS } from '../helpers/dialects.ts';
import { githubDelivery } from './githubWebhookRequests.ts';
import { webhookExample } from '../helpers/webhookExamples.ts';
import { until } from '../helpers/until.ts';

const example = (event: string, action?: string) => webhookExample(event, action ?? (() => true));
const LABELED = example('issues', 'labeled');

const ON_LABEL = `
name: on-label
inputs:
  number: { type: number, required: true }
  label: { type: string, required: true }
  repo: { type: string, required: true }
triggers:
  - event:
      type: github.issues.labeled
      if: event.payload.label.name == "baton"
      inputs:
        number: "{{ event.payload.issue.number }}"
        label: "{{ event.payload.label.name }}"
        repo: "{{ event.payload.repository.full_name }}"
steps:
  - id: s
    run: echo "issue {{ inputs.number }} of {{ inputs.repo }} labeled {{ inputs.label }}"
`;

describe.each(DIALECTS)('GitHub webhooks start workflows (%s)', (dialect) => {
  let h: ApiHarness;
  beforeEach(async () => {
    h = await createApiHarness(dialect);
    await h.register(ON_LABEL);
  });
  afterEach(async () => h.close());

  const deliver = async (event: string, payload: unknown, id?: string) =>
    h.app.inject({
      method: 'POST',
      ...(await githubDelivery(event, payload, id === undefined ? {} : { id })),
    });

  it('starts a github.issues.labeled workflow exactly once from one delivery', async () => {
    const payload = { ...LABELED, label: { ...(LABELED['label'] as object), name: 'baton' } };
    const first = await deliver('issues', payload, 'label-1');
    expect(first.statusCode).toBe(202);
    const [eventId] = first.json<{ event_ids: number[] }>().event_ids;
    // GitHub's retry and a redelivery of the same delivery
    expect((await deliver('issues', payload, 'label-1')).statusCode).toBe(200);
    expect((await deliver('issues', payload, 'label-1')).statusCode).toBe(200);
    // another label: no run (the trigger's condition)
    expect((await deliver('issues', LABELED, 'label-2')).statusCode).toBe(202);

    const runs = await until(
      () => h.store.listRuns({ workflowName: 'on-label', limit: 10 }),
      (r) => r.length > 0,
    );
    const done = await h.finish(runs[0]!.id);
    expect(done.run.status).toBe('succeeded');
    expect(done.run.createdBy).toBe(`event:${eventId}`);
    expect(await h.logs(runs[0]!.id, 's')).toContain('issue 1 of Codertocat/Hello-World labeled baton');
    // both events dispatched: still exactly one run
    await until(
      () => h.store.hasUndispatchedEvents(),
      (pending) => !pending,
    );
    expect(await h.store.listRuns({ workflowName: 'on-label', limit: 10 })).toHaveLength(1);
  });

  it("routes a registered repository's deliveries to its workspace (names match case-insensitively)", async () => {
    const now = Date.now();
    await h.accounts.insertWorkspace({ id: 'acme', name: 'Acme', createdAt: now, updatedAt: now });
    await h.accounts.insertRepository({
      id: uuidv7(),
      workspaceId: 'acme',
      projectId: null,
      name: 'codertocat/hello-world',
      url: 'https://github.com/Codertocat/Hello-World.git',
      defaultBranch: 'main',
      createdAt: now,
      updatedAt: now,
    });
    const payload = { ...LABELED, label: { ...(LABELED['label'] as object), name: 'baton' } };
    const res = await deliver('issues', payload, 'ws-1');
    expect(res.statusCode).toBe(202);
    const [id] = res.json<{ event_ids: number[] }>().event_ids;
    const e = await h.store.getEvent(id!);
    expect(e).toMatchObject({ type: 'github.issues.labeled', workspaceId: 'acme', external: true });
    expect(e!.payload).toMatchObject({ delivery: 'ws-1', action: 'labeled' });
    // the workflow of the default workspace does not see acme's events
    await until(
      () => h.store.hasUndispatchedEvents(),
      (pending) => !pending,
    );
    expect(await h.store.listRuns({ workflowName: 'on-label', limit: 10 })).toEqual([]);
    const [row] = await h.store.listWebhookDeliveries({ deliveryId: 'ws-1', limit: 1 });
    expect(row).toMatchObject({ repository: 'Codertocat/Hello-World', action: 'labeled', eventIds: [id] });
  });

  it('turns repository_dispatch status callbacks into github.orchestrator.status', async () => {
    const dispatch = example('repository_dispatch');
    const callback = {
      runId: 'run-1',
      nodeId: 'task-7',
      phase: 'EXECUTION_LOOP',
      state: 'running',
      progress: 40,
      metrics: { tests: 12 },
      artifacts: [{ name: 'report', url: 'https://example.com/r' }],
    };
    const ok = await deliver('repository_dispatch', {
      ...dispatch,
      action: 'orchestrator.status',
      client_payload: callback,
    });
    expect(ok.json()).toMatchObject({ status: 'accepted', type: 'github.orchestrator.status' });
    const e = await h.store.getEvent(ok.json<{ event_ids: number[] }>().event_ids[0]!);
    expect(e!.payload['status_callback']).toEqual({
      run_id: 'run-1',
      node_id: 'task-7',
      phase: 'EXECUTION_LOOP',
      state: 'running',
      progress: 40,
      metrics: { tests: 12 },
      artifacts: [{ name: 'report', url: 'https://example.com/r' }],
    });
    // not a status callback: accepted and recorded with the reason, routed as a plain dispatch
    const bad = await deliver(
      'repository_dispatch',
      { ...dispatch, action: 'orchestrator.status', client_payload: { state: 'done' } },
      'cb-bad',
    );
    expect(bad.statusCode).toBe(202);
    expect(bad.json()).toMatchObject({ type: 'github.repository_dispatch.orchestrator.status' });
    const [row] = await h.store.listWebhookDeliveries({ deliveryId: 'cb-bad', limit: 1 });
    expect(row!.reason).toMatch(/not a status callback: client_payload.runId/);
  });

  it('answers ping without an event, and accepts unknown events', async () => {
    const ping = await deliver('ping', example('ping'));
    expect(ping.statusCode).toBe(202);
    expect(ping.json()).toMatchObject({ status: 'accepted', type: null, event_ids: [] });
    const odd = await deliver('some_future_event', {
      action: 'Did Something!',
      repository: { full_name: 'a/b' },
    });
    expect(odd.statusCode).toBe(202);
    expect(odd.json()).toMatchObject({ type: 'github.some_future_event.did_something_' });
  });
});
