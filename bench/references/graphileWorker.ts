/**
 * graphile-worker reference: no-op jobs on its own PostgreSQL database, with its default settings
 * (pollInterval 2000 ms, prepared statements on, LISTEN/NOTIFY to wake idle workers) except the
 * `concurrency` under test (default 1) and a silent logger.
 *
 * - throughput: pre-enqueue N jobs (WorkerUtils.addJobs, one statement), then start a runner with
 *   `run({ concurrency })` and stop the clock when the jobs table is empty (graphile-worker deletes
 *   completed jobs). The runner's start-up (schema check, LISTEN) is inside the measurement.
 * - pools: each runner and the WorkerUtils get a pg.Pool of 10 (graphile-worker's default size) that
 *   this module creates and awaits the end of: graphile-worker's own releaser ends a pool it made
 *   without awaiting it, which races with dropping the database afterwards.
 * - latency: on the idle concurrency-1 runner, addJob() one job after a random pause in [0, 20) ms and
 *   record the time at handler start (NOTIFY wakes the worker); sequential.
 */
import { Logger, makeWorkerUtils, run, type Runner, type Task, type WorkerUtils } from 'graphile-worker';
import pg from 'pg';
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

export interface GraphileWorkerResult {
  throughputC1: number;
  throughputC10: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  latency: LatencySummary;
  settings: string;
}

const silentLogger = new Logger(() => () => undefined);

export async function benchGraphileWorker(opts: {
  pgUrl: string;
  /** Jobs per throughput run (both concurrencies). */
  jobs: number;
  /** Sequential enqueue-to-start samples (default 200). */
  latencySamples?: number;
  /** Give up on a run after this long (default 120 s). */
  maxSeconds?: number;
  signal?: AbortSignal;
  progress?: Progress;
}): Promise<GraphileWorkerResult> {
  const progress = opts.progress ?? silentProgress;
  const samples = opts.latencySamples ?? 200;
  const timeoutMs = (opts.maxSeconds ?? 120) * 1000;
  const signal = opts.signal;

  const db = await createTempPgDatabase('graphile', opts.pgUrl);
  let utils: WorkerUtils | undefined;
  const runners: Runner[] = [];
  const pools: pg.Pool[] = [];
  const newPool = (): pg.Pool => {
    const pool = new pg.Pool({ connectionString: db.url, max: 10 });
    pool.on('error', () => undefined);
    pool.on('connect', (client) => client.on('error', () => undefined));
    pools.push(pool);
    return pool;
  };
  try {
    utils = await makeWorkerUtils({ pgPool: newPool(), logger: silentLogger });
    await utils.migrate();
    const u = utils;

    let handled = 0;
    const waiters = new Map<number, Deferred<number>>();
    const noop: Task = (payload) => {
      const t = nowMs();
      handled++;
      const seq = (payload as { seq?: number } | null)?.seq;
      if (seq !== undefined) waiters.get(seq)?.resolve(t);
    };

    const remaining = async (identifier: string): Promise<number> => {
      const rows = await u.withPgClient((client) =>
        client.query<{ n: number }>(
          'SELECT count(*)::int AS n FROM graphile_worker.jobs WHERE task_identifier = $1',
          [identifier],
        ),
      );
      return rows.rows[0]?.n ?? -1;
    };

    const startRunner = async (concurrency: number, identifier: string): Promise<Runner> => {
      const runner = await run({
        pgPool: newPool(),
        concurrency,
        noHandleSignals: true,
        logger: silentLogger,
        taskList: { [identifier]: noop },
      });
      runners.push(runner);
      return runner;
    };

    const stopRunner = async (runner: Runner): Promise<void> => {
      runners.splice(runners.indexOf(runner), 1);
      await runner.stop();
    };

    const throughput = async (
      concurrency: number,
      identifier: string,
    ): Promise<{ rate: number; runner: Runner }> => {
      await u.addJobs(
        Array.from({ length: opts.jobs }, (_, i) => ({ identifier, payload: { seq: -1 - i } })),
      );
      handled = 0;
      const start = nowMs();
      const runner = await startRunner(concurrency, identifier);
      await waitUntil(() => handled >= opts.jobs, {
        what: `graphile-worker handlers (${handled}/${opts.jobs})`,
        timeoutMs,
        intervalMs: 10,
        ...(signal ? { signal } : {}),
      });
      await waitUntil(async () => (await remaining(identifier)) === 0, {
        what: 'graphile-worker completions',
        timeoutMs,
        intervalMs: 5,
        ...(signal ? { signal } : {}),
      });
      return { rate: (opts.jobs / (nowMs() - start)) * 1000, runner };
    };

    progress.update(`concurrency 1: ${opts.jobs} jobs`);
    const c1 = await throughput(1, 'noop_c1');

    const latencies: number[] = [];
    const warmup = 3;
    for (let i = 0; i < samples + warmup; i++) {
      throwIfAborted(signal);
      await sleep(jitter(20), signal);
      const seq = i + 1;
      const started = deferred<number>();
      waiters.set(seq, started);
      const t0 = nowMs();
      await u.addJob('noop_c1', { seq });
      const t1 = await withTimeout(started.promise, 30_000, `graphile-worker job ${seq} to start`);
      waiters.delete(seq);
      if (i >= warmup) latencies.push(t1 - t0);
      if (i % 10 === 0) progress.update(`latency ${Math.max(0, i - warmup)}/${samples}`);
    }
    await stopRunner(c1.runner);

    progress.update(`concurrency 10: ${opts.jobs} jobs`);
    const c10 = await throughput(10, 'noop_c10');
    await stopRunner(c10.runner);

    const latency = summarize(latencies);
    return {
      throughputC1: c1.rate,
      throughputC10: c10.rate,
      latencyP50Ms: latency.p50,
      latencyP99Ms: latency.p99,
      latency,
      settings:
        'defaults (pollInterval 2000 ms, LISTEN/NOTIFY, prepared statements, pool of 10); run({ concurrency: 1 | 10 })',
    };
  } finally {
    for (const runner of runners) await runner.stop().catch(() => undefined);
    if (utils) await Promise.resolve(utils.release()).catch(() => undefined);
    await Promise.all(pools.map((pool) => pool.end().catch(() => undefined)));
    await db.drop();
  }
}
