import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openAccountsStore } from '../../src/accounts/openAccountsStore.ts';
import { agentPoolsOf } from '../../src/domain/agents/providerOf.ts';
import type { RunRecord } from '../../src/domain/records.ts';
import { formatWorkflowIssue } from '../../src/domain/workflow/formatWorkflowIssue.ts';
import { parseWorkflow } from '../../src/domain/workflow/parseWorkflow.ts';
import { Engine, type RunDetails } from '../../src/engine/engine.ts';
import type { EngineConfig } from '../../src/engine/engineDeps.ts';
import type { StepExecResult, StepExecutor, StepJob } from '../../src/engine/ports/stepExecutor.ts';
import type { Store } from '../../src/engine/ports/store.ts';
import { stepBaseEnv } from '../../src/main/stepBaseEnv.ts';
import { stepLogSink } from '../../src/main/stepLogSink.ts';
import { createTestDb, DIALECTS, type TestDb } from '../helpers/dialects.ts';
import { FAST_CONFIG, TestClock } from '../helpers/engineHarness.ts';

/** The runtime a test step runs on, as the test knows it (roles by their catalog runtime). */
const ROLE_RUNTIMES: Record<string, string> = { 'spec-writer': 'openai-compatible', developer: 'codex' };

/**
 * A fake executor: every step "runs" for `ms`, and the executor records, per pool, the most steps
 * that were executing at once (`run` for `run:` steps).
 */
class PoolRecorder implements StepExecutor {
  readonly active = new Map<string, number>();
  readonly max = new Map<string, number>();
  readonly executed: string[] = [];
  constructor(private readonly ms = 250) {}

  poolsOf(job: StepJob): string[] {
    const a = job.agent;
    if (!a) return ['run'];
    return agentPoolsOf(a.runtime ?? (a.role ? ROLE_RUNTIMES[a.role] : undefined) ?? 'claude-code');
  }

  async execute(job: StepJob): Promise<StepExecResult> {
    const pools = this.poolsOf(job);
    for (const p of pools) {
      const n = (this.active.get(p) ?? 0) + 1;
      this.active.set(p, n);
      this.max.set(p, Math.max(this.max.get(p) ?? 0, n));
    }
    await new Promise((r) => setTimeout(r, this.ms));
    for (const p of pools) this.active.set(p, (this.active.get(p) ?? 1) - 1);
    this.executed.push(job.stepKey);
    return { outcome: 'success', exitCode: 0, signal: null, outputs: {}, durationMs: this.ms };
  }
}

interface PoolHarness {
  db: TestDb;
  store: Store;
  engine: Engine;
  exec: PoolRecorder;
  register(yaml: string): Promise<void>;
  start(name: string): Promise<RunRecord>;
  finish(runId: string): Promise<RunDetails>;
  close(): Promise<void>;
}

async function createPoolHarness(
  dialect: (typeof DIALECTS)[number],
  agentPoolLimits: Record<string, number>,
  before?: (db: TestDb) => Promise<void>,
): Promise<PoolHarness> {
  const db = await createTestDb(dialect);
  const store = await db.open();
  await before?.(db);
  const work = mkdtempSync(join(tmpdir(), 'baton-pools-'));
  const exec = new PoolRecorder();
  const config: Partial<EngineConfig> = { ...FAST_CONFIG, agentPoolLimits };
  const engine = new Engine({
    store,
    clock: new TestClock(),
    config,
    runner: {
      owner: `pools-${dialect}`,
      concurrency: 8,
      executor: exec,
      makeSink: (step) => stepLogSink(store, step, 20),
      baseEnv: stepBaseEnv([]),
      defaultCwd: work,
    },
  });
  const h: PoolHarness = {
    db,
    store,
    engine,
    exec,
    async register(yaml) {
      const r = parseWorkflow(yaml, { file: 'test.yaml' });
      if (!r.ok) throw new Error(r.errors.map(formatWorkflowIssue).join('\n'));
      await engine.registerWorkflow(r.workflow, { source: yaml, origin: 'api', baseDir: work });
    },
    async start(name) {
      return (await engine.createRun({ workflow: name, inputs: {} })).run;
    },
    async finish(runId) {
      return engine
        .waitForRun(runId, { signal: AbortSignal.timeout(30_000) })
        .then(() => engine.getRun(runId));
    },
    async close() {
      await engine.stop(2_000);
      await db.cleanup();
      rmSync(work, { recursive: true, force: true });
    },
  };
  await engine.start();
  return h;
}

/** A workflow of independent steps (they all become ready at once). */
function parallel(name: string, steps: string[]): string {
  return `name: ${name}\nsteps:\n${steps.map((s, i) => `  - id: s${i}\n    ${s}\n`).join('')}`;
}

const agent = (fields: string) => `agent: { ${fields}, prompt: "do it" }`;

async function waitingEvents(h: PoolHarness, runId: string) {
  const events = await h.store.listEvents(0, 10_000, runId);
  return events.filter((e) => e.type === 'step.waiting_for_slot');
}

