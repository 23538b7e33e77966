import { execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  realpathSync,
  rmSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createModelServer } from '../../src/agents/modelServer/createModelServer.ts';
import { loadScenarios } from '../../src/agents/modelServer/loadScenarios.ts';
import { createApiServer } from '../../src/api/app/createApiServer.ts';
import { parseWorkflow } from '../../src/domain/workflow/parseWorkflow.ts';
import { silentLogger } from '../../src/engine/engineDeps.ts';
import { openBaton, type BatonApp } from '../../src/main/openBaton.ts';
import { TEST_ADMIN_TOKEN, testConfig } from '../api/apiHarness.ts';
import { modelRequests, type ModelServer } from '../helpers/modelServer.ts';

/**
 * An `agent:` step on the gemini-cli runtime, end to end: the engine runs the real pinned `gemini`
 * CLI (devDependency) against the scripted model server (Gemini streamGenerateContent) in a
 * temporary git repository, with its own SQLite data dir; the endpoint comes from the server's
 * environment (GOOGLE_GEMINI_BASE_URL, GEMINI_API_KEY) and the adapter writes
 * `$HOME/.gemini/settings.json` (API-key auth, telemetry off) and trusts the workspace.
 */
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const KEY = 'sk-agent-step-gemini-key-0123456789';
const SCENARIO = 'step-gemini-developer';
const FILE = 'gemini-notes.txt';
const CONTENT = 'written by gemini in a baton step\n';

/** Live processes (other than this one) whose working directory lies under `root` (Linux /proc). */
function processesUnder(root: string): string[] {
  if (!existsSync('/proc')) return [];
  const found: string[] = [];
  for (const pid of readdirSync('/proc').filter((n) => /^\d+$/.test(n))) {
    if (Number(pid) === process.pid) continue;
    try {
      const cwd = readlinkSync(`/proc/${pid}/cwd`);
      if (cwd !== root && !cwd.startsWith(`${root}/`)) continue;
      found.push(`${pid}: ${readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ').trim()}`);
    } catch {
      // exited meanwhile, a zombie, or not ours to inspect
    }
  }
  return found;
}

