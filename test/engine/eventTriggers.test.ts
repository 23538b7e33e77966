import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunRecord } from '../../src/domain/records.ts';
import { formatWorkflowIssue } from '../../src/domain/workflow/formatWorkflowIssue.ts';
import { parseWorkflow } from '../../src/domain/workflow/parseWorkflow.ts';
import { Engine } from '../../src/engine/engine.ts';
import type { Store, StoreTx } from '../../src/engine/ports/store.ts';
import {
  createTriggerDispatcher,
  DISPATCHED_ENGINE_EVENTS,
  dispatchEventsInTx,
  MAX_TRIGGER_DEPTH,
} from '../../src/engine/systems/triggerSystem.ts';
import { loadWorkflowFile } from '../../src/workflows/loadWorkflowFile.ts';
import { createTestDb, DIALECTS, type TestDb } from '../helpers/dialects.ts';
import { createHarness, FAST_CONFIG, TestClock, type Harness } from '../helpers/engineHarness.ts';
import { until } from '../helpers/until.ts';

interface Dispatched {
  event_id: number;
  event_type: string;
  runs: Array<{ run_id: string; workflow: string; trigger: number; created: boolean }>;
  errors: Array<{ workflow: string; trigger: number; code: string; message: string }>;
  skipped: Array<{ workflow: string; trigger: number; reason: string }>;
}

async function runsOf(store: Store, workflow: string): Promise<RunRecord[]> {
  const runs = await store.listRuns({ workflowName: workflow, limit: 500 });
  return runs.sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id));
}

async function dispatchRecords(store: Store): Promise<Dispatched[]> {
  const rows = await store.listEventsFiltered({ afterId: 0, type: 'event.dispatched', limit: 10_000 });
  return rows.map((e) => e.payload as unknown as Dispatched);
}

async function register(engine: Engine, yaml: string): Promise<void> {
  const r = parseWorkflow(yaml, { file: 'test.yaml' });
  if (!r.ok) throw new Error(r.errors.map(formatWorkflowIssue).join('\n'));
  await engine.registerWorkflow(r.workflow, { source: yaml, origin: 'api' });
}

/** An engine that is not started (no sweeper, no runner): dispatch happens only when the test says. */
function quietEngine(store: Store): Engine {
  return new Engine({ store, clock: new TestClock(), config: FAST_CONFIG });
}

const ON_PR = `
name: on-pr
inputs:
  number: { type: number, required: true }
  title: { type: string, default: "" }
  draft: { type: boolean, default: false }
triggers:
  - manual
  - event:
      type: pr.created
      if: "!(has(event.payload.draft) && event.payload.draft)"
      inputs:
        number: "{{ event.payload.number }}"
        title: "PR {{ event.payload.number }}: {{ event.payload.title }}"
steps:
  - id: s
    approval: { message: "review {{ inputs.number }}" }
`;

const ANY_PR = `
name: any-pr
inputs:
  kind: { type: string, required: true }
triggers:
  - event: { type: "pr.*", inputs: { kind: "{{ event.type }}" } }
  - event: { type: pr.closed, inputs: { kind: exact } }
steps:
  - id: s
    approval: { message: "{{ inputs.kind }}" }
`;

