import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseWorkflow } from '../../src/domain/workflow/parseWorkflow.ts';
import { silentLogger } from '../../src/engine/engineDeps.ts';
import { openAccountsStore } from '../../src/accounts/openAccountsStore.ts';
import { openBaton, type BatonApp } from '../../src/main/openBaton.ts';
import { testConfig } from '../api/apiHarness.ts';

/**
 * Sessions and spend across attempts. The CLI is a stand-in speaking Claude Code's stream-json that
 * logs its arguments: `[limit-once]` in the prompt makes its first run of a session do some work and
 * then hit a usage limit (reset in 1 s); every run reports 10 tokens in and 5 out.
 */
const FAKE = String.raw`#!/usr/bin/env node
const fs = require('node:fs');
const path = require('node:path');
const argv = process.argv.slice(2);
const arg = (f) => { const i = argv.indexOf(f); return i < 0 ? undefined : argv[i + 1]; };
const prompt = arg('-p') ?? '';
const session = arg('--resume') ?? arg('--session-id') ?? 'no-session';
const LOG = path.join(__dirname, 'calls.ndjson');
fs.appendFileSync(LOG, JSON.stringify({ argv, session }) + '\n');
const out = (o) => process.stdout.write(JSON.stringify(o) + '\n');
const usage = { input_tokens: 10, output_tokens: 5 };
out({ type: 'system', subtype: 'init', session_id: session, model: 'm', cwd: process.cwd() });
out({ type: 'assistant', message: { id: 'msg_' + Date.now(), role: 'assistant', content: [{ type: 'text', text: 'working' }], usage } });
const mark = path.join(__dirname, 'limited-' + session);
if (prompt.includes('[limit-once]') && !fs.existsSync(mark)) {
  fs.writeFileSync(mark, '');
  out({ type: 'rate_limit_event', rate_limit_info: { status: 'rejected', rateLimitType: 'five_hour', resetsAt: Math.ceil(Date.now() / 1000) + 1 } });
  out({ type: 'result', subtype: 'error_during_execution', is_error: true, result: 'usage limit reached', session_id: session, usage });
  process.exit(1);
}
const answer = JSON.stringify({ changesetSummary: 'done in ' + session });
out({ type: 'result', subtype: 'success', is_error: false, result: answer, session_id: session, num_turns: 1, total_cost_usd: 0.01, usage });
`;

