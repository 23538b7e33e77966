/**
 * A Baton engine for benchmarks: the real store, engine, claims, leases and events, with an
 * in-process no-op executor (like the no-op jobs of pg-boss and graphile-worker: it measures the
 * orchestration, not process spawning).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseWorkflow } from '../../src/domain/workflow/parseWorkflow.ts';
import { Engine } from '../../src/engine/engine.ts';
import type { LogSink, StepExecResult, StepExecutor } from '../../src/engine/ports/stepExecutor.ts';
import type { Store } from '../../src/engine/ports/store.ts';
import { openStore } from '../../src/store/openStore.ts';
import { createTempPgDatabase, type TempPgDatabase } from '../lib/pg.ts';
import { nowMs } from '../lib/stats.ts';

const OK: StepExecResult = { outcome: 'success', exitCode: 0, signal: null, outputs: {}, durationMs: 0 };
const NO_SINK: LogSink = { write() {}, flush: async () => undefined };

export class NoopExecutor implements StepExecutor {
  executed = 0;
  private waiter: ((t: number) => void) | null = null;
  async execute(): Promise<StepExecResult> {
    this.executed++;
    const w = this.waiter;
    if (w) {
      this.waiter = null;
      w(nowMs());
    }
    return OK;
  }
  /** resolves with the time the next step starts */
  nextStart(): Promise<number> {
    return new Promise((r) => (this.waiter = r));
  }
}

export const WORKFLOWS = [
  `
name: noop
steps:
  - id: s
    run: "true"
`,
  `
name: three
steps:
  - id: a
    run: "true"
  - id: b
    needs: a
    run: "true"
  - id: c
    needs: b
    run: "true"
`,
];

export interface BatonFixture {
  store: Store;
  /** an engine without a runner, for enqueueing */
  client: Engine;
  startRunner(concurrency: number): Promise<{ engine: Engine; executor: NoopExecutor }>;
  /** resolves when no run is queued or running any more */
  drained(signal: AbortSignal): Promise<void>;
  close(): Promise<void>;
}

export async function createBatonFixture(
  target: 'sqlite' | 'postgres',
  pgUrl: string,
  name: string,
): Promise<BatonFixture> {
  const dir = mkdtempSync(join(tmpdir(), 'baton-bench-'));
  let pg: TempPgDatabase | null = null;
  if (target === 'postgres') pg = await createTempPgDatabase(name, pgUrl);
  const store = await openStore({ databaseUrl: pg?.url, dataDir: dir, poolSize: 10 });
  const client = new Engine({ store });
  for (const source of WORKFLOWS) {
    const r = parseWorkflow(source);
    if (!r.ok) throw new Error('bench workflow invalid');
    await client.registerWorkflow(r.workflow, { source, origin: 'api', baseDir: dir });
  }
  const engines: Engine[] = [];
  return {
    store,
    client,
    async startRunner(concurrency) {
      const executor = new NoopExecutor();
      const engine = new Engine({
        store,
        config: { pollMs: 250 },
        runner: {
          owner: `bench-${engines.length}`,
          concurrency,
          executor,
          makeSink: () => NO_SINK,
          baseEnv: {},
          defaultCwd: dir,
        },
      });
      engines.push(engine);
      await engine.start();
      return { engine, executor };
    },
    async drained(signal) {
      for (;;) {
        signal.throwIfAborted();
        const left = await store.listRuns({ status: ['queued', 'running'], limit: 1 });
        if (left.length === 0) return;
        await new Promise((r) => setTimeout(r, 5));
      }
    },
    async close() {
      for (const e of engines) await e.stop(1000);
      await store.close();
      await pg?.drop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