describe.each(DIALECTS)('event triggers on %s', (dialect) => {
  describe('dispatch by hand', () => {
    let db: TestDb;
    let store: Store;
    let engine: Engine;
    beforeEach(async () => {
      db = await createTestDb(dialect);
      store = await db.open();
      engine = quietEngine(store);
    });
    afterEach(async () => db.cleanup());

    it('matches exact types and prefix globs, filters with if, renders and coerces inputs', async () => {
      await register(engine, ON_PR);
      await register(engine, ANY_PR);
      const now = Date.now();
      const e1 = await store.insertExternalEvent(
        { type: 'pr.created', payload: { number: '7', title: 'Fix it' } },
        now,
      );
      const e2 = await store.insertExternalEvent(
        { type: 'pr.created', payload: { number: 8, draft: true } },
        now,
      );
      const e3 = await store.insertExternalEvent({ type: 'pr.closed', payload: { number: 9 } }, now);
      const e4 = await store.insertExternalEvent({ type: 'issue.opened', payload: {} }, now);
      // an event of another workspace does not reach these workflows (of the default one)
      const e5 = await store.insertExternalEvent(
        { type: 'pr.created', payload: { number: 10, title: 'x' }, workspaceId: 'elsewhere' },
        now,
      );
      await engine.dispatchEvents();

      const onPr = await runsOf(store, 'on-pr');
      expect(onPr).toHaveLength(1);
      expect(onPr[0]).toMatchObject({
        trigger: 'event',
        createdBy: `event:${e1.id}`,
        inputs: { number: 7, title: 'PR 7: Fix it', draft: false },
        idempotencyKey: `event:${e1.id}:on-pr#1`,
      });
      const anyPr = await runsOf(store, 'any-pr');
      // pr.created twice and pr.closed by the glob, pr.closed once more by the exact trigger
      expect(anyPr.map((r) => [r.createdBy, r.inputs.kind]).sort()).toEqual(
        [
          [`event:${e1.id}`, 'pr.created'],
          [`event:${e2.id}`, 'pr.created'],
          [`event:${e3.id}`, 'pr.closed'],
          [`event:${e3.id}`, 'exact'],
        ].sort(),
      );
      const records = await dispatchRecords(store);
      expect(records.map((r) => r.event_id).sort()).toEqual([e1.id, e2.id, e3.id].sort());
      const first = records.find((r) => r.event_id === e1.id)!;
      // workflows in name order, then triggers in file order
      expect(first.runs.map((r) => [r.workflow, r.trigger, r.created])).toEqual([
        ['any-pr', 0, true],
        ['on-pr', 1, true],
      ]);
      // consumed events are processed; one no trigger fired for stays pending for outside consumers
      const pending = await store.listEventsFiltered({ afterId: 0, pendingOnly: true, limit: 100 });
      expect(pending.map((e) => e.id)).toEqual([e4.id, e5.id]);
      expect(await store.hasUndispatchedEvents()).toBe(false);
    });

    it('records a trigger that cannot start its run, dispatches the event anyway and goes on', async () => {
      await register(
        engine,
        `
name: typed
inputs:
  n: { type: number, required: true }
triggers:
  - event: { type: job.done, inputs: { n: "{{ event.payload.n }}" } }
  - event: { type: job.done, if: "event.payload.missing.deep == 1", inputs: { n: 1 } }
steps:
  - id: s
    approval: {}
`,
      );
      const bad = await store.insertExternalEvent({ type: 'job.done', payload: { n: 'lots' } }, Date.now());
      const good = await store.insertExternalEvent(
        { type: 'job.done', payload: { n: 3, missing: { deep: 2 } } },
        Date.now(),
      );
      await engine.dispatchEvents();

      const runs = await runsOf(store, 'typed');
      expect(runs.map((r) => [r.createdBy, r.inputs])).toEqual([[`event:${good.id}`, { n: 3 }]]);
      const records = await dispatchRecords(store);
      const forBad = records.find((r) => r.event_id === bad.id)!;
      expect(forBad.runs).toEqual([]);
      expect(forBad.errors).toEqual([
        expect.objectContaining({ workflow: 'typed', trigger: 0, code: 'invalid_input' }),
        expect.objectContaining({ workflow: 'typed', trigger: 1, code: 'invalid_expression' }),
      ]);
      expect(forBad.errors[0]!.message).toContain('input "n": expected a number, got "lots"');
      const forGood = records.find((r) => r.event_id === good.id)!;
      expect(forGood.runs.map((r) => r.trigger)).toEqual([0]);
      expect(forGood.errors).toEqual([]);
      // both were consumed by a trigger (even the failing one): processed, and nothing is left to dispatch
      expect((await store.getEvent(bad.id))?.processedAt).not.toBeNull();
      expect(await store.hasUndispatchedEvents()).toBe(false);
    });

    it('never starts a run twice when an event is dispatched again (a crash before the mark)', async () => {
      await register(engine, ON_PR);
      const e = await store.insertExternalEvent(
        { type: 'pr.created', payload: { number: 5, title: 'T' } },
        Date.now(),
      );
      // the runs commit but the mark is lost, as if the process died between the two
      await store.transaction(async (tx) => {
        const forgetful: StoreTx = { ...tx, markEventsDispatched: async (ids) => ids.length };
        const outcomes = await dispatchEventsInTx(engine.deps, forgetful, 10);
        expect(outcomes[0]?.errors).toEqual([]);
        expect(outcomes[0]?.runs.map((r) => r.created)).toEqual([true]);
      });
      expect(await store.hasUndispatchedEvents()).toBe(true);
      await engine.dispatchEvents();
      expect(await store.hasUndispatchedEvents()).toBe(false);
      const runs = await runsOf(store, 'on-pr');
      expect(runs).toHaveLength(1);
      const records = await dispatchRecords(store);
      expect(records.map((r) => r.runs.map((x) => [x.run_id, x.created]))).toEqual([
        [[runs[0]!.id, true]],
        [[runs[0]!.id, false]],
      ]);
      expect(records.every((r) => r.event_id === e.id)).toBe(true);
    });

    it('records an event that keeps failing to dispatch and moves past it', async () => {
      await register(engine, ON_PR);
      const at = Date.now();
      const [a, poison, b] = [
        await store.insertExternalEvent({ type: 'pr.created', payload: { number: 1, title: 'a' } }, at),
        await store.insertExternalEvent({ type: 'pr.created', payload: { number: 2, title: 'p' } }, at),
        await store.insertExternalEvent({ type: 'pr.created', payload: { number: 3, title: 'b' } }, at),
      ];
      // a store whose run insert breaks for one event (a bug, a constraint): every attempt fails
      const broken: Store = {
        ...store,
        transaction: (fn, signal) =>
          store.transaction(
            (tx) =>
              fn({
                ...tx,
                insertRun: async (run) => {
                  if (run.createdBy === `event:${poison.id}`) throw new Error('insert failed');
                  await tx.insertRun(run);
                },
              }),
            signal,
          ),
      };
      const dispatcher = createTriggerDispatcher({ ...engine.deps, store: broken }, { maxFailures: 3 });
      // the batch fails; one at a time, the first event goes through and the second fails (twice)
      await expect(dispatcher.dispatch()).rejects.toThrow('insert failed');
      expect(await runsOf(store, 'on-pr')).toHaveLength(1);
      await expect(dispatcher.dispatch()).rejects.toThrow('insert failed');
      expect(await dispatcher.dispatch()).toBe(2); // third failure: recorded and passed, then the last one
      const runs = await runsOf(store, 'on-pr');
      expect(runs.map((r) => r.createdBy)).toEqual([`event:${a.id}`, `event:${b.id}`]);
      const record = (await dispatchRecords(store)).find((r) => r.event_id === poison.id);
      expect(record?.errors).toEqual([
        expect.objectContaining({ code: 'internal', message: 'insert failed' }),
      ]);
      expect(await store.hasUndispatchedEvents()).toBe(false);
    });

    it('two processes racing over 50 events dispatch every event exactly once', async () => {
      await register(
        engine,
        `
name: per-job
inputs: { n: { type: number, required: true } }
triggers:
  - event: { type: "job.*", inputs: { n: "{{ event.payload.n }}" } }
steps:
  - id: s
    approval: {}
`,
      );
      // PostgreSQL: two connection pools, as two processes would have. SQLite: better-sqlite3 blocks
      // the thread while it waits for the file lock, so one process cannot hold two writers; its
      // dispatchers share a connection (cross-process exclusion is BEGIN IMMEDIATE's job)
      const other = dialect === 'postgres' ? await db.open() : store;
      const engines = [engine, quietEngine(other)];
      const ids: number[] = [];
      for (let n = 0; n < 50; n++)
        ids.push((await store.insertExternalEvent({ type: 'job.queued', payload: { n } }, Date.now())).id);
      // two dispatchers per process, small batches: they interleave and contend for the same rows
      const racers = engines.flatMap((en) =>
        [1, 2].map(() => createTriggerDispatcher(en.deps, { batch: 3 })),
      );
      const counts = await Promise.all(
        racers.map(async (d) => {
          let total = 0;
          for (let i = 0, n = 1; i < 100 && n > 0; i++) total += n = await d.dispatch();
          return total;
        }),
      );
      expect(counts.reduce((a, b) => a + b, 0)).toBe(50);
      expect(counts.filter((n) => n > 0).length).toBeGreaterThan(1);
      expect(await store.hasUndispatchedEvents()).toBe(false);
      const runs = await runsOf(store, 'per-job');
      expect(runs.map((r) => r.createdBy).sort()).toEqual(ids.map((id) => `event:${id}`).sort());
      expect(runs.map((r) => r.inputs.n).sort((a, b) => Number(a) - Number(b))).toEqual(
        Array.from({ length: 50 }, (_, n) => n),
      );
      const records = await dispatchRecords(store);
      expect(records.map((r) => r.event_id).sort((a, b) => a - b)).toEqual(ids);
      expect(records.every((r) => r.runs.length === 1 && r.runs[0]!.created)).toBe(true);
    });
  });
});

