import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseWorkflow } from '../../src/domain/workflow/parseWorkflow.ts';
import { formatWorkflowIssue } from '../../src/domain/workflow/formatWorkflowIssue.ts';
import type { RunRecord, StepRecord } from '../../src/domain/records.ts';
import { Engine, type EngineOptions, type RunDetails } from '../../src/engine/engine.ts';
import type { EngineConfig } from '../../src/engine/engineDeps.ts';
import type { Store } from '../../src/engine/ports/store.ts';
import { LocalExecutor } from '../../src/runners/local/localExecutor.ts';
import { FileProcessRegistry } from '../../src/runners/registry/fileProcessRegistry.ts';
import { stepBaseEnv } from '../../src/main/stepBaseEnv.ts';
import { stepLogSink } from '../../src/main/stepLogSink.ts';
import { createTestDb, type TestDb, type TestDialect } from './dialects.ts';

/** Real time plus an offset the test can move forward (approval timeouts, cron slots). */
export class TestClock {
  offset = 0;
  now = (): number => Date.now() + this.offset;
  advance(ms: number): void {
    this.offset += ms;
  }
}

export const FAST_CONFIG: Partial<EngineConfig> = {
  leaseMs: 3_000,
  heartbeatMs: 100,
  pollMs: 20,
  sweepMs: 50,
  killGraceMs: 300,
};

export interface Harness {
  db: TestDb;
  store: Store;
  engine: Engine;
  clock: TestClock;
  /** a scratch directory for the steps (their default working directory) */
  work: string;
  register(yaml: string): Promise<void>;
  start(
    name: string,
    inputs?: Record<string, unknown>,
    extra?: Partial<Parameters<Engine['createRun']>[0]>,
  ): Promise<RunRecord>;
  finish(runId: string, timeoutMs?: number): Promise<RunDetails>;
  waitFor(runId: string, pred: (d: RunDetails) => boolean, timeoutMs?: number): Promise<RunDetails>;
  step(d: RunDetails, key: string): StepRecord;
  logs(runId: string, key: string): Promise<string>;
  close(): Promise<void>;
}

export function createRunnerOptions(
  store: Store,
  work: string,
  owner: string,
  concurrency = 4,
): NonNullable<EngineOptions['runner']> {
  const registry = new FileProcessRegistry(join(work, '.runners'));
  return {
    owner,
    concurrency,
    executor: new LocalExecutor({ registry, killGraceMs: 300 }),
    makeSink: (step) => stepLogSink(store, step, 20),
    baseEnv: stepBaseEnv([]),
    defaultCwd: work,
    beforeReclaim: async () => void (await registry.reapDeadIncarnations({ graceMs: 300 })),
  };
}

export async function createHarness(
  dialect: TestDialect,
  opts: { concurrency?: number; config?: Partial<EngineConfig>; runner?: boolean } = {},
): Promise<Harness> {
  const db = await createTestDb(dialect);
  const store = await db.open();
  const clock = new TestClock();
  const work = mkdtempSync(join(tmpdir(), 'baton-work-'));
  const engine = new Engine({
    store,
    clock,
    config: { ...FAST_CONFIG, ...opts.config },
    ...(opts.runner === false
      ? {}
      : { runner: createRunnerOptions(store, work, `test-${dialect}`, opts.concurrency ?? 4) }),
  });
  await engine.start();
  const h: Harness = {
    db,
    store,
    engine,
    clock,
    work,
    async register(yaml) {
      const r = parseWorkflow(yaml, { file: 'test.yaml' });
      if (!r.ok) throw new Error(r.errors.map(formatWorkflowIssue).join('\n'));
      await engine.registerWorkflow(r.workflow, { source: yaml, origin: 'api', baseDir: work });
    },
    async start(name, inputs = {}, extra = {}) {
      return (await engine.createRun({ workflow: name, inputs, ...extra })).run;
    },
    async waitFor(runId, pred, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const d = await engine.getRun(runId);
        if (pred(d)) return d;
        if (Date.now() > deadline) {
          throw new Error(
            `timed out; run ${d.run.status}: ${d.steps.map((s) => `${s.stepKey}=${s.status}`).join(' ')}`,
          );
        }
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    finish(runId, timeoutMs) {
      return h.waitFor(runId, (d) => ['succeeded', 'failed', 'cancelled'].includes(d.run.status), timeoutMs);
    },
    step(d, key) {
      const s = d.steps.find((x) => x.stepKey === key);
      if (!s) throw new Error(`no step ${key}`);
      return s;
    },
    async logs(runId, key) {
      const chunks = await engine.readLogs(runId, key, null);
      return Buffer.concat(chunks.map((c) => c.data)).toString('utf8');
    },
    async close() {
      await engine.stop(2_000);
      await db.cleanup();
    },
  };
  return h;
}