describe.each(DIALECTS)('agent concurrency pools on %s', (dialect) => {
  let h: PoolHarness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('runs at most runtime:claude-code=2 agent steps at once; every one succeeds', async () => {
    h = await createPoolHarness(dialect, { 'runtime:claude-code': 2 });
    await h.register(
      parallel('claude-six', [
        agent('runtime: claude-code'),
        agent('runtime: claude-code'),
        agent('runtime: claude-code'),
        'agent: "no runtime and no role: claude-code"',
        agent('runtime: claude-code'),
        agent('role: issue-planner'), // a built-in role on the default runtime
      ]),
    );
    const run = await h.start('claude-six');
    const d = await h.finish(run.id);
    expect(d.run.status).toBe('succeeded');
    expect(d.steps.every((s) => s.status === 'succeeded')).toBe(true);
    expect(h.exec.executed).toHaveLength(6);
    expect(h.exec.max.get('runtime:claude-code')).toBe(2);
    // attempts were given back, not spent: each step ran once, as attempt 1
    expect(d.steps.map((s) => s.attempt)).toEqual([1, 1, 1, 1, 1, 1]);
    expect(d.attempts).toHaveLength(6);
    // one event per wait, not one per deferral
    const waiting = await waitingEvents(h, run.id);
    expect(waiting.length).toBeGreaterThan(0);
    expect(new Set(waiting.map((e) => e.stepId)).size).toBe(waiting.length);
    expect(waiting[0]!.payload).toMatchObject({ pool: 'runtime:claude-code', limit: 2 });
  });

  it('holds a provider limit across two runtimes of the provider (role runtimes included)', async () => {
    h = await createPoolHarness(dialect, { 'provider:openai': 2 }, async (db) => {
      // the workspace's catalog overrides the built-in developer role: it runs on codex here
      const accounts = openAccountsStore(db.storeOptions);
      try {
        await accounts.upsertRole({
          workspaceId: 'default',
          name: 'developer',
          spec: { title: 'Developer on codex', prompt: 'Implement {{ task }}', runtime: 'codex' },
          onboarding: null,
          updatedBy: 'test',
          createdAt: Date.now(),
          updatedAt: Date.now(),
        });
      } finally {
        await accounts.close();
      }
    });
    await h.register(
      parallel('openai-mix', [
        agent('runtime: codex'),
        agent('role: spec-writer'), // built-in, openai-compatible
        agent('runtime: codex'),
        agent('role: coding'), // alias of developer: the workspace's override, codex
        agent('role: spec-writer'),
        agent('runtime: claude-code'), // another provider: not held back
      ]),
    );
    const d = await h.finish((await h.start('openai-mix')).id);
    expect(d.run.status).toBe('succeeded');
    expect(h.exec.executed).toHaveLength(6);
    expect(h.exec.max.get('provider:openai')).toBe(2);
    expect(h.exec.max.get('runtime:codex')).toBeGreaterThanOrEqual(1);
    expect(h.exec.max.get('runtime:openai-compatible')).toBeGreaterThanOrEqual(1);
    const waiting = await waitingEvents(h, d.run.id);
    expect(waiting.every((e) => e.payload.pool === 'provider:openai')).toBe(true);
  });

  it('a runtime:/provider: row of concurrency_limits overrides the configuration', async () => {
    h = await createPoolHarness(dialect, { 'runtime:claude-code': 3, 'provider:google': 1 });
    await h.engine.setKeyLimit('runtime:claude-code', 1, { by: 'ops' });
    await h.engine.setKeyLimit('provider:google', 4, { by: 'ops' });
    await h.register(
      parallel('override', [
        agent('runtime: claude-code'),
        agent('runtime: claude-code'),
        agent('runtime: claude-code'),
        agent('runtime: gemini-cli'),
        agent('runtime: gemini-cli'),
        agent('runtime: gemini-cli'),
      ]),
    );
    const d = await h.finish((await h.start('override')).id);
    expect(d.run.status).toBe('succeeded');
    expect(h.exec.max.get('runtime:claude-code')).toBe(1);
    // the table raised google's limit from 1: its three steps ran side by side
    expect(h.exec.max.get('provider:google')).toBe(3);
    // clearing the row brings the configuration's limit back
    await h.engine.setKeyLimit('runtime:claude-code', null, { by: 'ops' });
    expect(await h.store.listConcurrencyLimits()).toEqual([{ key: 'provider:google', limit: 4 }]);
  });

  it('leaves run: steps and unlimited pools alone', async () => {
    h = await createPoolHarness(dialect, { 'runtime:claude-code': 1 });
    await h.register(
      parallel('mixed', [
        agent('runtime: claude-code'),
        agent('runtime: claude-code'),
        agent('runtime: claude-code'),
        'run: "true"',
        'run: "true"',
        'run: "true"',
        agent('runtime: codex'),
        agent('runtime: codex'),
      ]),
    );
    const d = await h.finish((await h.start('mixed')).id);
    expect(d.run.status).toBe('succeeded');
    expect(h.exec.max.get('runtime:claude-code')).toBe(1);
    expect(h.exec.max.get('run')).toBe(3);
    expect(h.exec.max.get('runtime:codex')).toBe(2);
    // the run: steps did not queue behind the held-back agent steps
    const byKey = new Map(d.steps.map((s) => [s.stepKey, s]));
    const lastRunStart = Math.max(...['s3', 's4', 's5'].map((k) => byKey.get(k)!.startedAt!));
    const lastAgentStart = Math.max(...['s0', 's1', 's2'].map((k) => byKey.get(k)!.startedAt!));
    expect(lastRunStart).toBeLessThan(lastAgentStart);
  });
});
