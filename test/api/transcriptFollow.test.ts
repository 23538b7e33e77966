import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AgentEventRecord, StepRecord } from '../../src/domain/records.ts';
import { DIALECTS } from '../helpers/dialects.ts';
import { createApiHarness, SIMPLE_WORKFLOW, TEST_ADMIN_TOKEN, type ApiHarness } from './apiHarness.ts';

interface Line {
  attempt?: number;
  event?: { seq: number; kind: string; text?: string };
  end?: boolean;
  status?: string;
  outcome?: string | null;
}

function events(step: StepRecord, attempt: number, texts: string[], firstSeq = 0): AgentEventRecord[] {
  return texts.map((text, i) => {
    const seq = firstSeq + i;
    const at = Date.now();
    return {
      stepId: step.id,
      attempt,
      seq,
      kind: 'message',
      event: { v: 1, seq, at, kind: 'message', role: 'assistant', text, delta: false },
      createdAt: at,
    };
  });
}

/** The NDJSON lines of a streamed response, as they arrive. */
async function* lines(res: Response): AsyncGenerator<Line> {
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let buf = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    buf += decoder.decode(value, { stream: true });
    let nl: number;
    while ((nl = buf.indexOf('\n')) >= 0) {
      yield JSON.parse(buf.slice(0, nl)) as Line;
      buf = buf.slice(nl + 1);
    }
  }
  if (buf.trim()) yield JSON.parse(buf) as Line;
}

/** The next `n` lines (fails the test after 10 s). */
async function take(it: AsyncGenerator<Line>, n: number): Promise<Line[]> {
  const out: Line[] = [];
  const deadline = AbortSignal.timeout(10_000);
  while (out.length < n) {
    const next = await Promise.race([
      it.next(),
      new Promise<never>((_, reject) =>
        deadline.addEventListener('abort', () => reject(new Error(`only ${out.length} of ${n} lines`))),
      ),
    ]);
    if (next.done) throw new Error(`the stream ended after ${out.length} of ${n} lines`);
    out.push(next.value);
  }
  return out;
}

const text = (l: Line) => (l.event ? `${l.attempt}:${l.event.seq}:${l.event.text}` : l);