describe.each(DIALECTS)('event triggers with a runner on %s', (dialect) => {
  let h: Harness;
  beforeEach(async () => {
    h = await createHarness(dialect);
  });
  afterEach(async () => h.close());

  it('chains runs: run.succeeded of one workflow starts another with its inputs', async () => {
    await h.register(`
name: build
inputs: { version: { type: string, required: true }, fail: { type: boolean, default: false } }
steps:
  - id: compile
    run: test "{{ inputs.fail }}" = false && echo "built {{ inputs.version }}"
`);
    await h.register(`
name: deploy
inputs:
  version: { type: string, required: true }
  from: { type: string, required: true }
triggers:
  - event:
      type: run.succeeded
      if: event.payload.workflow == "build"
      inputs: { version: "{{ event.payload.inputs.version }}", from: "{{ event.payload.run_id }}" }
steps:
  - id: ship
    run: echo "shipping {{ inputs.version }}"
`);
    await h.register(`
name: watch-builds
inputs: { seen: { type: string, required: true } }
triggers:
  - event: { type: "run.*", if: 'event.payload.workflow == "build"', inputs: { seen: "{{ event.type }}" } }
steps:
  - id: s
    run: "true"
`);
    const failed = await h.finish((await h.start('build', { version: '0.9', fail: true })).id);
    expect(failed.run.status).toBe('failed');
    const built = await h.finish((await h.start('build', { version: '1.2.3' })).id);
    expect(built.run.status).toBe('succeeded');
    const [deploy] = await until(
      () => runsOf(h.store, 'deploy'),
      (runs) => runs.length > 0,
    );
    expect(deploy!.inputs).toEqual({ version: '1.2.3', from: built.run.id });
    expect(deploy!.trigger).toBe('event');
    const done = await h.finish(deploy!.id);
    expect(done.run.status).toBe('succeeded');
    expect(await h.logs(deploy!.id, 'ship')).toContain('shipping 1.2.3');
    // the run's end started it: depth 1; the failed build started nothing
    expect((await h.store.getTriggerSource(deploy!.id))?.triggerDepth).toBe(1);
    const source = await h.store.getEvent(Number(deploy!.createdBy!.replace('event:', '')));
    expect(source).toMatchObject({ type: 'run.succeeded', runId: built.run.id });
    await h.engine.dispatchEvents();
    expect(await runsOf(h.store, 'deploy')).toHaveLength(1);
    // of Baton's own events, only the ends of runs are dispatched (not run.created, run.started…)
    const watched = await runsOf(h.store, 'watch-builds');
    expect(watched.map((r) => r.inputs.seen)).toEqual(['run.failed', 'run.succeeded']);
    expect(DISPATCHED_ENGINE_EVENTS).toEqual(expect.arrayContaining(['run.failed', 'run.succeeded']));
  });

  it('does not let a workflow trigger itself unless allowed, and caps a trigger chain', async () => {
    await h.register(`
name: echo-chamber
triggers:
  - manual
  - event: { type: run.succeeded, if: 'event.payload.workflow == "echo-chamber"' }
steps:
  - id: s
    run: echo hi
`);
    const first = await h.finish((await h.start('echo-chamber')).id);
    expect(first.run.status).toBe('succeeded');
    const skipped = await until(
      () => dispatchRecords(h.store),
      (records) => records.length > 0,
    );
    expect(skipped).toEqual([
      expect.objectContaining({
        runs: [],
        errors: [],
        skipped: [{ workflow: 'echo-chamber', trigger: 1, reason: 'self' }],
      }),
    ]);

    await h.register(`
name: again
triggers:
  - manual
  - event: { type: run.succeeded, if: 'event.payload.workflow == "again"', allow_self: true }
steps:
  - id: s
    run: "true"
`);
    await h.start('again');
    // the manual run, then one run per hop until the chain reaches the limit
    const limited = await until(
      () => dispatchRecords(h.store),
      (records) => records.some((r) => r.errors.length > 0),
      60_000,
    );
    const runs = await runsOf(h.store, 'again');
    expect(runs).toHaveLength(1 + MAX_TRIGGER_DEPTH);
    expect(limited.find((r) => r.errors.length > 0)?.errors).toEqual([
      expect.objectContaining({ workflow: 'again', trigger: 1, code: 'trigger_depth_exceeded' }),
    ]);
    const depths = await Promise.all(
      runs.map(async (r) => (await h.store.getTriggerSource(r.id))?.triggerDepth),
    );
    expect(depths).toEqual(Array.from({ length: 1 + MAX_TRIGGER_DEPTH }, (_, i) => i));
    expect(await runsOf(h.store, 'echo-chamber')).toHaveLength(1);
  });
});

