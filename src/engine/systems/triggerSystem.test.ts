import { describe, expect, it } from 'vitest';
import type { WorkflowRecord } from '../../domain/records.ts';
import type { EventTrigger, GithubTrigger } from '../../domain/workflow/types.ts';
import type { StoredEventRecord } from '../ports/store.ts';
import { eventScope, eventSubscriptions, eventTypeMatches, triggerMatches } from './triggerSystem.ts';

describe('eventTypeMatches', () => {
  it('matches exact types, prefix globs and *', () => {
    expect(eventTypeMatches('pr.created', 'pr.created')).toBe(true);
    expect(eventTypeMatches('pr.created', 'pr.created.x')).toBe(false);
    expect(eventTypeMatches('pr.*', 'pr.created')).toBe(true);
    expect(eventTypeMatches('pr.*', 'pr.review.done')).toBe(true);
    expect(eventTypeMatches('pr.*', 'pr')).toBe(false);
    expect(eventTypeMatches('pr.*', 'prx.created')).toBe(false);
    expect(eventTypeMatches('*', 'anything.at.all')).toBe(true);
  });
});

const event: StoredEventRecord = {
  id: 42,
  runId: 'r1',
  stepId: null,
  type: 'run.succeeded',
  payload: { outputs: { url: 'x' }, error: null },
  createdAt: Date.UTC(2025, 0, 2, 3, 4, 5),
  external: false,
  processedAt: null,
};

describe('eventScope', () => {
  it('gives external events as stored and adds the run to a run end', () => {
    expect(
      eventScope({ ...event, runId: null, external: true, type: 'pr.created', payload: { n: 1 } }),
    ).toEqual({
      id: 42,
      type: 'pr.created',
      payload: { n: 1 },
      created_at: '2025-01-02T03:04:05.000Z',
      run_id: null,
      external: true,
    });
    const run = {
      id: 'r1',
      workflowName: 'build',
      status: 'succeeded' as const,
      inputs: { v: '1' },
      parentRunId: null,
      triggerDepth: 0,
    };
    expect(eventScope(event, run).payload).toEqual({
      run_id: 'r1',
      workflow: 'build',
      status: 'succeeded',
      inputs: { v: '1' },
      outputs: { url: 'x' },
      error: null,
    });
  });
});

describe('eventSubscriptions', () => {
  it('lists the event and github triggers of every workflow with their index', () => {
    const wf = (name: string, triggers: WorkflowRecord['definition']['triggers']) =>
      ({ name, definition: { name, triggers } }) as unknown as WorkflowRecord;
    const subs = eventSubscriptions([
      wf('a', [{ type: 'manual' }, { type: 'event', eventType: 'x', inputs: {}, allowSelf: false }]),
      wf('b', [{ type: 'schedule', cron: '@daily', timezone: 'UTC', inputs: {} }]),
      wf('c', [
        { type: 'github', event: 'push', filter: { branches: ['main'] }, inputs: {}, allowSelf: false },
      ]),
    ]);
    expect(subs.map((s) => [s.workflow.name, s.index, s.trigger.type])).toEqual([
      ['a', 1, 'event'],
      ['c', 0, 'github'],
    ]);
  });
});

describe('triggerMatches', () => {
  const event = (type: string, payload: Record<string, unknown>) =>
    ({ id: 1, type, payload, external: true }) as unknown as StoredEventRecord;
  it("matches an event trigger's type, and a github trigger's event and filters", () => {
    const onEvent: EventTrigger = { type: 'event', eventType: 'github.push', inputs: {}, allowSelf: false };
    const onMain: GithubTrigger = {
      type: 'github',
      event: 'push',
      filter: { branches: ['main'] },
      inputs: {},
      allowSelf: false,
    };
    const main = event('github.push', { ref: 'refs/heads/main' });
    const dev = event('github.push', { ref: 'refs/heads/dev' });
    expect([triggerMatches(onEvent, main), triggerMatches(onEvent, dev)]).toEqual([true, true]);
    expect([triggerMatches(onMain, main), triggerMatches(onMain, dev)]).toEqual([true, false]);
    expect(triggerMatches(onMain, event('pr.created', { ref: 'refs/heads/main' }))).toBe(false);
  });
});
