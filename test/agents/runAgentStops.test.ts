import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import { createModelServer } from '../../src/agents/modelServer/createModelServer.ts';
import { loadScenarios } from '../../src/agents/modelServer/loadScenarios.ts';
import type { AgentLaunch, CliRuntimeId } from '../../src/agents/run/AgentRuntime.ts';
import { runAgent, type AgentRunOptions, type AgentRunResult } from '../../src/agents/run/runAgent.ts';
import { CLI_RUNTIMES } from '../../src/agents/runtimes/runtimeRegistry.ts';
import type { TranscriptEvent } from '../../src/agents/transcript/transcriptEvent.ts';
import { groupAlive, modelRequests, type ModelServer } from '../helpers/modelServer.ts';

/** runAgent's hard stops, with the real CLIs against the scripted model server (and fake binaries). */
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const KEY = 'sk-run-agent-stops-key';

let server: ModelServer;
let dir: string;
let work: string;
beforeAll(async () => {
  server = await createModelServer({
    scenarios: await loadScenarios(join(ROOT, 'test', 'fixtures', 'scenarios')),
    apiKey: KEY,
  });
});
afterAll(() => server.close());
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'baton-runagent-stops-'));
  work = join(dir, 'work');
  mkdirSync(work);
  execFileSync('git', ['init', '-q'], { cwd: work });
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function run(
  id: CliRuntimeId,
  scenario: string,
  opts: AgentRunOptions = {},
  signal?: AbortSignal,
  launch: Partial<AgentLaunch> = {},
): Promise<{ result: AgentRunResult; events: TranscriptEvent[] }> {
  const events: TranscriptEvent[] = [];
  const result = await runAgent(
    CLI_RUNTIMES[id],
    {
      prompt: `[scenario:${scenario}] do the task`,
      cwd: work,
      model: id === 'claude-code' ? 'claude-sonnet-4-5' : undefined,
      endpoint: { baseUrl: server.url, apiKey: KEY },
      grantedEnv: {},
      homeDir: join(dir, 'home'),
      maxRetries: 0,
      ...launch,
    },
    {
      killGraceMs: 1000,
      extraEnv: { HTTP_PROXY: server.url, HTTPS_PROXY: server.url, NO_PROXY: '127.0.0.1,localhost' },
      onEvent: (e) => events.push(e),
      ...opts,
      limits: { maxWallMs: 60_000, ...opts.limits },
    },
    signal,
  );
  if (result.pid !== null) expect(groupAlive(result.pid), `${id} left processes behind`).toBe(false);
  return { result, events };
}

it('stops claude on its token budget and kills it', async () => {
  const { result } = await run('claude-code', 'run-big-usage', { limits: { maxTokens: 100_000 } });
  expect(result.status).toBe('budget_exceeded');
  expect(result.reason).toMatch(/token budget exceeded: \d+ > 100000/);
});

it('stops claude at the wall-time limit of a slow stream', async () => {
  const t0 = Date.now();
  const { result } = await run('claude-code', 'run-slow', { limits: { maxWallMs: 2000 } });
  expect(result).toMatchObject({ status: 'timed_out', reason: 'wall time limit of 2 s reached' });
  expect(Date.now() - t0).toBeLessThan(6000);
});

it('kills claude when its output stalls', async () => {
  const t0 = Date.now();
  // the limit leaves the CLI time to start on a loaded machine; the model then stays silent for 8 s
  const { result, events } = await run('claude-code', 'run-stall', { limits: { stallMs: 3000 } });
  expect(result.status).toBe('stalled');
  expect(result.reason).toMatch(/^no output for 3(\.\d)? s \(stall limit 3 s\)$/);
  expect(events[0]?.kind).toBe('session');
  expect(Date.now() - t0).toBeLessThan(8000);
});

it.each([
  ['claude-code', 'Bash'],
  ['codex', 'shell'],
] as [CliRuntimeId, string][])('stops %s repeating the same shell call', async (id, tool) => {
  const { result, events } = await run(id, 'run-loop', { limits: { loopThreshold: 3 } });
  expect(result.status).toBe('looping');
  expect(result.reason).toMatch(new RegExp(`^the same tool call 3 times in a row: ${tool} .*echo same`));
  expect(events.filter((e) => e.kind === 'tool_call').length).toBeGreaterThanOrEqual(3);
});

it.each(['claude-code', 'codex', 'gemini-cli'] as CliRuntimeId[])(
  '%s giving up on a 429 is rate_limited with a reset time',
  async (id) => {
    const before = Date.now();
    const { result } = await run(id, 'run-rate-limited');
    expect(result.status, result.reason).toBe('rate_limited');
    expect(result.rateLimitResetAt).toBeGreaterThan(before);
    expect(modelRequests(server, 'run-rate-limited').at(-1)).toMatchObject({ status: 429 });
  },
);

it('cancels claude through the AbortSignal', async () => {
  const ac = new AbortController();
  setTimeout(() => ac.abort('user request'), 1000);
  const t0 = Date.now();
  const { result } = await run('claude-code', 'run-stall', {}, ac.signal);
  expect(result).toMatchObject({ status: 'cancelled', reason: 'cancelled (user request)' });
  expect(Date.now() - t0).toBeLessThan(5000);
});

it('reports a CLI that dies mid-stream as crashed, with its stderr', async () => {
  const fake = join(dir, 'fake-claude');
  const init = { type: 'system', subtype: 'init', session_id: 'sess-crash', model: 'm', cwd: work };
  const text = {
    type: 'assistant',
    message: { id: 'msg_1', role: 'assistant', content: [{ type: 'text', text: 'Working on it.' }] },
  };
  const script = [
    '#!/bin/sh',
    `echo '${JSON.stringify(init)}'`,
    `echo '${JSON.stringify(text)}'`,
    'sleep 30 &',
    'echo "fatal: out of memory" >&2',
    'exit 1',
  ];
  writeFileSync(fake, `${script.join('\n')}\n`, { mode: 0o755 });
  const hostEnv = { PATH: process.env.PATH, BATON_CLAUDE_CODE_BIN: fake };
  const { result, events } = await run('claude-code', 'unused', { hostEnv });
  expect(result).toMatchObject({ status: 'crashed', exitCode: 1, sessionId: 'sess-crash' });
  expect(result.reason).toBe('claude exited with code 1 without a result; stderr: fatal: out of memory');
  expect(events.map((e) => e.kind)).toEqual(['session', 'message']);
});

it('names the package to install when the binary is missing', async () => {
  const hostEnv = { PATH: process.env.PATH, BATON_CODEX_BIN: '/nonexistent' };
  const { result } = await run('codex', 'cli-write', { hostEnv });
  expect(result.status).toBe('failed');
  expect(result.reason).toBe(
    'codex not found (BATON_CODEX_BIN=/nonexistent is not an executable file): npm install @openai/codex',
  );
  expect(result.pid).toBeNull();
  expect(existsSync(join(work, 'hello.txt'))).toBe(false);
});
