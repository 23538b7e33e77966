import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import { type AgentCli, agentClientSetup } from '../../src/agents/modelServer/agentClientSetup.ts';
import { createModelServer } from '../../src/agents/modelServer/createModelServer.ts';
import { loadScenarios } from '../../src/agents/modelServer/loadScenarios.ts';
import {
  type CliRun,
  groupAlive,
  type ModelServer,
  modelRequests,
  runAgentCli,
} from '../helpers/modelServer.ts';

/**
 * The real agent CLIs (pinned devDependencies) against the scripted model server on 127.0.0.1:
 * isolated HOME, a clean environment, stdin closed, a hard timeout, the process group killed.
 * The environment also points HTTP(S)_PROXY at the model server, which records and refuses any
 * request for another host, so "no outside traffic" is asserted, not assumed.
 */
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = (cli: AgentCli) => join(ROOT, 'node_modules', '.bin', cli);
const KEY = 'sk-real-cli-test';
const TIMEOUT_MS = 60_000;
const CLIS: AgentCli[] = ['claude', 'codex', 'gemini'];

let server: ModelServer;
let dir: string;
let work: string;
beforeAll(async () => {
  const scenarios = await loadScenarios(join(ROOT, 'test', 'fixtures', 'scenarios'));
  server = await createModelServer({ scenarios, apiKey: KEY });
});
afterAll(() => server.close());
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'baton-realcli-'));
  work = join(dir, 'work');
  mkdirSync(work);
  mkdirSync(join(dir, 'tmp'));
  execFileSync('git', ['init', '-q'], { cwd: work });
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function args(cli: AgentCli, prompt: string): string[] {
  switch (cli) {
    case 'claude':
      return [
        '-p',
        prompt,
        '--output-format',
        'stream-json',
        '--verbose',
        '--permission-mode',
        'acceptEdits',
        '--model',
        'claude-sonnet-4-5',
      ];
    case 'codex':
      return ['exec', '--json', '-s', 'workspace-write', prompt];
    case 'gemini':
      return ['-p', prompt, '-m', 'gemini-2.5-flash', '--output-format', 'stream-json', '--yolo'];
  }
}

/** Runs `cli` on `[scenario:NAME]`; `tweak` edits its config files (e.g. Codex retries). */
async function run(
  cli: AgentCli,
  scenario: string,
  extraEnv: Record<string, string> = {},
  tweak: (content: string) => string = (c) => c,
): Promise<CliRun> {
  const setup = agentClientSetup(cli, { baseUrl: server.url, apiKey: KEY, home: join(dir, 'home') });
  for (const f of setup.files) {
    mkdirSync(dirname(f.path), { recursive: true });
    writeFileSync(f.path, tweak(f.content));
  }
  const trap = { HTTP_PROXY: server.url, HTTPS_PROXY: server.url, NO_PROXY: '127.0.0.1,localhost' };
  const env = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    TMPDIR: join(dir, 'tmp'),
    ...trap,
    ...Object.fromEntries(Object.entries(trap).map(([k, v]) => [k.toLowerCase(), v])),
    ...setup.env,
    ...extraEnv,
  };
  const r = await runAgentCli({
    bin: BIN(cli),
    args: args(cli, `[scenario:${scenario}] do the task`),
    cwd: work,
    env,
    timeoutMs: TIMEOUT_MS,
  });
  expect(r.timedOut, `${cli} timed out after ${TIMEOUT_MS} ms; stderr:\n${r.stderr}`).toBe(false);
  expect(r.leftovers, `${cli} left processes running after it exited`).toBe(0);
  expect(groupAlive(r.pid), `${cli}'s process group survived the kill`).toBe(false);
  expect(server.requests.filter((q) => q.outcome === 'blocked').map((q) => q.path)).toEqual([]);
  return r;
}

const ofType = (r: CliRun, type: string) => r.events.filter((e) => e.type === type);
const HELLO = 'Hello from the scripted model!\n';
/** The conversations of one scenario, newest last (each CLI run is one conversation). */
const lastRun = (scenario: string) => {
  const reqs = modelRequests(server, scenario);
  const first = reqs.findLastIndex((q) => q.turn === 0 && q.outcome !== 'error');
  return reqs.slice(first);
};

