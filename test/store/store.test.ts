import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunRecord, StepRecord } from '../../src/domain/records.ts';
import { uuidv7 } from '../../src/domain/ids.ts';
import type { Store } from '../../src/engine/ports/store.ts';
import { createTestDb, DIALECTS, type TestDb } from '../helpers/dialects.ts';

function run(id: string, now: number, extra: Partial<RunRecord> = {}): RunRecord {
  return {
    id,
    workflowName: 'wf',
    workflowVersion: 1,
    workspaceId: 'default',
    repositoryId: null,
    definition: {
      name: 'wf',
      inputs: {},
      triggers: [],
      priority: 0,
      env: {},
      outputs: {},
      defaults: {},
      steps: [],
    },
    status: 'running',
    inputs: { a: 1 },
    outputs: null,
    error: null,
    priority: 0,
    concurrencyKey: null,
    concurrencyLimit: null,
    parentRunId: null,
    parentStepId: null,
    parentIndex: null,
    idempotencyKey: null,
    trigger: 'manual',
    dryRun: false,
    baseDir: null,
    loopCounts: {},
    createdBy: null,
    createdAt: now,
    startedAt: now,
    finishedAt: null,
    updatedAt: now,
    ...extra,
  };
}

function step(runId: string, key: string, now: number, extra: Partial<StepRecord> = {}): StepRecord {
  return {
    id: uuidv7(),
    runId,
    stepKey: key,
    kind: 'run',
    position: 0,
    status: 'queued',
    attempt: 0,
    failures: 0,
    reclaims: 0,
    iteration: 0,
    availableAt: now,
    priority: 0,
    leaseOwner: null,
    leaseExpiresAt: null,
    outcome: null,
    outputs: null,
    error: null,
    forced: false,
    spec: { command: 'true', cwd: null, env: {}, dryRun: false, workflowName: 'wf' },
    startedAt: null,
    finishedAt: null,
    updatedAt: now,
    ...extra,
  };
}

