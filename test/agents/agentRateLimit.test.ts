import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { parseWorkflow } from '../../src/domain/workflow/parseWorkflow.ts';
import { silentLogger } from '../../src/engine/engineDeps.ts';
import { openBaton, type BatonApp } from '../../src/main/openBaton.ts';
import { testConfig } from '../api/apiHarness.ts';

/**
 * A provider's rate limit parks an agent step until the reset time; it then runs again by itself.
 * The CLI is a stand-in script speaking Claude Code's stream-json: rejected by a usage limit that
 * resets in 2 s the first time, successful the second.
 */
let dir: string;
let work: string;
let app: BatonApp;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'baton-agent-ratelimit-'));
  work = join(dir, 'work');
  mkdirSync(work);
  execFileSync('git', ['init', '-q'], { cwd: work });
  const line = (o: unknown) => `echo '${JSON.stringify(o)}'`;
  const resetsAt = Math.ceil(Date.now() / 1000) + 2;
  const fake = join(dir, 'fake-claude');
  const answer = JSON.stringify({ changesetSummary: 'done after the limit' });
  writeFileSync(
    fake,
    [
      '#!/bin/sh',
      'MARK="$(dirname "$0")/limited"',
      'if [ ! -f "$MARK" ]; then',
      '  touch "$MARK"',
      `  ${line({ type: 'system', subtype: 'init', session_id: 'sess-1', model: 'm', cwd: work })}`,
      `  ${line({ type: 'rate_limit_event', rate_limit_info: { status: 'rejected', rateLimitType: 'five_hour', resetsAt } })}`,
      `  ${line({ type: 'result', subtype: 'error_during_execution', is_error: true, result: 'usage limit reached', session_id: 'sess-1' })}`,
      '  exit 1',
      'fi',
      line({ type: 'system', subtype: 'init', session_id: 'sess-2', model: 'm', cwd: work }),
      line({
        type: 'assistant',
        message: { id: 'msg_1', role: 'assistant', content: [{ type: 'text', text: answer }] },
      }),
      line({
        type: 'result',
        subtype: 'success',
        is_error: false,
        result: answer,
        session_id: 'sess-2',
        num_turns: 1,
        total_cost_usd: 0.001,
        usage: { input_tokens: 10, output_tokens: 5 },
      }),
      '',
    ].join('\n'),
    { mode: 0o755 },
  );
  app = await openBaton(testConfig(join(dir, 'data')), {
    logger: silentLogger,
    runner: true,
    cwd: work,
    agentEnv: { PATH: process.env.PATH ?? '/usr/bin:/bin', BATON_CLAUDE_CODE_BIN: fake },
  });
  await app.engine.start();
});
afterAll(async () => {
  await app?.close(2_000);
  rmSync(dir, { recursive: true, force: true });
});

it('parks a rate-limited agent step until the reset, then it succeeds by itself', async () => {
  const yaml = `
name: agent-rate-limited
steps:
  - id: implement
    agent: { role: developer, prompt: "do it" }
`;
  const parsed = parseWorkflow(yaml);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  await app.engine.registerWorkflow(parsed.workflow, { source: yaml, origin: 'api', baseDir: work });
  const { run } = await app.engine.createRun({ workflow: 'agent-rate-limited', inputs: {} });
  const done = await app.engine
    .waitForRun(run.id, { signal: AbortSignal.timeout(30_000) })
    .catch(async (e: unknown) => {
      const x = await app.engine.getRun(run.id);
      throw new Error(
        `${String(e)}: ${JSON.stringify({ steps: x.steps, events: await app.engine.listEvents(0, 100, run.id) })}`,
      );
    });
  const d = await app.engine.getRun(done.id);
  expect(done.status, JSON.stringify(d.steps)).toBe('succeeded');
  const step = d.steps[0]!;
  expect(step).toMatchObject({ attempt: 2, failures: 0 });
  expect(step.outputs).toMatchObject({ changesetSummary: 'done after the limit', session_id: 'sess-2' });
  const parked = (await app.engine.listEvents(0, 500, run.id)).find((e) => e.type === 'step.rate_limited');
  expect(parked?.payload).toMatchObject({ step: 'implement', attempt: 1 });
  const resumesAt = Date.parse(String(parked?.payload['resumesAt']));
  expect(d.attempts.map((a) => a.status)).toEqual(['failed', 'succeeded']);
  expect(d.attempts[1]!.startedAt).toBeGreaterThanOrEqual(resumesAt);
}, 60_000);