describe('agent sessions and spend across attempts (sqlite, stand-in claude)', () => {
  let dir: string;
  let work: string;
  let log: string;
  let app: BatonApp;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'baton-agent-sessions-'));
    work = join(dir, 'work');
    mkdirSync(work);
    execFileSync('git', ['init', '-q'], { cwd: work });
    const fake = join(dir, 'fake-claude');
    writeFileSync(fake, FAKE, { mode: 0o755 });
    log = join(dir, 'calls.ndjson');
    writeFileSync(log, '');
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

  const calls = (): { argv: string[]; session: string }[] =>
    readFileSync(log, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { argv: string[]; session: string });

  async function runWorkflow(yaml: string) {
    const parsed = parseWorkflow(yaml);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    await app.engine.registerWorkflow(parsed.workflow, { source: yaml, origin: 'api', baseDir: work });
    const { run } = await app.engine.createRun({ workflow: parsed.workflow.name, inputs: {} });
    const done = await app.engine.waitForRun(run.id, { signal: AbortSignal.timeout(30_000) });
    return { done, details: await app.engine.getRun(done.id) };
  }

  it('an attempt interrupted after doing work is resumed in its session, and both attempts count', async () => {
    const before = calls().length;
    const { done, details } = await runWorkflow(`
name: resume-after-limit
steps:
  - id: implement
    agent: { prompt: "[limit-once] add the file" }
`);
    expect(done.status, JSON.stringify(details.steps)).toBe('succeeded');
    const mine = calls().slice(before);
    expect(mine).toHaveLength(2);
    const first = mine[0]!;
    expect(first.argv).toContain('--session-id');
    expect(mine[1]!.argv).toEqual(expect.arrayContaining(['--resume', first.session]));
    expect(mine[1]!.argv.join(' ')).toMatch(/interrupted \(rate_limited/);
    const attempts = await app.store.listAgentAttempts(done.id);
    expect(attempts.map((a) => [a.attempt, a.status, a.sessionId])).toEqual([
      [1, 'rate_limited', first.session],
      [2, 'succeeded', first.session],
    ]);
    expect(await app.store.sumAgentSpend({ runId: done.id })).toEqual({ tokens: 30, usd: 0.01, attempts: 2 }); // the limited attempt reported no cost
    expect(details.steps[0]?.outputs).toMatchObject({ changesetSummary: `done in ${first.session}` });
  }, 30_000);

  it('agent.continue sends the prompt to an earlier step’s session', async () => {
    const before = calls().length;
    const { done } = await runWorkflow(`
name: follow-up
steps:
  - id: implement
    agent: { prompt: "write it" }
  - id: fix
    needs: [implement]
    agent: { prompt: "now fix the review comments", continue: implement }
`);
    expect(done.status).toBe('succeeded');
    const [a, b] = calls().slice(before);
    expect(a?.argv).toContain('--session-id');
    expect(b?.argv).toEqual(expect.arrayContaining(['--resume', a!.session, '-p']));
    expect(b?.argv[b.argv.indexOf('-p') + 1]).toContain('now fix the review comments');
  }, 30_000);

  it('gives a role its context packs (repository files) in the prompt', async () => {
    writeFileSync(join(work, 'ARCHITECTURE.md'), '# Architecture\nThe queue is a table.\n');
    mkdirSync(join(work, 'docs', 'adr'), { recursive: true });
    writeFileSync(join(work, 'docs', 'adr', '001-sqlite.md'), 'We use SQLite by default.\n');
    const accounts = openAccountsStore({
      databaseUrl: undefined,
      dataDir: join(dir, 'data'),
      schema: undefined,
    });
    try {
      await accounts.upsertRole({
        workspaceId: 'default',
        name: 'architect',
        spec: {
          title: 'Architect',
          prompt: 'Task: {{ task }}\n\nWhat you know:\n{{ context }}',
          context_packs: [{ files: ['ARCHITECTURE.md'] }, { decisions: 'docs/adr/*.md' }],
        },
        onboarding: null,
        updatedBy: 'test',
        createdAt: Date.now(),
        updatedAt: Date.now(),
      });
    } finally {
      await accounts.close();
    }
    const before = calls().length;
    const { done } = await runWorkflow(`
name: with-context
steps:
  - id: design
    agent: { role: architect, prompt: "plan the queue" }
`);
    expect(done.status).toBe('succeeded');
    const call = calls().slice(before)[0]!;
    const prompt = call.argv[call.argv.indexOf('-p') + 1] ?? '';
    expect(prompt).toContain('Task: plan the queue');
    expect(prompt).toContain('### ARCHITECTURE.md');
    expect(prompt).toContain('The queue is a table.');
    expect(prompt).toContain('We use SQLite by default.');
  }, 30_000);

  it('grants the secrets a step names (allowed by BATON_STEP_ENV), and refuses others', async () => {
    const allowed = await runWorkflow(`
name: with-secret
steps:
  - id: implement
    agent: { prompt: "use the registry", secrets: [NPM_TOKEN] }
`);
    expect(allowed.done.status).toBe('failed');
    expect(allowed.details.steps[0]?.error?.message).toBe(
      'agent.secrets names NPM_TOKEN, which steps may not receive: add it to BATON_STEP_ENV on the server',
    );
  });

  it('refuses a continue that names no earlier agent step', () => {
    const parsed = parseWorkflow(`
name: bad-continue
steps:
  - id: a
    agent: { prompt: "x", continue: nope }
`);
    expect(parsed.ok).toBe(false);
    expect(parsed.ok ? [] : parsed.errors.map((e) => e.message)).toContain(
      '"nope" is not an agent step of this workflow',
    );
  });

  it('a workspace budget lowers each step’s limit to what is left and refuses to start once it is spent', async () => {
    const spent = await app.store.sumAgentSpend({ workspaceId: 'default', since: 0 });
    await app.store.setWorkspaceBudget('default', {
      workspaceId: 'default',
      tokens: spent.tokens + 16,
      usd: null,
      period: 'total',
      updatedAt: Date.now(),
      updatedBy: 'test',
    });
    const flow = (n: string) => `
name: ws-budget-${n}
steps:
  - id: implement
    agent: { prompt: "small job" }
`;
    const ok = await runWorkflow(flow('1'));
    expect(ok.done.status).toBe('succeeded'); // 15 of the 16 tokens left
    const stopped = await runWorkflow(flow('2'));
    expect(stopped.done.status).toBe('failed');
    expect(stopped.details.steps[0]?.error?.message).toMatch(/^budget_exceeded: /);
    const before = calls().length;
    const refused = await runWorkflow(flow('3'));
    expect(refused.done.status).toBe('failed');
    expect(refused.details.steps[0]?.error?.message).toMatch(
      /budget_exceeded: workspace "default" has spent its token budget of \d+/,
    );
    expect(calls().length).toBe(before); // the CLI never started
    const attempts = await app.store.listAgentAttempts(refused.done.id);
    expect(attempts).toMatchObject([{ status: 'budget_exceeded', tokensIn: 0 }]);
    await app.store.setWorkspaceBudget('default', null);
  }, 30_000);
});
