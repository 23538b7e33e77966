/**
 * Baton's engine figures, on SQLite and on PostgreSQL, each beside the references of the same run:
 * - no-op step lifecycles/s at runner concurrency 1 and 10 (pre-enqueued one-step runs: claim,
 *   attempt row, events, completion, run completion — every state change durable);
 * - enqueue-to-start latency on an idle engine (createRun() call → executor start), p50/p99;
 * - three-step no-op workflows/s, sequential and with 10 slots (vs DBOS Transact).
 */
import type { BatonBench, BenchContext } from '../lib/context.ts';
import { SECTIONS } from '../lib/context.ts';
import { jitter, nowMs, sleep, summarize } from '../lib/stats.ts';
import { createBatonFixture } from './batonFixture.ts';

async function throughput(
  ctx: BenchContext,
  target: 'sqlite' | 'postgres',
  workflow: string,
  concurrency: number,
  runs: number,
): Promise<number> {
  const f = await createBatonFixture(target, ctx.pgUrl, `baton_${workflow}_c${concurrency}`);
  try {
    ctx.progress.update(`${workflow}: enqueue ${runs}`);
    for (let i = 0; i < runs; i++) await f.client.createRun({ workflow });
    ctx.progress.update(`${workflow}: c${concurrency} draining ${runs}`);
    const t0 = nowMs();
    await f.startRunner(concurrency);
    await f.drained(ctx.signal);
    return (runs / (nowMs() - t0)) * 1000;
  } finally {
    await f.close();
  }
}

async function latency(ctx: BenchContext, target: 'sqlite' | 'postgres', samples: number) {
  const f = await createBatonFixture(target, ctx.pgUrl, 'baton_latency');
  try {
    // enqueue through the engine that runs the steps, as `baton serve` does: in-process wake-up
    const { engine, executor } = await f.startRunner(1);
    const values: number[] = [];
    const warmup = 5;
    for (let i = 0; i < samples + warmup; i++) {
      await sleep(jitter(20), ctx.signal);
      const started = executor.nextStart();
      const t0 = nowMs();
      await engine.createRun({ workflow: 'noop' });
      const t1 = await started;
      if (i >= warmup) values.push(t1 - t0);
      if (i % 10 === 0) ctx.progress.update(`latency ${i}/${samples + warmup}`);
      await f.drained(ctx.signal);
    }
    return summarize(values);
  } finally {
    await f.close();
  }
}

async function sequentialWorkflows(
  ctx: BenchContext,
  target: 'sqlite' | 'postgres',
  n: number,
): Promise<number> {
  const f = await createBatonFixture(target, ctx.pgUrl, 'baton_seq');
  try {
    const { engine } = await f.startRunner(1);
    const t0 = nowMs();
    for (let i = 0; i < n; i++) {
      const { run } = await engine.createRun({ workflow: 'three' });
      await engine.waitForRun(run.id, { signal: ctx.signal, pollMs: 1 });
    }
    return (n / (nowMs() - t0)) * 1000;
  } finally {
    await f.close();
  }
}

function unit(target: 'sqlite' | 'postgres'): BatonBench {
  const section = target === 'sqlite' ? SECTIONS.batonSqlite : SECTIONS.batonPostgres;
  return {
    id: `baton-${target}`,
    title: `Baton engine on ${target === 'sqlite' ? 'SQLite' : 'PostgreSQL'}`,
    target,
    section,
    run: async (ctx) => {
      const { refs, sizes, report } = ctx;
      const gw = refs.graphileWorker;
      const boss = refs.pgBoss;
      const dbos = refs.dbos;
      const rawSqlite = refs.sqlite;
      const rawPg = refs.postgres;
      const jobs = sizes.queueJobs;

      const c1 = await throughput(ctx, target, 'noop', 1, Math.max(50, Math.round(jobs / 4)));
      const c10 = await throughput(ctx, target, 'noop', 10, jobs);
      const rawRef =
        target === 'sqlite'
          ? rawSqlite && {
              label: 'SQLite raw two-statement tx',
              value: rawSqlite.twoStatementTps,
              higherIsBetter: true,
            }
          : rawPg && {
              label: 'PostgreSQL raw two-statement tx (1 client)',
              value: rawPg.twoStatementTpsC1,
              higherIsBetter: true,
            };
      report.add(section, 'no-op step lifecycles/s, concurrency 1', c1, 'steps/s', rawRef);
      if (target === 'postgres' && gw)
        report.add(section, 'no-op steps/s c1 vs graphile-worker', c1, 'steps/s', {
          label: 'graphile-worker c1',
          value: gw.throughputC1,
          higherIsBetter: true,
        });
      report.add(section, 'no-op step lifecycles/s, concurrency 10', c10, 'steps/s', rawRef);
      if (target === 'postgres' && gw)
        report.add(section, 'no-op steps/s c10 vs graphile-worker', c10, 'steps/s', {
          label: 'graphile-worker c10',
          value: gw.throughputC10,
          higherIsBetter: true,
        });
      if (target === 'postgres' && boss)
        report.add(section, 'no-op steps/s c10 vs pg-boss', c10, 'steps/s', {
          label: 'pg-boss c10',
          value: boss.throughputC10,
          higherIsBetter: true,
        });

      const lat = await latency(ctx, target, sizes.latencySamples);
      report.add(
        section,
        'enqueue-to-start p50 (idle engine)',
        lat.p50,
        'ms',
        gw && { label: 'graphile-worker p50', value: gw.latencyP50Ms, higherIsBetter: false },
      );
      report.add(
        section,
        'enqueue-to-start p99 (idle engine)',
        lat.p99,
        'ms',
        gw && { label: 'graphile-worker p99', value: gw.latencyP99Ms, higherIsBetter: false },
      );

      const wfN = Math.max(20, Math.round(sizes.workflows / 5));
      const seq = await sequentialWorkflows(ctx, target, wfN);
      report.add(
        section,
        '3-step workflows/s, sequential',
        seq,
        'wf/s',
        dbos && { label: 'DBOS sequential', value: dbos.workflowsPerSecSequential, higherIsBetter: true },
      );
      const wf10 = await throughput(ctx, target, 'three', 10, sizes.workflows);
      report.add(
        section,
        '3-step workflows/s, 10 slots',
        wf10,
        'wf/s',
        dbos && { label: 'DBOS 10 concurrent', value: dbos.workflowsPerSecC10, higherIsBetter: true },
      );
      report.add(section, '3-step workflow steps/s, 10 slots', wf10 * 3, 'steps/s', rawRef);
    },
  };
}

export const batonSqlite = unit('sqlite');
export const batonPostgres = unit('postgres');
