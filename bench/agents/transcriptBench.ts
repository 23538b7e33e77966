/**
 * Transcript ingestion throughput: a fake `claude` (a real child process, fakeAgentCli.ts) prints a
 * recorded stream-json session as fast as the pipe takes it, and Baton reads it the way it reads
 * every agent: `runAgent()` with the Claude Code runtime (spawn in a process group, LineSplitter →
 * the runtime's parser → Transcriber stamping and redaction → aggregator and guards → `onEvent`).
 * - transcribed: `onEvent` only counts;
 * - stored: `onEvent` feeds a TranscriptWriter into `store.appendAgentEvents` of a SQLite store
 *   (as AgentExecutor does); the time includes the final flush.
 * References of the same run: the same child read by `readline` + `JSON.parse` (the floor: reading
 * and parsing the bytes), and the raw SQLite insert rate of the same rows (rawEventInsert.ts).
 * Each figure is the median of `agentStreamRounds` runs, after a small warm-up run of each.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AgentLaunch } from '../../src/agents/run/AgentRuntime.ts';
import { runAgent } from '../../src/agents/run/runAgent.ts';
import { claudeCodeRuntime } from '../../src/agents/runtimes/claude-code/claudeCodeRuntime.ts';
import { Transcriber } from '../../src/agents/transcript/transcriber.ts';
import type { TranscriptEvent } from '../../src/agents/transcript/transcriptEvent.ts';
import type { Store } from '../../src/engine/ports/store.ts';
import { TranscriptWriter } from '../../src/runners/agent/transcriptWriter.ts';
import { openStore } from '../../src/store/openStore.ts';
import type { BatonBench, BenchContext } from '../lib/context.ts';
import { SECTIONS } from '../lib/context.ts';
import { nowMs, percentile, throwIfAborted } from '../lib/stats.ts';
import { fakeAgentPrompt, writeFakeAgentCli } from './fakeAgentCli.ts';
import { measureRawEventInsert } from './rawEventInsert.ts';
import { measureReadlineFloor } from './readlineFloor.ts';
import { streamBytes, writeRecordedStream, type RecordedStream } from './recordedStream.ts';

const WARMUP_LINES = 2_000;
/** the launch carries an API key, as AgentExecutor's do: one secret to redact besides the patterns */
const API_KEY = 'sk-ant-bench-0000000000000000000000000000';

interface Rig {
  dir: string;
  bin: string;
  stream: RecordedStream;
  store: Store;
}

interface Pass {
  events: number;
  lines: number;
  bytes: number;
  ms: number;
}

const median = (values: number[]): number => percentile(values, 50);
const perSec = (n: number, ms: number): number => (n / ms) * 1000;

function launchFor(rig: Rig, lines: number): AgentLaunch {
  return {
    prompt: fakeAgentPrompt({ stream: rig.stream.path, lines, rate: 0 }),
    cwd: rig.dir,
    endpoint: { baseUrl: 'http://127.0.0.1:9', apiKey: API_KEY },
    grantedEnv: {},
    homeDir: join(rig.dir, 'home'),
  };
}

/** One runAgent() over `lines` body lines; `sink` receives every event. */
async function transcribe(
  ctx: BenchContext,
  rig: Rig,
  lines: number,
  sink: (e: TranscriptEvent) => void,
  after: () => Promise<void> = async () => undefined,
): Promise<Pass> {
  let events = 0;
  const t0 = nowMs();
  const result = await runAgent(
    claudeCodeRuntime,
    launchFor(rig, lines),
    {
      binary: rig.bin,
      hostEnv: { PATH: process.env.PATH },
      killGraceMs: 1000,
      // the default guards (the replayed turns alternate Bash and Write: no loop), and a time bound
      limits: { maxWallMs: ctx.sizes.maxSeconds * 1000 },
      onEvent: (e) => {
        events++;
        sink(e);
      },
    },
    ctx.signal,
  );
  await after();
  const ms = nowMs() - t0;
  throwIfAborted(ctx.signal);
  if (result.status !== 'succeeded') {
    throw new Error(`runAgent ended ${result.status}: ${result.reason}`);
  }
  return { events, lines: lines + 2, bytes: streamBytes(rig.stream, lines), ms };
}

async function transcribeAndStore(ctx: BenchContext, rig: Rig, lines: number, stepId: string): Promise<Pass> {
  const writer = new TranscriptWriter((rows) => rig.store.appendAgentEvents(rows), { stepId, attempt: 1 });
  return transcribe(
    ctx,
    rig,
    lines,
    (e) => writer.push(e),
    () => writer.flush(),
  );
}

async function floor(ctx: BenchContext, rig: Rig, lines: number): Promise<Pass> {
  const f = await measureReadlineFloor(rig.bin, launchFor(rig, lines).prompt, ctx.signal);
  if (f.lines !== lines + 2) throw new Error(`the floor read ${f.lines} lines, expected ${lines + 2}`);
  return { events: f.lines, lines: f.lines, bytes: f.bytes, ms: f.ms };
}