describe('agent step on the gemini-cli runtime (sqlite, real gemini CLI)', () => {
  let server: ModelServer;
  let dir: string;
  let work: string;
  let app: BatonApp;
  let api: FastifyInstance;
  const shutdown = new AbortController();

  beforeAll(async () => {
    server = await createModelServer({
      scenarios: await loadScenarios(join(ROOT, 'test', 'fixtures', 'scenarios', 'agent-step-runtimes.yaml')),
      apiKey: KEY,
    });
    dir = realpathSync(mkdtempSync(join(tmpdir(), 'baton-agent-step-gemini-')));
    work = join(dir, 'work');
    mkdirSync(work);
    execFileSync('git', ['init', '-q'], { cwd: work });
    // gemini reports tokens but no cost: the config's price table prices them by the model it reports
    const config = {
      ...testConfig(join(dir, 'data')),
      agentPrices: { 'gemini-2.5-*': { input: 0.3, output: 2.5 } },
    };
    app = await openBaton(config, {
      logger: silentLogger,
      runner: true,
      cwd: work,
      agentEnv: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        GOOGLE_GEMINI_BASE_URL: server.url,
        GEMINI_API_KEY: KEY,
      },
    });
    await app.engine.start();
    api = await createApiServer({
      engine: app.engine,
      store: app.store,
      config,
      logger: silentLogger,
      shutdown: shutdown.signal,
    });
  });
  afterAll(async () => {
    shutdown.abort();
    await api?.close();
    await app?.close(2_000);
    await server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('runs the developer role on gemini-cli: file on disk, transcript stored and served, usage and contract outputs', async () => {
    const yaml = readFileSync(join(ROOT, 'test', 'fixtures', 'workflows', 'agent-step-gemini.yaml'), 'utf8');
    const parsed = parseWorkflow(yaml);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    await app.engine.registerWorkflow(parsed.workflow, { source: yaml, origin: 'api', baseDir: work });
    const { run: created } = await app.engine.createRun({ workflow: 'agent-step-gemini', inputs: {} });
    const run = await app.engine.waitForRun(created.id, { signal: AbortSignal.timeout(50_000) });
    const details = await app.engine.getRun(run.id);
    const log = (await app.engine.readLogs(run.id, 'implement', null))
      .map((c) => c.data.toString('utf8'))
      .join('');

    // the step succeeded and the file the model asked for is in the repository
    expect(
      run.status,
      `${JSON.stringify(details.steps.map((s) => [s.stepKey, s.status, s.error]))}\n${log}`,
    ).toBe('succeeded');
    expect(readFileSync(join(work, FILE), 'utf8')).toBe(CONTENT);
    expect(execFileSync('git', ['status', '--porcelain'], { cwd: work, encoding: 'utf8' })).toBe(
      `?? ${FILE}\n`,
    );

    // the CLI talked to the model server with the configured key and the runtime's default model
    // (given with -m, so there is no routing call), and sent the tool's result back
    const reqs = modelRequests(server, SCENARIO);
    expect(reqs.map((q) => [q.api, q.turn, q.outcome])).toEqual([
      ['gemini', 0, 'reply'],
      ['gemini', 1, 'reply'],
    ]);
    expect(reqs[0]?.headers['x-goog-api-key']).toBe(KEY);
    expect(reqs[0]?.model).toBe('gemini-2.5-flash');
    expect(reqs[0]?.tools).toContain('write_file');
    expect(JSON.stringify(reqs[0]?.body)).toContain(`Implement: [scenario:${SCENARIO}] add a notes file`);
    expect(reqs[1]?.toolResults[0]).toMatchObject({ name: 'write_file', isError: false });
    expect(reqs[1]?.toolResults[0]?.output).toContain(`wrote to new file: ${join(work, FILE)}`);
    expect(reqs.flatMap((q) => q.warnings)).toEqual([]);

    // usage and the contract's fields became step outputs; the next step read one
    const step = details.steps.find((s) => s.stepKey === 'implement')!;
    expect(step).toMatchObject({ status: 'succeeded', attempt: 1 });
    expect(step.outputs).toMatchObject({
      changesetSummary: 'added gemini-notes.txt',
      notes: 'one new file, nothing else changed',
      artifactsOut: '["gemini-notes.txt"]',
      // the result's stats are the session's total over both model calls
      tokens_in: '670',
      tokens_out: '80',
      files_changed: '["gemini-notes.txt"]',
    });
    expect(Number(step.outputs?.['tokens_in'])).toBeGreaterThan(0);
    expect(Number(step.outputs?.['cost_usd'])).toBeCloseTo(670 * 0.3e-6 + 80 * 2.5e-6, 9);
    expect(step.outputs?.['session_id']).toEqual(expect.any(String));
    expect(details.steps.find((s) => s.stepKey === 'after')!.outputs).toEqual({
      summary: 'added gemini-notes.txt',
    });

    // the transcript is stored in order, with the events the gemini parser produces
    const transcript = await app.engine.readTranscript(run.id, 'implement', null);
    expect(transcript.attempt).toBe(1);
    const events = transcript.events.map((e) => e.event);
    const kinds = events.map((e) => e['kind']);
    expect(transcript.events.map((e) => e.seq)).toEqual(events.map((_, i) => i));
    expect(transcript.events.every((e) => e.kind === e.event['kind'])).toBe(true);
    expect(events[0]).toMatchObject({
      kind: 'session',
      session_id: step.outputs?.['session_id'],
      model: 'gemini-2.5-flash',
    });
    const call = events.find((e) => e['kind'] === 'tool_call');
    expect(call).toMatchObject({
      name: 'write_file',
      input: { file_path: join(work, FILE), content: CONTENT },
    });
    expect(events.find((e) => e['kind'] === 'tool_result')).toMatchObject({
      id: call?.['id'],
      name: 'write_file',
      is_error: false,
    });
    // Gemini's stream-json tool_result carries no output for write_file, so the parser cannot tell
    // a new file from an overwritten one: `modify` stands for "written" then
    const change = events.find((e) => e['kind'] === 'file_change');
    expect(change).toMatchObject({ path: join(work, FILE), tool_call_id: call?.['id'] });
    expect(['add', 'modify']).toContain(change?.['change']);
    expect(events.find((e) => e['kind'] === 'usage')).toMatchObject({
      mode: 'cumulative',
      tokens: { input: 670, output: 80 },
    });
    expect(kinds.indexOf('tool_call')).toBeLessThan(kinds.indexOf('tool_result'));
    expect(kinds.indexOf('tool_result')).toBeLessThan(kinds.indexOf('file_change'));
    expect(kinds.indexOf('file_change')).toBeLessThan(kinds.indexOf('usage'));
    // the assistant's text streams as deltas; the result joins those after the tool call
    expect(
      events.some((e) => e['kind'] === 'message' && e['role'] === 'assistant' && e['delta'] === true),
    ).toBe(true);
    expect(events.at(-1)).toMatchObject({
      kind: 'result',
      status: 'success',
      session_id: step.outputs?.['session_id'],
    });
    expect(JSON.parse(String(events.at(-1)?.['text']))).toEqual({
      changesetSummary: 'added gemini-notes.txt',
      notes: 'one new file, nothing else changed',
      artifactsOut: ['gemini-notes.txt'],
    });
    expect(JSON.stringify(events)).not.toContain(KEY);

    // … and served by the API, paged by seq
    const res = await api.inject({
      url: `/api/v1/runs/${run.id}/steps/implement/transcript`,
      headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` },
    });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json<{
      attempt: number;
      items: Record<string, unknown>[];
      next_after_seq: number | null;
    }>();
    expect(body.attempt).toBe(1);
    expect(body.next_after_seq).toBeNull();
    expect(body.items.map((e) => [e['seq'], e['kind']])).toEqual(events.map((e) => [e['seq'], e['kind']]));
    expect(body.items.every((e) => e['v'] === 1)).toBe(true);
    const page = await api.inject({
      url: `/api/v1/runs/${run.id}/steps/implement/transcript?after_seq=0&limit=2`,
      headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` },
    });
    expect(page.json<{ items: { seq: number }[]; next_after_seq: number }>()).toMatchObject({
      items: [{ seq: 1 }, { seq: 2 }],
      next_after_seq: 2,
    });

    // the step log is the readable rendering: the runtime, the tool call, the change, the outcome
    expect(log).toContain('agent: role developer, gemini-cli');
    expect(log).toMatch(/▸ tool write_file: \S*gemini-notes\.txt/);
    expect(log).toMatch(/◂ ok write_file/);
    expect(log).toMatch(/✎ (created|wrote) \S*gemini-notes\.txt/);
    expect(log).toContain('usage (total): 670 in / 80 out');
    expect(log).toContain('■ success: {"changesetSummary":"added gemini-notes.txt"');
    expect(log).toContain('agent succeeded');
    expect(log).not.toContain(KEY);

    // no process of the agent is left (the CLI, its sandbox or a helper it started)
    expect(processesUnder(dir)).toEqual([]);
  }, 60_000);
});