describe.each(DIALECTS)('GET …/transcript?follow=true (%s)', (dialect) => {
  let h: ApiHarness;
  let base: string;
  const auth = { authorization: `Bearer ${TEST_ADMIN_TOKEN}` };

  beforeAll(async () => {
    // no runner: the test plays the agent executor, writing the step and its transcript itself
    h = await createApiHarness(dialect, { runner: false });
    await h.register(SIMPLE_WORKFLOW);
    await h.app.listen({ host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${(h.app.server.address() as AddressInfo).port}/api/v1`;
  });
  afterAll(async () => h.close());

  /** a run whose step `hello` is running its first attempt */
  async function runningStep(): Promise<{ runId: string; step: StepRecord }> {
    const run = await h.start('simple');
    const [step] = await h.store.listSteps(run.id);
    const now = Date.now();
    const patch = {
      status: 'running',
      attempt: 1,
      leaseOwner: 'test',
      leaseExpiresAt: now + 3_600_000,
      startedAt: now,
    } as const;
    expect(await h.store.updateStep(step!.id, patch)).toBe(true);
    return { runId: run.id, step: { ...step!, ...patch } };
  }

  async function finishStep(step: StepRecord, status: 'succeeded' | 'failed' = 'succeeded'): Promise<void> {
    await h.store.updateStep(step.id, {
      status,
      outcome: status === 'succeeded' ? 'success' : 'failure',
      leaseOwner: null,
      leaseExpiresAt: null,
      finishedAt: Date.now(),
    });
  }

  it('streams the events as they are stored, across attempts, then an end line', async () => {
    const { runId, step } = await runningStep();
    await h.store.appendAgentEvents(events(step, 1, ['a', 'b']));
    const res = await fetch(`${base}/runs/${runId}/steps/hello/transcript?follow=true`, { headers: auth });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/x-ndjson/);
    const stream = lines(res);
    expect((await take(stream, 2)).map(text)).toEqual(['1:0:a', '1:1:b']);

    // written while the request is open
    await h.store.appendAgentEvents(events(step, 1, ['c'], 2));
    expect((await take(stream, 1)).map(text)).toEqual(['1:2:c']);

    // a retry: the next attempt's events follow
    await h.store.updateStep(step.id, { attempt: 2 });
    await h.store.appendAgentEvents(events(step, 2, ['x', 'y']));
    expect((await take(stream, 2)).map(text)).toEqual(['2:0:x', '2:1:y']);

    await h.store.appendAgentEvents(events(step, 2, ['z'], 2));
    await finishStep(step);
    const rest = await take(stream, 2);
    expect(rest.map(text)).toEqual([
      '2:2:z',
      { end: true, status: 'succeeded', outcome: 'success', attempt: 2 },
    ]);
    expect((await stream.next()).done).toBe(true);
    // the whole event is there, as the range read returns it
    const page = await h.app.inject({ url: `/api/v1/runs/${runId}/steps/hello/transcript?attempt=2` });
    expect(page.json<{ items: unknown[] }>().items.at(-1)).toMatchObject({
      v: 1,
      seq: 2,
      kind: 'message',
      role: 'assistant',
      text: 'z',
      delta: false,
    });
  });

  it('starts at the given attempt and after_seq; a finished step ends at once', async () => {
    const { runId, step } = await runningStep();
    await h.store.appendAgentEvents(events(step, 1, ['a', 'b', 'c']));
    await h.store.updateStep(step.id, { attempt: 2 });
    await h.store.appendAgentEvents(events(step, 2, ['x']));
    await finishStep(step, 'failed');
    const res = await fetch(
      `${base}/runs/${runId}/steps/hello/transcript?follow=1&attempt=1&after_seq=0&limit=1`,
      { headers: auth },
    );
    const all: Line[] = [];
    for await (const l of lines(res)) all.push(l);
    expect(all.map(text)).toEqual([
      '1:1:b',
      '1:2:c',
      '2:0:x',
      { end: true, status: 'failed', outcome: 'failure', attempt: 2 },
    ]);
  });

  it('follows a step that has not started yet from its first attempt', async () => {
    const run = await h.start('simple');
    const [step] = await h.store.listSteps(run.id);
    expect(step!.attempt).toBe(0);
    const res = await fetch(`${base}/runs/${run.id}/steps/hello/transcript?follow=true`, { headers: auth });
    const stream = lines(res);
    await h.store.updateStep(step!.id, {
      status: 'running',
      attempt: 1,
      leaseExpiresAt: Date.now() + 3_600_000,
    });
    await h.store.appendAgentEvents(events(step!, 1, ['hi']));
    expect((await take(stream, 1)).map(text)).toEqual(['1:0:hi']);
    await finishStep(step!);
    expect(await take(stream, 1)).toEqual([
      { end: true, status: 'succeeded', outcome: 'success', attempt: 1 },
    ]);
  });

  it('answers a problem, not a stream, for an unknown run or step', async () => {
    const { runId } = await runningStep();
    const res = await fetch(`${base}/runs/${runId}/steps/nope/transcript?follow=true`, { headers: auth });
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await res.json()).toMatchObject({ code: 'not_found', field: 'step' });
    const bad = await fetch(`${base}/runs/${runId}/steps/hello/transcript?follow=maybe`, { headers: auth });
    expect(bad.status).toBe(400);
    const anonymous = await fetch(`${base}/runs/${runId}/steps/hello/transcript?follow=true`);
    expect(anonymous.status).toBe(401);
  });

  it('ends when the client disconnects', async () => {
    const { runId, step } = await runningStep();
    await h.store.appendAgentEvents(events(step, 1, ['a']));
    const ctl = new AbortController();
    const res = await fetch(`${base}/runs/${runId}/steps/hello/transcript?follow=true`, {
      headers: auth,
      signal: ctl.signal,
    });
    expect(await take(lines(res), 1)).toHaveLength(1);
    ctl.abort();
    await finishStep(step);
    // the server still answers (the follow loop did not wedge anything)
    expect((await h.app.inject({ url: '/healthz' })).statusCode).toBe(200);
  });

  it('ends when the server shuts down', async () => {
    const { runId, step } = await runningStep();
    await h.store.appendAgentEvents(events(step, 1, ['a']));
    const res = await fetch(`${base}/runs/${runId}/steps/hello/transcript?follow=true`, { headers: auth });
    const all: Line[] = [];
    const done = (async () => {
      for await (const l of lines(res)) all.push(l);
    })();
    await new Promise((r) => setTimeout(r, 300));
    h.shutdown.abort();
    await done;
    // the stored event, and no end line: the step did not finish
    expect(all.map(text)).toEqual(['1:0:a']);
  });
});