/** The events of one pass over the recorded lines (head, body, tail), as stored: for the raw insert. */
function sampleRows(stream: RecordedStream): { kind: string; json: string }[] {
  const t = new Transcriber({ parse: claudeCodeRuntime.createParser(), secrets: [API_KEY] });
  const text = [stream.head, ...stream.body, stream.tail].map((l) => `${l}\n`).join('');
  return [...t.push(text), ...t.end()].map((e) => ({ kind: e.kind, json: JSON.stringify(e) }));
}

export const agentsTranscript: BatonBench = {
  id: 'agents-transcript',
  title: 'Agent transcript ingestion',
  target: 'sqlite',
  section: SECTIONS.agents,
  tags: ['agents'],
  run: async (ctx) => {
    const { sizes, report, progress } = ctx;
    const s = SECTIONS.agents;
    const lines = sizes.agentStreamLines;
    const rounds = sizes.agentStreamRounds;
    const load = loadavg()[0] ?? Number.NaN;
    const dir = mkdtempSync(join(tmpdir(), 'baton-bench-agents-'));
    let store: Store | undefined;
    try {
      const stream = writeRecordedStream(dir);
      store = await openStore({ dataDir: join(dir, 'data') });
      const rig: Rig = { dir, bin: writeFakeAgentCli(dir), stream, store };

      progress.update('warm-up');
      await floor(ctx, rig, WARMUP_LINES);
      await transcribe(ctx, rig, WARMUP_LINES, () => undefined);
      await transcribeAndStore(ctx, rig, WARMUP_LINES, 'warmup');

      const floors: Pass[] = [];
      const plain: Pass[] = [];
      const stored: Pass[] = [];
      for (let r = 0; r < rounds; r++) {
        const of = `${lines.toLocaleString('en-US')} lines, round ${r + 1}/${rounds}`;
        progress.update(`readline floor, ${of}`);
        floors.push(await floor(ctx, rig, lines));
        progress.update(`runAgent, ${of}`);
        plain.push(await transcribe(ctx, rig, lines, () => undefined));
        progress.update(`runAgent + TranscriptWriter → SQLite, ${of}`);
        stored.push(await transcribeAndStore(ctx, rig, lines, `step-${r}`));
      }
      const storedEvents = stored[0]?.events ?? 0;
      progress.update(`raw SQLite insert, ${storedEvents.toLocaleString('en-US')} rows`);
      const raw = await measureRawEventInsert({
        dir,
        events: sampleRows(stream),
        rows: storedEvents,
        maxMs: sizes.maxSeconds * 1000,
        signal: ctx.signal,
      });

      const floorLines = median(floors.map((p) => perSec(p.lines, p.ms)));
      const floorMb = median(floors.map((p) => perSec(p.bytes / 1e6, p.ms)));
      const eventsPerLine = (plain[0]?.events ?? 0) / (plain[0]?.lines ?? 1);
      const floorRef = {
        label: `readline+JSON.parse floor (×${eventsPerLine.toFixed(2)} events/line)`,
        value: floorLines * eventsPerLine,
        higherIsBetter: true,
      };
      const floorMbRef = { label: 'readline+JSON.parse floor', value: floorMb, higherIsBetter: true };
      const bytes = plain[0]?.bytes ?? 0;
      report.note(
        s,
        `A fake claude (node child) prints ${(lines + 2).toLocaleString('en-US')} recorded stream-json lines ` +
          `(${(bytes / 1e6).toFixed(1)} MB; claude-write + claude-bash-partial turns, repeated) as fast as the pipe takes them; ` +
          `runAgent() reads them with the Claude Code runtime (${eventsPerLine.toFixed(2)} events per line, one API key redacted). ` +
          `Median of ${rounds} run${rounds === 1 ? '' : 's'}, spawn to exit (stored: to the last batch committed).`,
      );
      report.note(
        s,
        `The floor reads the same child with readline + JSON.parse; its events/s is its lines/s × the events per line. ` +
          `Load average before the unit: ${load.toFixed(1)} on ${availableParallelism()} cores.`,
      );
      report.add(s, 'floor: readline + JSON.parse, lines/s', floorLines, 'lines/s');
      report.add(s, 'floor: readline + JSON.parse, MB/s', floorMb, 'MB/s');
      report.add(
        s,
        'transcribed (runAgent → onEvent), events/s',
        median(plain.map((p) => perSec(p.events, p.ms))),
        'events/s',
        floorRef,
      );
      report.add(
        s,
        'transcribed (runAgent → onEvent), MB/s',
        median(plain.map((p) => perSec(p.bytes / 1e6, p.ms))),
        'MB/s',
        floorMbRef,
      );
      const storedRate = median(stored.map((p) => perSec(p.events, p.ms)));
      report.add(s, 'stored (+ TranscriptWriter → SQLite), events/s', storedRate, 'events/s', floorRef);
      report.add(
        s,
        'stored (+ TranscriptWriter → SQLite), MB/s',
        median(stored.map((p) => perSec(p.bytes / 1e6, p.ms))),
        'MB/s',
        floorMbRef,
      );
      report.add(s, 'stored events/s vs raw SQLite insert', storedRate, 'events/s', {
        label: 'raw SQLite insert, 200 rows/tx',
        value: raw.rowsPerSec,
        higherIsBetter: true,
      });
      report.add(s, 'raw SQLite insert of the same rows, 200/tx', raw.rowsPerSec, 'rows/s');
    } finally {
      await store?.close();
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
