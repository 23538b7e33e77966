import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
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
import { groupAlive, type ModelServer } from '../helpers/modelServer.ts';

/** runAgent end to end: each real CLI (pinned devDependency) against the scripted model server. */
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const KEY = 'sk-run-agent-test-key';
const GRANTED = 'granted-secret-value-4711';

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
  dir = mkdtempSync(join(tmpdir(), 'baton-runagent-'));
  work = join(dir, 'work');
  mkdirSync(work);
  execFileSync('git', ['init', '-q'], { cwd: work });
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function run(
  id: CliRuntimeId,
  scenario: string,
  launch: Partial<AgentLaunch> = {},
  opts: AgentRunOptions = {},
): Promise<{ result: AgentRunResult; events: TranscriptEvent[] }> {
  const events: TranscriptEvent[] = [];
  const trap = { HTTP_PROXY: server.url, HTTPS_PROXY: server.url, NO_PROXY: '127.0.0.1,localhost' };
  const result = await runAgent(
    CLI_RUNTIMES[id],
    {
      prompt: `[scenario:${scenario}] do the task`,
      cwd: work,
      endpoint: { baseUrl: server.url, apiKey: KEY },
      grantedEnv: { MY_DEPLOY_TOKEN: GRANTED },
      homeDir: join(dir, 'home'),
      maxRetries: 0,
      ...launch,
    },
    {
      killGraceMs: 1000,
      extraEnv: { ...trap, http_proxy: server.url, https_proxy: server.url, no_proxy: trap.NO_PROXY },
      onEvent: (e) => events.push(e),
      ...opts,
      limits: { maxWallMs: 60_000, ...opts.limits },
    },
  );
  if (result.pid !== null) expect(groupAlive(result.pid), `${id} left processes behind`).toBe(false);
  expect(server.requests.filter((q) => q.outcome === 'blocked').map((q) => q.path)).toEqual([]);
  return { result, events };
}

const MODELS: Record<CliRuntimeId, string> = {
  'claude-code': 'claude-sonnet-4-5',
  codex: 'gpt-5.5',
  'gemini-cli': 'gemini-2.5-flash',
};

it.each(Object.keys(MODELS) as CliRuntimeId[])(
  '%s writes the file, streams ordered events, records usage and the final JSON answer',
  async (id) => {
    const { result, events } = await run(id, 'cli-write', { model: MODELS[id] });
    expect(result.status, `${result.reason}\n${result.stderrTail}`).toBe('succeeded');
    expect(result.exitCode).toBe(0);
    expect(readFileSync(join(work, 'hello.txt'), 'utf8')).toBe('Hello from the scripted model!\n');
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i));
    expect(events[0]?.kind).toBe('session');
    const kinds = events.map((e) => e.kind);
    expect(kinds.indexOf('tool_call')).toBeLessThan(kinds.lastIndexOf('result'));
    expect(result.sessionId).toEqual(expect.any(String));
    const s = result.summary;
    expect(s.usage).toMatchObject({ input: 270, output: 40 });
    expect(s.files_changed.map((f) => f.path)).toEqual(['hello.txt']);
    expect(JSON.parse(s.final_text ?? 'null')).toEqual({ done: true, file: 'hello.txt' });
    if (id === 'claude-code') expect(s.cost_usd).toBeGreaterThan(0);
    const all = JSON.stringify(events);
    expect(all).not.toContain(KEY);
    expect(all).not.toContain(GRANTED);
  },
);