it.each(CLIS)(
  '%s writes the scripted file with its own tool, sends the result back, and ends with the final answer',
  async (cli) => {
    const r = await run(cli, 'cli-write', cli === 'claude' ? { CLAUDE_CODE_MAX_RETRIES: '0' } : {});
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(join(work, 'hello.txt'), 'utf8')).toBe(HELLO);
    const [first, second] = lastRun('cli-write');
    const tool = { claude: 'Write', codex: 'apply_patch', gemini: 'write_file' }[cli];
    expect(first?.tools).toContain(tool);
    expect(second?.turn).toBe(1);
    expect(second?.toolResults).toHaveLength(1);
    expect(second?.toolResults[0]?.callId).toMatch(/^call_/);
    expect(second?.toolResults[0]?.output).toMatch(
      cli === 'codex' ? /Success\. Updated the following files:\nA hello\.txt/ : /hello\.txt/,
    );
    expect(second?.warnings).toEqual([]);
    switch (cli) {
      case 'claude': {
        const [result] = ofType(r, 'result');
        expect(result).toMatchObject({
          subtype: 'success',
          is_error: false,
          result: '{"done":true,"file":"hello.txt"}',
        });
        expect(result?.usage).toMatchObject({ input_tokens: 270, output_tokens: 40 });
        expect(first?.headers['x-api-key']).toBe(KEY);
        expect(first?.model).toBe('claude-sonnet-4-5');
        break;
      }
      case 'codex': {
        const change = ofType(r, 'item.completed').find(
          (e) => (e.item as { type: string }).type === 'file_change',
        );
        expect(change?.item).toMatchObject({
          changes: [{ path: join(work, 'hello.txt'), kind: 'add' }],
          status: 'completed',
        });
        const messages = ofType(r, 'item.completed').filter(
          (e) => (e.item as { type: string }).type === 'agent_message',
        );
        expect(messages.at(-1)?.item).toMatchObject({ text: '{"done":true,"file":"hello.txt"}' });
        expect(ofType(r, 'turn.completed')[0]).toMatchObject({
          usage: { input_tokens: 270, output_tokens: 40 },
        });
        expect(first?.headers.authorization).toBe(`Bearer ${KEY}`);
        expect(first?.model).toBe('gpt-5.5');
        break;
      }
      case 'gemini': {
        expect(ofType(r, 'tool_use')[0]).toMatchObject({
          tool_name: 'write_file',
          parameters: { file_path: join(work, 'hello.txt') },
        });
        expect(ofType(r, 'tool_result')[0]).toMatchObject({ status: 'success' });
        const text = ofType(r, 'message')
          .filter((e) => e.role === 'assistant')
          .map((e) => e.content)
          .join('');
        expect(text).toContain('{"done":true,"file":"hello.txt"}');
        expect(ofType(r, 'result')[0]).toMatchObject({
          status: 'success',
          stats: { input_tokens: 270, output_tokens: 40 },
        });
        expect(first?.headers['x-goog-api-key']).toBe(KEY);
        expect(first?.model).toBe('gemini-2.5-flash');
        break;
      }
    }
  },
);

it.each(CLIS)('%s reports an HTTP 400 from the model as a failed run', async (cli) => {
  const r = await run(cli, 'cli-bad-request', cli === 'claude' ? { CLAUDE_CODE_MAX_RETRIES: '0' } : {});
  expect(modelRequests(server, 'cli-bad-request').at(-1)).toMatchObject({ status: 400, outcome: 'error' });
  switch (cli) {
    case 'claude':
      expect(r.code).toBe(1);
      expect(ofType(r, 'result')[0]).toMatchObject({
        is_error: true,
        api_error_status: 400,
        result: expect.stringContaining('fake error 400') as unknown,
      });
      break;
    case 'codex':
      expect(r.code).toBe(1);
      expect(JSON.stringify(ofType(r, 'turn.failed'))).toContain('fake error 400');
      break;
    case 'gemini':
      expect(r.code).toBe(144);
      expect(ofType(r, 'result')[0]).toMatchObject({ status: 'error' });
      expect(JSON.stringify(ofType(r, 'result')[0])).toContain('fake error 400');
      break;
  }
});

it.each(CLIS)('%s waits out a 429 with retry headers and then succeeds', async (cli) => {
  // one retry allowed: Claude via CLAUDE_CODE_MAX_RETRIES; Codex retries a 429 as a stream
  // reconnect ("Reconnecting... 1/1"), so stream_max_retries; Gemini always retries
  const r = await run(
    cli,
    'cli-rate-limited',
    cli === 'claude' ? { CLAUDE_CODE_MAX_RETRIES: '1' } : {},
    (c) => c.replace('stream_max_retries = 0', 'stream_max_retries = 1'),
  );
  expect(r.code, r.stderr).toBe(0);
  const reqs = modelRequests(server, 'cli-rate-limited').slice(-2);
  expect(reqs.map((q) => q.status)).toEqual([429, 200]);
  const waited = Date.parse(reqs[1]?.at ?? '') - Date.parse(reqs[0]?.at ?? '');
  switch (cli) {
    case 'claude':
      // Claude Code reads retry-after: its retry delay is the scripted second, not its own backoff
      expect(ofType(r, 'system').find((e) => e.subtype === 'api_retry')).toMatchObject({ error_status: 429 });
      expect(
        ofType(r, 'system').find((e) => e.subtype === 'api_retry')?.retry_delay_ms,
      ).toBeGreaterThanOrEqual(1000);
      expect(waited).toBeGreaterThanOrEqual(950);
      expect(ofType(r, 'result')[0]).toMatchObject({
        is_error: false,
        result: 'Answered after the rate limit.',
      });
      break;
    case 'codex':
      // Codex retries a 429 as a stream reconnect and waits for retry-after too
      expect(ofType(r, 'error')[0]?.message).toMatch(/Reconnecting\.\.\. 1\/1 .*429/);
      expect(waited).toBeGreaterThanOrEqual(950);
      expect(ofType(r, 'turn.completed')).toHaveLength(1);
      break;
    case 'gemini':
      // Gemini CLI reads the RetryInfo detail but waits at least its own ~5 s backoff
      expect(r.stderr).toContain('Suggested retry after 1s');
      expect(waited).toBeGreaterThanOrEqual(950);
      expect(ofType(r, 'result')[0]).toMatchObject({ status: 'success' });
      break;
  }
});

it('the harness kills the whole process group on timeout (no leaked helpers)', async () => {
  const r = await runAgentCli({
    bin: '/bin/sh',
    args: ['-c', 'sleep 30 & sleep 30'],
    cwd: work,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
    timeoutMs: 300,
  });
  expect(r).toMatchObject({ timedOut: true, signal: 'SIGKILL' });
  expect(r.ms).toBeLessThan(5000);
  expect(groupAlive(r.pid)).toBe(false);
});
