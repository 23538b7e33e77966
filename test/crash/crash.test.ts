import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseWorkflow } from '../../src/domain/workflow/parseWorkflow.ts';
import { Engine } from '../../src/engine/engine.ts';
import type { FaultPoint } from '../../src/engine/engineDeps.ts';
import type { Store } from '../../src/engine/ports/store.ts';
import { isProcessAlive } from '../../src/runners/local/procStartTime.ts';
import { createTestDb, DIALECTS, type TestDb } from '../helpers/dialects.ts';
import { spawnWorker, type WorkerProc } from '../helpers/spawnWorker.ts';

const WORKFLOW = `
name: crashy
steps:
  - id: s1
    run: echo "s1 $BATON_ATTEMPT start" >> trace; echo $$ >> pids; sleep 30 & echo $! >> pids; sleep 1; echo "s1 end" >> trace
  - id: s2
    needs: s1
    run: echo "s2 $BATON_ATTEMPT" >> trace
  - id: s3
    needs: s2
    run: echo "s3 $BATON_ATTEMPT" >> trace
`;

async function until<T>(fn: () => Promise<T | undefined>, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe.each(DIALECTS)('crash recovery on %s', (dialect) => {
  let tdb: TestDb;
  let store: Store;
  let work: string;
  const workers: WorkerProc[] = [];

  afterEach(async () => {
    for (const w of workers.splice(0)) await w.stop();
    // no child process of any step survives
    if (existsSync(join(work, 'pids'))) {
      const pids = readFileSync(join(work, 'pids'), 'utf8').trim().split('\n').map(Number);
      for (const pid of pids) expect(isProcessAlive(pid), `pid ${pid} survived`).toBe(false);
    }
    await tdb.cleanup();
    rmSync(work, { recursive: true, force: true });
  });

  async function setup(): Promise<{ engine: Engine; env: Record<string, string> }> {
    tdb = await createTestDb(dialect);
    store = await tdb.open();
    work = mkdtempSync(join(tmpdir(), 'baton-crash-'));
    const engine = new Engine({ store });
    const parsed = parseWorkflow(WORKFLOW);
    if (!parsed.ok) throw new Error('bad workflow');
    await engine.registerWorkflow(parsed.workflow, { source: WORKFLOW, origin: 'api', baseDir: work });
    return { engine, env: { BATON_TEST_STORE: JSON.stringify(tdb.storeOptions), BATON_TEST_WORK: work } };
  }

  it.each<FaultPoint>([
    'worker.afterClaim',
    'worker.midStep',
    'worker.beforeResultCommit',
    'worker.afterResultCommit',
  ])(
    'a runner SIGKILLed at %s: the step is reclaimed after lease expiry and the run finishes exactly once',
    async (fault) => {
      const { engine, env } = await setup();
      const { run } = await engine.createRun({ workflow: 'crashy' });
      const victim = spawnWorker({ ...env, BATON_FAULT: fault });
      workers.push(victim);
      const died = await victim.exited;
      expect(died.signal).toBe('SIGKILL');
      const survivor = spawnWorker(env);
      workers.push(survivor);
      await survivor.owner;
      const done = await until(
        async () => {
          const d = await engine.getRun(run.id);
          return ['succeeded', 'failed', 'cancelled'].includes(d.run.status) ? d : undefined;
        },
        30_000,
        'the run to finish',
      );
      expect(done.run.status).toBe('succeeded');

      // every step's result recorded once
      for (const key of ['s1', 's2', 's3']) {
        const step = done.steps.find((s) => s.stepKey === key)!;
        const attempts = done.attempts.filter((a) => a.stepId === step.id);
        expect(
          attempts.filter((a) => a.status === 'succeeded'),
          key,
        ).toHaveLength(1);
        expect(
          attempts.every((a) => a.status === 'succeeded' || a.status === 'lease_expired'),
          key,
        ).toBe(true);
      }
      const events = await engine.listEvents(0, 1000, run.id);
      const ids = events.map((e) => e.id);
      expect(new Set(ids).size).toBe(ids.length);
      expect([...ids].sort((a, b) => a - b)).toEqual(ids);
      for (const key of ['s1', 's2', 's3']) {
        expect(
          events.filter((e) => e.type === 'step.succeeded' && e.payload.step === key),
          key,
        ).toHaveLength(1);
      }
      expect(events.filter((e) => e.type === 'run.succeeded')).toHaveLength(1);
      const s1 = done.steps.find((s) => s.stepKey === 's1')!;
      if (fault !== 'worker.afterResultCommit') {
        // the victim held s1 when it died: the survivor reclaimed it as a new attempt
        expect(s1.attempt).toBe(2);
        expect(s1.reclaims).toBe(1);
        expect(events.some((e) => e.type === 'step.reclaimed')).toBe(true);
      }
      const trace = readFileSync(join(work, 'trace'), 'utf8');
      expect(trace.match(/^s3 /gm)).toHaveLength(1);
    },
  );

  if (dialect === 'postgres') {
    it('several orchestrator processes on one database claim disjoint work', async () => {
      const { engine, env } = await setup();
      const simple = `
name: unit
inputs: { i: { type: number, required: true } }
steps:
  - id: s
    run: echo "$BATON_STEP_ID" >> executed; sleep 0.05
`;
      const parsed = parseWorkflow(simple);
      if (!parsed.ok) throw new Error('bad');
      await engine.registerWorkflow(parsed.workflow, { source: simple, origin: 'api', baseDir: work });
      const procs = [0, 1, 2].map(() => spawnWorker({ ...env, BATON_TEST_CONCURRENCY: '3' }));
      workers.push(...procs);
      await Promise.all(procs.map((p) => p.owner));
      const runs = [];
      for (let i = 0; i < 45; i++)
        runs.push((await engine.createRun({ workflow: 'unit', inputs: { i } })).run.id);
      await until(
        async () => {
          const rs = await engine.listRuns({ workflowName: 'unit', limit: 100 });
          return rs.every((r) => r.status === 'succeeded') ? true : undefined;
        },
        60_000,
        'all runs',
      );
      const executed = readFileSync(join(work, 'executed'), 'utf8').trim().split('\n');
      expect(executed).toHaveLength(45);
      expect(new Set(executed).size).toBe(45);
      const owners = new Set<string>();
      for (const id of runs) for (const a of (await engine.getRun(id)).attempts) owners.add(a.owner ?? '');
      expect(owners.size).toBeGreaterThanOrEqual(2);
    });
  }
});
