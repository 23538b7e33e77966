import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DIALECTS } from '../helpers/dialects.ts';
import { createApiHarness, type ApiHarness } from './apiHarness.ts';

const TOKEN = 'baton_pat_testadmintoken0000000000000';
const auth = { authorization: `Bearer ${TOKEN}` };

const ON_DEPLOY = `
name: on-deploy
inputs:
  env: { type: choice, options: [staging, prod], required: true }
  sha: { type: string, required: true }
triggers:
  - event:
      type: "deploy.*"
      if: event.payload.env != "dev"
      inputs: { env: "{{ event.payload.env }}", sha: "{{ event.payload.sha }}" }
steps:
  - id: verify
    run: echo "verifying {{ inputs.sha }} on {{ inputs.env }}"
`;

interface Page<T> {
  items: T[];
}
interface RunOut {
  id: string;
  workflow: string;
  status: string;
  trigger: string;
  created_by: string | null;
  inputs: Record<string, unknown>;
}
interface EventOut {
  id: number;
  type: string;
  payload: Record<string, unknown>;
}

describe.each(DIALECTS)('event triggers over the HTTP API (%s)', (dialect) => {
  let h: ApiHarness;
  beforeEach(async () => {
    h = await createApiHarness(dialect);
    await h.register(ON_DEPLOY);
  });
  afterEach(async () => h.close());

  const get = async <T>(url: string): Promise<T> => {
    const res = await h.app.inject({ url, headers: auth });
    expect(res.statusCode).toBe(200);
    return res.json<T>();
  };

  it('POST /events starts the runs of the matching triggers, promptly', async () => {
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/v1/events',
      headers: auth,
      payload: { type: 'deploy.finished', payload: { env: 'prod', sha: 'abc123' } },
    });
    expect(res.statusCode).toBe(201);
    const event = res.json<EventOut>();
    const started = Date.now();
    let runs: RunOut[] = [];
    while (runs.length === 0) {
      if (Date.now() - started > 10_000) throw new Error('no run was started');
      await new Promise((r) => setTimeout(r, 10));
      runs = (await get<Page<RunOut>>('/api/v1/runs?workflow=on-deploy')).items;
    }
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({
      trigger: 'event',
      created_by: `event:${event.id}`,
      inputs: { env: 'prod', sha: 'abc123' },
    });
    expect((await h.finish(runs[0]!.id)).run.status).toBe('succeeded');
    expect(await h.logs(runs[0]!.id, 'verify')).toContain('verifying abc123 on prod');

    // the outcome is in the outbox, and the consumed event is no longer pending
    const dispatched = await get<Page<EventOut>>('/api/v1/events?type=event.dispatched');
    expect(dispatched.items.map((e) => e.payload)).toEqual([
      expect.objectContaining({
        event_id: event.id,
        runs: [{ run_id: runs[0]!.id, workflow: 'on-deploy', trigger: 0, created: true }],
      }),
    ]);
    const pending = await get<Page<EventOut>>('/api/v1/events/pending');
    expect(pending.items.map((e) => e.id)).not.toContain(event.id);
  });

  it('an event no trigger fires for stays pending for outside consumers', async () => {
    const post = (type: string, payload: Record<string, unknown>) =>
      h.app.inject({ method: 'POST', url: '/api/v1/events', headers: auth, payload: { type, payload } });
    const skipped = (await post('deploy.finished', { env: 'dev', sha: 'x' })).json<EventOut>();
    const bad = (await post('deploy.finished', { env: 'moon', sha: 'y' })).json<EventOut>();
    await h.engine.dispatchEvents();
    expect((await get<Page<RunOut>>('/api/v1/runs?workflow=on-deploy')).items).toEqual([]);
    const pending = await get<Page<EventOut>>('/api/v1/events/pending');
    // `if` was false: nothing consumed it. The bad input: the trigger fired and failed, recorded
    expect(pending.items.map((e) => e.id)).toEqual([skipped.id]);
    const dispatched = await get<Page<EventOut>>('/api/v1/events?type=event.dispatched');
    expect(dispatched.items.map((e) => e.payload)).toEqual([
      expect.objectContaining({
        event_id: bad.id,
        runs: [],
        errors: [expect.objectContaining({ workflow: 'on-deploy', trigger: 0, code: 'invalid_input' })],
      }),
    ]);
    const marked = await h.app.inject({
      method: 'POST',
      url: `/api/v1/events/${skipped.id}/processed`,
      headers: auth,
    });
    expect(marked.statusCode).toBe(200);
  });
});
