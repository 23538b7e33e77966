/**
 * What every benchmark unit (reference or Baton's own) receives, and how units are described so the
 * runner can select them with `--only=…`.
 */
import type { DbosResult } from '../references/dbos.ts';
import type { GraphileWorkerResult } from '../references/graphileWorker.ts';
import type { PgBossResult } from '../references/pgBoss.ts';
import type { PgRawCommitResult, SqliteRawCommitResult } from '../references/rawCommit.ts';
import type { Progress } from './progress.ts';
import type { Report } from './report.ts';

/** Report sections, in print order. Baton's figures go in the two Baton sections (or next to a reference). */
export const SECTIONS = {
  raw: 'Store raw commit rates',
  pgBoss: 'pg-boss',
  graphileWorker: 'graphile-worker',
  dbos: 'DBOS Transact',
  batonSqlite: 'Baton on SQLite',
  batonPostgres: 'Baton on PostgreSQL',
  agents: 'Baton agent transcripts',
  apiSqlite: 'Baton HTTP API on SQLite',
  apiPostgres: 'Baton HTTP API on PostgreSQL',
} as const;

/** Reference figures measured earlier in the same run (absent when not selected or failed). */
export interface ReferenceFigures {
  sqlite?: SqliteRawCommitResult;
  postgres?: PgRawCommitResult;
  pgBoss?: PgBossResult;
  graphileWorker?: GraphileWorkerResult;
  dbos?: DbosResult;
}

/** Problem sizes; `--quick` picks the small set. */
export interface BenchSizes {
  /** Raw commit transactions per figure, and the time cap per figure. */
  rawIterations: number;
  rawMaxMs: number;
  /** Queue throughput runs: jobs per run. */
  queueJobs: number;
  /**
   * pg-boss workers poll: one worker does ≤ batchSize / pollingInterval = 2 jobs/s at the 0.5 s
   * minimum, ten ≤ 20 jobs/s, so pg-boss gets its own (small) counts.
   */
  pgBossJobsC1: number;
  pgBossJobsC10: number;
  pgBossLatencySamples: number;
  /** Sequential enqueue-to-start samples for push-style systems (graphile-worker, DBOS, Baton). */
  latencySamples: number;
  /** Workflows per workflow-throughput run. */
  workflows: number;
  /** Safety cap for any single run. */
  maxSeconds: number;
  /** HTTP API benchmarks: task ledger rows, seeded runs, autocannon seconds per figure (after a warm-up). */
  apiLedgerRows: number;
  apiRuns: number;
  apiSeconds: number;
  apiWarmupSeconds: number;
  /** HTTP API benchmarks: autocannon connections (its default) and sequential in-process store reads. */
  apiConnections: number;
  apiStoreSamples: number;
  /** Agent transcript ingestion: stdout lines per measured run, and runs per figure (the median). */
  agentStreamLines: number;
  agentStreamRounds: number;
  /** Orchestrator memory: concurrent agent steps, each printing this many lines/s for this long. */
  agentSteps: number;
  agentLinesPerSecond: number;
  agentStepSeconds: number;
}

export const QUICK_SIZES: BenchSizes = {
  rawIterations: 300,
  rawMaxMs: 1500,
  queueJobs: 200,
  pgBossJobsC1: 5,
  pgBossJobsC10: 50,
  pgBossLatencySamples: 20,
  latencySamples: 30,
  workflows: 60,
  maxSeconds: 60,
  apiLedgerRows: 100_000,
  apiRuns: 50,
  apiSeconds: 2,
  apiWarmupSeconds: 0.5,
  apiConnections: 10,
  apiStoreSamples: 100,
  agentStreamLines: 30_000,
  agentStreamRounds: 1,
  agentSteps: 50,
  agentLinesPerSecond: 200,
  agentStepSeconds: 3,
};

export const FULL_SIZES: BenchSizes = {
  rawIterations: 20_000,
  rawMaxMs: 4000,
  queueJobs: 2000,
  pgBossJobsC1: 20,
  pgBossJobsC10: 200,
  pgBossLatencySamples: 100,
  latencySamples: 200,
  workflows: 500,
  maxSeconds: 120,
  apiLedgerRows: 1_000_000,
  apiRuns: 500,
  apiSeconds: 10,
  apiWarmupSeconds: 2,
  apiConnections: 10,
  apiStoreSamples: 500,
  agentStreamLines: 100_000,
  agentStreamRounds: 3,
  agentSteps: 50,
  agentLinesPerSecond: 200,
  agentStepSeconds: 10,
};

export interface BenchContext {
  report: Report;
  progress: Progress;
  signal: AbortSignal;
  /** Server URL (a maintenance database); units create their own `baton_bench_*` databases. */
  pgUrl: string;
  quick: boolean;
  sizes: BenchSizes;
  refs: ReferenceFigures;
  /** the `--only` tokens (empty: everything), for units made of parts (see `BenchUnit.tags`) */
  only: readonly string[];
}

export type BenchTarget = 'sqlite' | 'postgres';

export interface BenchUnit {
  /** Selectable with --only=<id>. */
  id: string;
  title: string;
  target: BenchTarget;
  kind: 'reference' | 'baton';
  /** Section a failure is reported in. */
  section: string;
  /** More `--only` tokens that select this unit (e.g. `api`, or one of its parts: `api-run-get`). */
  tags?: readonly string[];
  run: (ctx: BenchContext) => Promise<void>;
}

/** A Baton benchmark (bench/baton/*.ts); registered in bench/baton/index.ts. */
export type BatonBench = Omit<BenchUnit, 'kind'>;
