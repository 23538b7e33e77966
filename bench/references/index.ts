/**
 * The reference benchmark units: each runs one reference function, adds its figures (and the
 * settings used) to the report, and keeps the raw result in `ctx.refs` for Baton's benchmarks.
 */
import { SECTIONS, type BenchUnit } from '../lib/context.ts';
import { benchDbos } from './dbos.ts';
import { benchGraphileWorker } from './graphileWorker.ts';
import { benchPgBoss } from './pgBoss.ts';
import { benchPgRawCommit, benchSqliteRawCommit } from './rawCommit.ts';

const cappedNote = (capped: boolean, maxMs: number): string =>
  capped ? ` Some figures hit the ${maxMs / 1000} s cap: the rate is what was done in that time.` : '';

export const referenceBenches: BenchUnit[] = [
  {
    id: 'raw-sqlite',
    title: 'SQLite raw commit rates',
    target: 'sqlite',
    kind: 'reference',
    section: SECTIONS.raw,
    run: async (ctx) => {
      const { sizes, report } = ctx;
      const r = await benchSqliteRawCommit({
        iterations: sizes.rawIterations,
        maxMs: sizes.rawMaxMs,
        signal: ctx.signal,
        progress: ctx.progress,
      });
      ctx.refs.sqlite = r;
      report.note(
        SECTIONS.raw,
        `SQLite ${r.sqliteVersion} (better-sqlite3), file in a temp dir, journal_mode=WAL, synchronous=FULL, one connection.` +
          cappedNote(r.capped, sizes.rawMaxMs),
      );
      report.add(SECTIONS.raw, 'SQLite: single-row INSERT tx', r.singleInsertTps, 'tx/s');
      report.add(SECTIONS.raw, 'SQLite: BEGIN IMMEDIATE; INSERT; UPDATE; COMMIT', r.twoStatementTps, 'tx/s');
    },
  },
  {
    id: 'raw-postgres',
    title: 'PostgreSQL raw commit rates',
    target: 'postgres',
    kind: 'reference',
    section: SECTIONS.raw,
    run: async (ctx) => {
      const { sizes, report } = ctx;
      const r = await benchPgRawCommit({
        pgUrl: ctx.pgUrl,
        iterations: sizes.rawIterations,
        maxMs: sizes.rawMaxMs,
        signal: ctx.signal,
        progress: ctx.progress,
      });
      ctx.refs.postgres = r;
      report.note(
        SECTIONS.raw,
        'PostgreSQL: pg Pool, own database, synchronous_commit=on, named prepared statements; c10 = 10 connections, each updating its own row.' +
          cappedNote(r.capped, sizes.rawMaxMs),
      );
      report.add(SECTIONS.raw, 'PostgreSQL c1: single-row INSERT tx', r.singleInsertTpsC1, 'tx/s');
      report.add(SECTIONS.raw, 'PostgreSQL c1: BEGIN; INSERT; UPDATE; COMMIT', r.twoStatementTpsC1, 'tx/s');
      report.add(SECTIONS.raw, 'PostgreSQL c10: single-row INSERT tx', r.singleInsertTpsC10, 'tx/s');
      report.add(SECTIONS.raw, 'PostgreSQL c10: BEGIN; INSERT; UPDATE; COMMIT', r.twoStatementTpsC10, 'tx/s');
    },
  },
  {
    id: 'pg-boss',
    title: 'pg-boss',
    target: 'postgres',
    kind: 'reference',
    section: SECTIONS.pgBoss,
    run: async (ctx) => {
      const { sizes, report } = ctx;
      const r = await benchPgBoss({
        pgUrl: ctx.pgUrl,
        jobs: sizes.pgBossJobsC10,
        jobsC1: sizes.pgBossJobsC1,
        latencySamples: sizes.pgBossLatencySamples,
        maxSeconds: sizes.maxSeconds,
        signal: ctx.signal,
        progress: ctx.progress,
      });
      ctx.refs.pgBoss = r;
      const s = SECTIONS.pgBoss;
      report.note(s, `${r.settings}.`);
      report.note(
        s,
        `No-op jobs. Throughput: ${r.jobsC1} (c1) / ${r.jobsC10} (c10) pre-enqueued jobs until all 'completed'. Latency: ${r.latency.samples} sequential sends to an idle worker, send → handler start.`,
      );
      report.add(s, 'throughput, concurrency 1', r.throughputC1, 'jobs/s');
      report.add(s, 'throughput, concurrency 10', r.throughputC10, 'jobs/s');
      report.add(s, 'enqueue→start latency p50', r.latencyP50Ms, 'ms');
      report.add(s, 'enqueue→start latency p99', r.latencyP99Ms, 'ms');
    },
  },
  {
    id: 'graphile-worker',
    title: 'graphile-worker',
    target: 'postgres',
    kind: 'reference',
    section: SECTIONS.graphileWorker,
    run: async (ctx) => {
      const { sizes, report } = ctx;
      const r = await benchGraphileWorker({
        pgUrl: ctx.pgUrl,
        jobs: sizes.queueJobs,
        latencySamples: sizes.latencySamples,
        maxSeconds: sizes.maxSeconds,
        signal: ctx.signal,
        progress: ctx.progress,
      });
      ctx.refs.graphileWorker = r;
      const s = SECTIONS.graphileWorker;
      report.note(s, `${r.settings}.`);
      report.note(
        s,
        `No-op jobs. Throughput: ${sizes.queueJobs} pre-enqueued jobs, runner start until the jobs table is empty. Latency: ${r.latency.samples} sequential addJob() to an idle runner, add → handler start.`,
      );
      report.add(s, 'throughput, concurrency 1', r.throughputC1, 'jobs/s');
      report.add(s, 'throughput, concurrency 10', r.throughputC10, 'jobs/s');
      report.add(s, 'enqueue→start latency p50', r.latencyP50Ms, 'ms');
      report.add(s, 'enqueue→start latency p99', r.latencyP99Ms, 'ms');
    },
  },
  {
    id: 'dbos',
    title: 'DBOS Transact',
    target: 'postgres',
    kind: 'reference',
    section: SECTIONS.dbos,
    run: async (ctx) => {
      const { sizes, report } = ctx;
      const r = await benchDbos({
        pgUrl: ctx.pgUrl,
        workflows: sizes.workflows,
        latencySamples: sizes.latencySamples,
        maxSeconds: sizes.maxSeconds,
        signal: ctx.signal,
        progress: ctx.progress,
      });
      ctx.refs.dbos = r;
      const s = SECTIONS.dbos;
      report.note(s, `${r.settings}; launch took ${Math.round(r.launchMs)} ms.`);
      report.note(
        s,
        `Workflow of three no-op steps, ${sizes.workflows} per run. Start latency: ${r.startLatency.samples} sequential DBOS.startWorkflow() calls, call → first line of the workflow body.`,
      );
      report.add(s, '3-step workflows, sequential', r.workflowsPerSecSequential, 'wf/s');
      report.add(s, '3-step workflows, 10 concurrent', r.workflowsPerSecC10, 'wf/s');
      report.add(s, 'start latency p50', r.startLatencyP50Ms, 'ms');
      report.add(s, 'start latency p99', r.startLatencyP99Ms, 'ms');
    },
  },
];