describe('baton validate', () => {
  it('names the file, line and column of a bad event trigger', async () => {
    const db = await createTestDb('sqlite');
    try {
      const file = join(db.dir, 'bad.yaml');
      writeFileSync(
        file,
        `name: bad
inputs:
  number: { type: number, required: true }
triggers:
  - event:
      type: "pr.*.x"
  - event:
      type: pr.created
      if: event.payload.number > &&
      inputs: { number: "{{ inputs.number }}", nmber: 1 }
  - event: { type: pr.merged, if: "evnt.type == 'x'" }
steps:
  - id: s
    run: echo
`,
      );
      const r = loadWorkflowFile(file);
      expect(r.ok).toBe(false);
      const lines = r.ok ? [] : r.errors.map((e) => formatWorkflowIssue({ ...e, file: 'bad.yaml' }));
      expect(lines).toEqual([
        'bad.yaml:6:13: triggers[0].event.type: invalid event type pattern "pr.*.x": "*" may only be a last segment ("pr.*") or the whole pattern',
      ]);
      // once the schema holds, the expressions and inputs are checked, each at its place
      writeFileSync(
        file,
        readFileSync(file, 'utf8').replace('"pr.*.x"', 'pr.opened\n      inputs: { number: 1 }'),
      );
      const again = loadWorkflowFile(file);
      const more = again.ok ? [] : again.errors.map((e) => formatWorkflowIssue({ ...e, file: 'bad.yaml' }));
      expect(more).toEqual([
        expect.stringMatching(
          /^bad\.yaml:10:11: triggers\[1\]\.event\.if: invalid expression "event\.payload\.number > &&"/,
        ),
        'bad.yaml:11:25: triggers[1].event.inputs.number: unknown variable "inputs" in "inputs.number" (available: event)',
        'bad.yaml:11:55: triggers[1].event.inputs.nmber: unknown input "nmber"; did you mean "number"?',
        'bad.yaml:12:12: triggers[2].event.inputs: input "number" is required',
        'bad.yaml:12:35: triggers[2].event.if: unknown variable "evnt" in "evnt.type == \'x\'"; did you mean "event"?',
      ]);
    } finally {
      await db.cleanup();
    }
  });
});
