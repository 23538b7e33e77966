/**
 * DBOS Transact reference: a durable workflow of three no-op steps, with its system database in its
 * own PostgreSQL database (`systemDatabaseUrl`; DBOS creates its `dbos` schema there on launch).
 *
 * DBOS runs workflows in the calling process; every workflow start, step result and completion is
 * checkpointed in PostgreSQL. Settings: defaults (system pool size 10) except logLevel "error".
 * - sequential: `await workflow(i)` N times;
 * - concurrent: 10 lanes each awaiting workflows back to back (N in total);
 * - start latency: `DBOS.startWorkflow(workflow)(i)` on an idle executor, time from the call to the
 *   first line of the workflow body (the start is durable first), p50/p99, sequential. This is a
 *   direct in-process start, not a DBOS queue (queues poll, and are not measured here).
 *
 * DBOS is a process-wide singleton: this function launches it and shuts it down (deregistering its
 * functions), so it can be called again, but not concurrently with other DBOS use.
 */
import { DBOS } from '@dbos-inc/dbos-sdk';
import { createTempPgDatabase } from '../lib/pg.ts';
import { silentProgress, type Progress } from '../lib/progress.ts';
import {
  jitter,
  measureRate,
  nowMs,
  sleep,
  summarize,
  throwIfAborted,
  type LatencySummary,
} from '../lib/stats.ts';

export interface DbosResult {
  workflowsPerSecSequential: number;
  workflowsPerSecC10: number;
  startLatencyP50Ms: number;
  startLatencyP99Ms: number;
  startLatency: LatencySummary;
  launchMs: number;
  settings: string;
}

export async function benchDbos(opts: {
  pgUrl: string;
  /** Workflows per throughput run. */
  workflows: number;
  /** Sequential start-latency samples (default 200; 0 skips). */
  latencySamples?: number;
  /** Cap per throughput run (default 120 s). */
  maxSeconds?: number;
  signal?: AbortSignal;
  progress?: Progress;
}): Promise<DbosResult> {
  const progress = opts.progress ?? silentProgress;
  const samples = opts.latencySamples ?? 200;
  const maxMs = (opts.maxSeconds ?? 120) * 1000;
  const signal = opts.signal;

  const db = await createTempPgDatabase('dbos', opts.pgUrl);
  try {
    const bodyStarts = new Map<number, number>();
    const stepOne = DBOS.registerStep(async () => 1, { name: 'benchStepOne' });
    const stepTwo = DBOS.registerStep(async () => 2, { name: 'benchStepTwo' });
    const stepThree = DBOS.registerStep(async () => 3, { name: 'benchStepThree' });
    const threeSteps = DBOS.registerWorkflow(
      async (seq: number): Promise<number> => {
        if (seq >= 0) bodyStarts.set(seq, nowMs());
        await stepOne();
        await stepTwo();
        await stepThree();
        return seq;
      },
      { name: 'benchThreeSteps' },
    );

    DBOS.setConfig({ name: 'baton-bench', systemDatabaseUrl: db.url, logLevel: 'error' });
    const launchStart = nowMs();
    await DBOS.launch();
    const launchMs = nowMs() - launchStart;

    for (let i = 0; i < 5; i++) await threeSteps(-1); // warm-up

    const run = async (label: string, concurrency: number) => {
      progress.update(label);
      const result = await measureRate({
        iterations: opts.workflows,
        concurrency,
        maxMs,
        op: async () => {
          await threeSteps(-1);
        },
        ...(signal ? { signal } : {}),
        onProgress: (done) => progress.update(`${label} ${done}/${opts.workflows}`),
      });
      return result.rate;
    };
    const sequential = await run('sequential', 1);
    const c10 = await run('10 concurrent', 10);

    const latencies: number[] = [];
    for (let i = 0; i < samples; i++) {
      throwIfAborted(signal);
      await sleep(jitter(20), signal);
      const t0 = nowMs();
      const handle = await DBOS.startWorkflow(threeSteps)(i);
      await handle.getResult();
      const t1 = bodyStarts.get(i);
      if (t1 === undefined) throw new Error(`DBOS workflow ${i} finished without recording its start`);
      bodyStarts.delete(i);
      latencies.push(t1 - t0);
      if (i % 10 === 0) progress.update(`start latency ${i}/${samples}`);
    }

    const startLatency = summarize(latencies);
    return {
      workflowsPerSecSequential: sequential,
      workflowsPerSecC10: c10,
      startLatencyP50Ms: startLatency.p50,
      startLatencyP99Ms: startLatency.p99,
      startLatency,
      launchMs,
      settings: 'defaults (system DB pool 10), logLevel error; in-process workflows (no DBOS queue)',
    };
  } finally {
    // Also after a failed launch: deregisters the functions so a later call can register them again.
    await DBOS.shutdown({ deregister: true }).catch(() => undefined);
    await db.drop();
  }
}
