/**
 * Orchestrator memory with many agent steps streaming at once: `openBaton()` as `baton serve` wires
 * it (SQLite store, engine, runner, AgentExecutor storing transcripts and step logs), with
 * BATON_CLAUDE_CODE_BIN pointing at the fake `claude` (fakeAgentCli.ts). One workflow of
 * `agentSteps` parallel `agent:` steps, concurrency = that many: every step's CLI prints the recorded
 * stream at `agentLinesPerSecond` for `agentStepSeconds`.
 *
 * `process.memoryUsage()` is sampled every 50 ms during the run. The idle baseline is taken in the
 * same process just before (after a one-step warm-up run and a full GC); "after" is after the run
 * and a full GC. The events ingested are counted in the database and compared with the events the
 * CLIs printed (the same stream transcribed in-process), so a lost event shows.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import { claudeCodeRuntime } from '../../src/agents/runtimes/claude-code/claudeCodeRuntime.ts';
import { Transcriber } from '../../src/agents/transcript/transcriber.ts';
import { loadConfig } from '../../src/config/loadConfig.ts';
import { parseWorkflow } from '../../src/domain/workflow/parseWorkflow.ts';
import { silentLogger } from '../../src/engine/engineDeps.ts';
import { openBaton, type BatonApp } from '../../src/main/openBaton.ts';
import type { BatonBench } from '../lib/context.ts';
import { SECTIONS } from '../lib/context.ts';
import { nowMs } from '../lib/stats.ts';
import { fakeAgentPrompt, writeFakeAgentCli, type FakeAgentSpec } from './fakeAgentCli.ts';
import { collectGarbage, idleMemory, MemorySampler } from './memorySampler.ts';
import { writeRecordedStream, type RecordedStream } from './recordedStream.ts';

const MB = 1024 * 1024;
const API_KEY = 'sk-ant-bench-0000000000000000000000000000';

function workflowYaml(name: string, steps: number, spec: FakeAgentSpec, wallSeconds: number): string {
  const lines = [`name: ${name}`, 'steps:'];
  for (let i = 1; i <= steps; i++) {
    lines.push(
      `  - id: agent${String(i).padStart(3, '0')}`,
      '    agent:',
      `      prompt: '${fakeAgentPrompt(spec)}'`,
      `    budget: { wall: ${wallSeconds}s }`,
    );
  }
  return `${lines.join('\n')}\n`;
}

async function register(app: BatonApp, yaml: string, baseDir: string): Promise<string> {
  const parsed = parseWorkflow(yaml);
  if (!parsed.ok) throw new Error(`bench workflow invalid: ${JSON.stringify(parsed.errors)}`);
  await app.engine.registerWorkflow(parsed.workflow, { source: yaml, origin: 'api', baseDir });
  return parsed.workflow.name;
}

/** Runs the workflow to its end; throws unless every step succeeded. Returns the steps' run intervals. */
async function runToEnd(
  app: BatonApp,
  workflow: string,
  signal: AbortSignal,
): Promise<{ startedAt: number | null; finishedAt: number | null }[]> {
  const { run } = await app.engine.createRun({ workflow });
  const done = await app.engine.waitForRun(run.id, { signal, pollMs: 50 });
  if (done.status !== 'succeeded') {
    const d = await app.engine.getRun(run.id);
    const bad = d.steps.filter((s) => s.status !== 'succeeded');
    const first = bad[0];
    throw new Error(
      `run ${done.status}: ${bad.length} step(s) did not succeed` +
        (first ? ` (${first.stepKey}: ${first.status} ${first.error?.message ?? ''})` : ''),
    );
  }
  return (await app.engine.getRun(run.id)).steps;
}

/** The most steps running at the same time. */
function maxOverlap(steps: { startedAt: number | null; finishedAt: number | null }[]): number {
  const edges = steps
    .flatMap((s) =>
      s.startedAt === null || s.finishedAt === null
        ? []
        : [[s.startedAt, 1] as const, [s.finishedAt, -1] as const],
    )
    .sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let now = 0;
  let max = 0;
  for (const [, d] of edges) max = Math.max(max, (now += d));
  return max;
}

/** Transcript events one step's CLI prints (its whole output transcribed in-process). */
function eventsPerStep(stream: RecordedStream, lines: number): number {
  const t = new Transcriber({ parse: claudeCodeRuntime.createParser(), secrets: [API_KEY] });
  let n = t.push(`${stream.head}\n`).length;
  for (let i = 0; i < lines; i++) n += t.push(`${stream.body[i % stream.body.length] ?? ''}\n`).length;
  return n + t.push(`${stream.tail}\n`).length + t.end().length;
}

function countEvents(dataDir: string): number {
  const db = new Database(join(dataDir, 'baton.db'), { readonly: true, fileMustExist: true });
  try {
    return (db.prepare('SELECT count(*) AS n FROM agent_events').get() as { n: number }).n;
  } finally {
    db.close();
  }
}