describe.each(DIALECTS)('store on %s', (dialect) => {
  let tdb: TestDb;
  let store: Store;
  beforeEach(async () => {
    tdb = await createTestDb(dialect);
    store = await tdb.open();
  });
  afterEach(async () => tdb.cleanup());

  it('round-trips runs and steps with JSON, booleans and times', async () => {
    const now = 1_700_000_000_000;
    await store.insertRun(run('r1', now, { dryRun: true, loopCounts: { 'a->b': 2 } }));
    await store.insertSteps([step('r1', 'a', now, { outputs: { x: 'y' } })]);
    const r = await store.getRun('r1');
    expect(r).toMatchObject({
      id: 'r1',
      dryRun: true,
      inputs: { a: 1 },
      loopCounts: { 'a->b': 2 },
      createdAt: now,
    });
    const [s] = await store.listSteps('r1');
    expect(s).toMatchObject({ stepKey: 'a', outputs: { x: 'y' }, forced: false, availableAt: now });
    expect(s!.spec?.command).toBe('true');
  });

  it('claims by priority, fences writes by lease owner and attempt, and renews leases in one batch', async () => {
    const now = 1_700_000_000_000;
    await store.insertRun(run('r1', now));
    const low = step('r1', 'low', now, { priority: 0 });
    const high = step('r1', 'high', now, { priority: 5 });
    const later = step('r1', 'later', now, { availableAt: now + 10_000 });
    await store.insertSteps([low, high, later]);
    const claimed = await store.transaction((tx) => tx.claimSteps('w1', now, 30_000, 1));
    expect(claimed.map((s) => s.stepKey)).toEqual(['high']);
    expect(claimed[0]).toMatchObject({
      status: 'running',
      leaseOwner: 'w1',
      attempt: 1,
      leaseExpiresAt: now + 30_000,
    });
    const second = await store.transaction((tx) => tx.claimSteps('w2', now, 30_000, 10));
    expect(second.map((s) => s.stepKey)).toEqual(['low']);
    // A fenced write by the wrong owner or attempt matches nothing.
    expect(
      await store.updateStep(
        high.id,
        { status: 'succeeded' },
        { fence: { stepId: high.id, owner: 'w2', attempt: 1 } },
      ),
    ).toBe(false);
    expect(
      await store.updateStep(
        high.id,
        { status: 'succeeded' },
        { fence: { stepId: high.id, owner: 'w1', attempt: 2 } },
      ),
    ).toBe(false);
    const hb = await store.heartbeat('w1', [high.id, low.id], now + 1000, 30_000);
    expect(hb.renewed).toEqual([high.id]);
    expect(hb.cancelled).toEqual([]);
    await store.updateRun('r1', { status: 'cancelled' });
    const hb2 = await store.heartbeat('w1', [high.id], now + 2000, 30_000);
    expect(hb2.cancelled).toEqual([high.id]);
    expect(
      await store.updateStep(
        high.id,
        { status: 'cancelled' },
        { fence: { stepId: high.id, owner: 'w1', attempt: 1 } },
      ),
    ).toBe(true);
  });

  it('does not claim steps of paused runs and skips rows locked by another claimer', async () => {
    const now = 1_700_000_000_000;
    await store.insertRun(run('p', now, { status: 'paused' }));
    await store.insertSteps([step('p', 'a', now)]);
    expect(await store.transaction((tx) => tx.claimSteps('w', now, 1000, 10))).toEqual([]);
  });

  it('appends the events outbox in order and pages it', async () => {
    await store.insertEvents(
      [1, 2, 3].map((i) => ({ runId: 'r', stepId: null, type: `t${i}`, payload: { i } })),
      5,
    );
    const all = await store.listEvents(0, 10);
    expect(all.map((e) => e.type)).toEqual(['t1', 't2', 't3']);
    const after = await store.listEvents(all[0]!.id, 10, 'r');
    expect(after.map((e) => e.payload)).toEqual([{ i: 2 }, { i: 3 }]);
  });

  it('keeps idempotency keys unique and schedules advance once per slot', async () => {
    await store.insertIdempotencyKey('run', 'k', 'r1', 'h', 1);
    await expect(store.insertIdempotencyKey('run', 'k', 'r2', 'h', 1)).rejects.toThrow();
    expect(await store.getIdempotencyKey('run', 'k')).toEqual({ resourceId: 'r1', requestHash: 'h' });
    await store.upsertSchedule({
      id: 's',
      workflowName: 'wf',
      cron: '* * * * *',
      timezone: 'UTC',
      inputs: {},
      nextAt: 100,
      lastSlot: null,
      enabled: true,
      updatedAt: 1,
    });
    expect(await store.advanceSchedule('s', 100, 160, 100)).toBe(true);
    expect(await store.advanceSchedule('s', 100, 160, 100)).toBe(false);
    expect((await store.listDueSchedules(200, 10)).map((s) => s.lastSlot)).toEqual([100]);
  });

  it('stores binary log chunks and reads them back in order', async () => {
    const now = 1;
    await store.insertRun(run('r1', now));
    const s = step('r1', 'a', now);
    await store.insertSteps([s]);
    await store.appendLogs([
      { stepId: s.id, attempt: 1, seq: 0, stream: 'stdout', data: Buffer.from([0, 255, 10]), createdAt: now },
      { stepId: s.id, attempt: 1, seq: 1, stream: 'stderr', data: Buffer.from('héllo'), createdAt: now },
    ]);
    const logs = await store.readLogs(s.id, 1, -1, 10);
    expect(logs.map((l) => [l.seq, l.stream, l.data.toString('hex')])).toEqual([
      [0, 'stdout', '00ff0a'],
      [1, 'stderr', Buffer.from('héllo').toString('hex')],
    ]);
    expect((await store.readLogs(s.id, 1, 0, 10)).length).toBe(1);
  });

  it('rolls back a failed transaction as a unit', async () => {
    await expect(
      store.transaction(async (tx) => {
        await tx.insertRun(run('rb', 1));
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await store.getRun('rb')).toBeUndefined();
    expect(await store.ping()).toBe(true);
  });
});
