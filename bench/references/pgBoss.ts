/**
 * pg-boss 10 reference: no-op jobs on its own PostgreSQL database.
 *
 * How pg-boss 10 runs jobs (node_modules/pg-boss/src/worker.js, manager.js): each `work()` call adds
 * one polling worker; a worker fetches up to `batchSize` jobs (default 1), runs the handler, and
 * then waits until `pollingIntervalSeconds` has passed since the fetch started before fetching again —
 * also when it did find jobs. v10 removed v9's teamSize/teamConcurrency; the maintainer's advice is
 * to call work() several times or to use batchSize and run the batch concurrently. Completion is
 * written asynchronously after the handler returns.
 *
 * Settings used here (all else default):
 * - concurrency 1: one work() worker, batchSize 1;
 * - concurrency 10: ten work() workers on the queue, batchSize 1 each;
 * - pollingIntervalSeconds 0.5, the minimum pg-boss accepts (default 2);
 * - throughput = pre-enqueue N jobs with insert(), start the worker(s), stop the clock when the
 *   database shows all N in state 'completed';
 * - latency = on the idle single worker, send() one job after a random pause in [0, interval) and
 *   record the time at handler start; sequential. pg-boss 10 does not use LISTEN/NOTIFY, so the
 *   latency is dominated by the polling interval (expect ≈ interval/2 median).
 */
import PgBoss from 'pg-boss';
import { createTempPgDatabase } from '../lib/pg.ts';
import { silentProgress, type Progress } from '../lib/progress.ts';
import {
  deferred,
  jitter,
  nowMs,
  sleep,
  summarize,
  throwIfAborted,
  waitUntil,
  withTimeout,
  type Deferred,
  type LatencySummary,
} from '../lib/stats.ts';

export interface PgBossResult {
  throughputC1: number;
  throughputC10: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  latency: LatencySummary;
  jobsC1: number;
  jobsC10: number;
  pollingIntervalSeconds: number;
  /** One line describing the settings, for the report. */
  settings: string;
}

interface JobData {
  seq: number;
}

const SCHEMA = 'pgboss';

export async function benchPgBoss(opts: {
  pgUrl: string;
  /** Jobs for the concurrency-10 throughput run. */
  jobs: number;
  /** Jobs for the concurrency-1 run (default max(5, jobs/10): one worker does ≤ batchSize/interval jobs/s). */
  jobsC1?: number;
  /** Sequential enqueue-to-start samples (default 200). */
  latencySamples?: number;
  /** Worker polling interval (default 0.5 s, the minimum). */
  pollingIntervalSeconds?: number;
  /** Give up on a throughput run after this long (default 120 s). */
  maxSeconds?: number;
  signal?: AbortSignal;
  progress?: Progress;
}): Promise<PgBossResult> {
  const progress = opts.progress ?? silentProgress;
  const interval = opts.pollingIntervalSeconds ?? 0.5;
  const jobsC1 = opts.jobsC1 ?? Math.max(5, Math.ceil(opts.jobs / 10));
  const samples = opts.latencySamples ?? 200;
  const timeoutMs = (opts.maxSeconds ?? 120) * 1000;
  const signal = opts.signal;

  const db = await createTempPgDatabase('pgboss', opts.pgUrl);
  const boss = new PgBoss({
    connectionString: db.url,
    schema: SCHEMA,
    application_name: 'baton-bench-pgboss',
  });
  const errors: Error[] = [];
  boss.on('error', (error) => errors.push(error));
  let started = false;
  try {
    await boss.start();
    started = true;

    let handled = 0;
    const waiters = new Map<number, Deferred<number>>();
    const handler = async (jobs: PgBoss.Job<JobData>[]): Promise<void> => {
      const t = nowMs();
      for (const job of jobs) {
        handled++;
        waiters.get(job.data.seq)?.resolve(t);
      }
    };

    const completed = async (queue: string): Promise<number> => {
      const res = await boss
        .getDb()
        .executeSql(`SELECT count(*)::int AS n FROM ${SCHEMA}.job WHERE name = $1 AND state = 'completed'`, [
          queue,
        ]);
      return (res.rows[0] as { n: number }).n;
    };

    const throughput = async (queue: string, workers: number, n: number): Promise<number> => {
      await boss.createQueue(queue);
      await boss.insert(Array.from({ length: n }, (_, seq) => ({ name: queue, data: { seq: -1 - seq } })));
      handled = 0;
      const start = nowMs();
      for (let i = 0; i < workers; i++) {
        await boss.work<JobData>(queue, { batchSize: 1, pollingIntervalSeconds: interval }, handler);
      }
      await waitUntil(() => handled >= n, {
        what: `pg-boss handlers (${handled}/${n})`,
        timeoutMs,
        intervalMs: 20,
        ...(signal ? { signal } : {}),
      });
      progress.update(`${queue}: ${n} handled, waiting for completion`);
      await waitUntil(async () => (await completed(queue)) >= n, {
        what: 'pg-boss completions',
        timeoutMs,
        intervalMs: 5,
        ...(signal ? { signal } : {}),
      });
      return (n / (nowMs() - start)) * 1000;
    };

    // Concurrency 1, then latency on the same (now idle) worker.
    progress.update(`concurrency 1: ${jobsC1} jobs at ≤ ${1 / interval} jobs/s`);
    const throughputC1 = await throughput('bench-c1', 1, jobsC1);

    const latencies: number[] = [];
    const warmup = 3;
    for (let i = 0; i < samples + warmup; i++) {
      throwIfAborted(signal);
      await sleep(jitter(interval * 1000), signal);
      const seq = i + 1;
      const started = deferred<number>();
      waiters.set(seq, started);
      const t0 = nowMs();
      await boss.send('bench-c1', { seq });
      const t1 = await withTimeout(started.promise, 30_000, `pg-boss job ${seq} to start`);
      waiters.delete(seq);
      if (i >= warmup) latencies.push(t1 - t0);
      if (i % 5 === 0) progress.update(`latency ${Math.max(0, i - warmup)}/${samples}`);
    }
    await boss.offWork('bench-c1');

    progress.update(`concurrency 10: ${opts.jobs} jobs`);
    const throughputC10 = await throughput('bench-c10', 10, opts.jobs);
    await boss.offWork('bench-c10');

    if (errors.length > 0)
      throw new Error(`pg-boss reported ${errors.length} error(s): ${errors[0]?.message}`);
    const latency = summarize(latencies);
    return {
      throughputC1,
      throughputC10,
      latencyP50Ms: latency.p50,
      latencyP99Ms: latency.p99,
      latency,
      jobsC1,
      jobsC10: opts.jobs,
      pollingIntervalSeconds: interval,
      settings: `work() batchSize 1, pollingIntervalSeconds ${interval} (min; default 2); c10 = 10 work() workers; no LISTEN/NOTIFY`,
    };
  } finally {
    if (started) await boss.stop({ graceful: false, close: true, wait: true }).catch(() => undefined);
    await db.drop();
  }
}