export const agentsMemory: BatonBench = {
  id: 'agents-memory',
  title: 'Orchestrator memory, concurrent agent steps',
  target: 'sqlite',
  section: SECTIONS.agents,
  tags: ['agents'],
  run: async (ctx) => {
    const { sizes, report, progress } = ctx;
    const s = SECTIONS.agents;
    const steps = sizes.agentSteps;
    const rate = sizes.agentLinesPerSecond;
    const lines = Math.round(rate * sizes.agentStepSeconds);
    const load = loadavg()[0] ?? Number.NaN;
    const dir = mkdtempSync(join(tmpdir(), 'baton-bench-agents-mem-'));
    let app: BatonApp | undefined;
    try {
      const stream = writeRecordedStream(dir);
      const bin = writeFakeAgentCli(dir);
      const work = join(dir, 'work');
      mkdirSync(work);
      const dataDir = join(dir, 'data');
      const config = loadConfig(
        {
          BATON_DATA_DIR: dataDir,
          BATON_CONCURRENCY: String(steps),
          BATON_KILL_GRACE_MS: '1000',
          BATON_LOG_LEVEL: 'silent',
        },
        dir,
      );
      app = await openBaton(config, {
        logger: silentLogger,
        runner: true,
        cwd: work,
        agentEnv: {
          PATH: process.env.PATH,
          BATON_CLAUDE_CODE_BIN: bin,
          ANTHROPIC_BASE_URL: 'http://127.0.0.1:9',
          ANTHROPIC_API_KEY: API_KEY,
        },
      });
      await app.engine.start();
      const bound = AbortSignal.any([ctx.signal, AbortSignal.timeout(sizes.maxSeconds * 1000)]);
      const spec: FakeAgentSpec = { stream: stream.path, lines, rate };
      const warm = await register(
        app,
        workflowYaml('agents-warmup', 1, { ...spec, lines: 200, rate: 0 }, sizes.maxSeconds),
        work,
      );
      const name = await register(app, workflowYaml('agents-memory', steps, spec, sizes.maxSeconds), work);

      progress.update('warm-up run');
      await runToEnd(app, warm, bound);
      await collectGarbage();
      const idle = await idleMemory(10, 50, bound);
      const eventsBefore = countEvents(dataDir);

      progress.update(`${steps} agent steps × ${rate} lines/s × ${sizes.agentStepSeconds} s`);
      const sampler = new MemorySampler();
      const loopDelay = monitorEventLoopDelay({ resolution: 10 });
      const cpu0 = process.cpuUsage();
      const t0 = nowMs();
      sampler.start(50);
      loopDelay.enable();
      let ran: Awaited<ReturnType<typeof runToEnd>>;
      try {
        ran = await runToEnd(app, name, bound);
      } finally {
        loopDelay.disable();
        sampler.stop();
      }
      const wallMs = nowMs() - t0;
      const cpu = process.cpuUsage(cpu0);
      const peak = sampler.peak;
      await collectGarbage();
      const after = await idleMemory(10, 50, bound);
      const ingested = countEvents(dataDir) - eventsBefore;
      const printed = steps * eventsPerStep(stream, lines);

      report.note(
        s,
        `Memory: openBaton() on SQLite, concurrency ${steps}, one run of ${steps} parallel agent: steps; each fake claude prints ` +
          `${lines.toLocaleString('en-US')} recorded lines at ${rate} lines/s (${(steps * rate).toLocaleString('en-US')} lines/s in all). ` +
          `process.memoryUsage() every 50 ms (${sampler.samples} samples: a blocked event loop delays them); idle = after a one-step warm-up run and a full GC; ` +
          `"after" = after the run and a full GC. The CLIs are child processes: not in these figures. ` +
          `Load average before the run: ${load.toFixed(1)} on ${availableParallelism()} cores (other processes slow the event loop).`,
      );
      const idleRss = { label: 'idle RSS', value: idle.rss / MB, higherIsBetter: false };
      const idleHeap = { label: 'idle heap', value: idle.heapUsed / MB, higherIsBetter: false };
      report.add(s, 'idle RSS (before the run)', idle.rss / MB, 'MiB');
      report.add(s, `peak RSS, ${steps} agent steps streaming`, peak.rss / MB, 'MiB', idleRss);
      report.add(s, 'RSS after the run (GC)', after.rss / MB, 'MiB', idleRss);
      report.add(s, 'idle heap used (before the run)', idle.heapUsed / MB, 'MiB');
      report.add(s, `peak heap used, ${steps} agent steps streaming`, peak.heapUsed / MB, 'MiB', idleHeap);
      report.add(s, 'peak heap delta over idle', (peak.heapUsed - idle.heapUsed) / MB, 'MiB');
      report.add(s, 'heap used after the run (GC)', after.heapUsed / MB, 'MiB', idleHeap);
      report.add(s, 'transcript events stored', ingested, 'events', {
        label: 'events printed',
        value: printed,
        higherIsBetter: true,
      });
      report.add(s, 'agent steps running at once (max)', maxOverlap(ran), 'steps', {
        label: 'steps',
        value: steps,
        higherIsBetter: true,
      });
      report.add(s, 'events stored per second of the run', (ingested / wallMs) * 1000, 'events/s');
      report.add(s, 'run wall time (start → all steps done)', wallMs / 1000, 's', {
        label: 'stream length',
        value: lines / rate,
        higherIsBetter: false,
      });
      report.add(s, 'event-loop delay during the run, p99', loopDelay.percentile(99) / 1e6, 'ms');
      report.add(s, 'event-loop delay during the run, max', loopDelay.max / 1e6, 'ms');
      report.add(
        s,
        'orchestrator CPU during the run',
        ((cpu.user + cpu.system) / 1000 / wallMs) * 100,
        '% of a core',
      );
    } finally {
      await app?.close(2000);
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
