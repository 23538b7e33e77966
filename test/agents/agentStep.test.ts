import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createModelServer } from '../../src/agents/modelServer/createModelServer.ts';
import { loadScenarios } from '../../src/agents/modelServer/loadScenarios.ts';
import { parseWorkflow } from '../../src/domain/workflow/parseWorkflow.ts';
import { silentLogger } from '../../src/engine/engineDeps.ts';
import { openBaton, type BatonApp } from '../../src/main/openBaton.ts';
import { testConfig } from '../api/apiHarness.ts';
import type { ModelServer } from '../helpers/modelServer.ts';

/** `agent:` steps end to end: the engine runs the real claude CLI against the scripted model server. */
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const KEY = 'sk-agent-step-test-key';

describe('agent steps (sqlite, real claude CLI)', () => {
  let server: ModelServer;
  let dir: string;
  let work: string;
  let app: BatonApp;

  beforeAll(async () => {
    server = await createModelServer({
      scenarios: [
        ...(await loadScenarios(join(ROOT, 'test', 'fixtures', 'scenarios'))),
        ...(await loadScenarios(join(ROOT, 'examples', 'scenarios', 'agent-change.yaml'))),
      ],
      apiKey: KEY,
    });
    dir = mkdtempSync(join(tmpdir(), 'baton-agent-step-'));
    work = join(dir, 'work');
    mkdirSync(work);
    execFileSync('git', ['init', '-q'], { cwd: work });
    app = await openBaton(
      { ...testConfig(join(dir, 'data')), concurrency: 2 },
      {
        logger: silentLogger,
        runner: true,
        cwd: work,
        agentEnv: {
          PATH: process.env.PATH ?? '/usr/bin:/bin',
          ANTHROPIC_BASE_URL: server.url,
          ANTHROPIC_API_KEY: KEY,
        },
      },
    );
    await app.engine.start();
  });
  afterAll(async () => {
    await app?.close(2_000);
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function runWorkflow(yaml: string) {
    const parsed = parseWorkflow(yaml);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    await app.engine.registerWorkflow(parsed.workflow, { source: yaml, origin: 'api', baseDir: work });
    const { run } = await app.engine.createRun({ workflow: parsed.workflow.name, inputs: {} });
    const done = await app.engine.waitForRun(run.id, { signal: AbortSignal.timeout(90_000) });
    const details = await app.engine.getRun(done.id);
    const logs = async (step: string) =>
      (await app.engine.readLogs(done.id, step, null)).map((c) => c.data.toString('utf8')).join('');
    return { run: done, details, logs };
  }

  it('runs a role on claude-code: the file is on disk, the transcript is in the logs, outputs follow the contract', async () => {
    const { run, details, logs } = await runWorkflow(`
name: agent-developer
steps:
  - id: implement
    agent:
      role: coding
      model: claude-sonnet-4-5
      prompt: "[scenario:step-developer] add a greeting file"
    budget: { wall: 60s }
  - id: after
    needs: implement
    run: echo "summary={{ steps.implement.outputs.changesetSummary }}" >> "$BATON_OUTPUT"
    outputs: [summary]
`);
    expect(run.status, JSON.stringify(details.steps.map((s) => [s.stepKey, s.status, s.error]))).toBe(
      'succeeded',
    );
    expect(readFileSync(join(work, 'greeting.txt'), 'utf8')).toBe('hello from an agent step\n');
    const step = details.steps.find((s) => s.stepKey === 'implement')!;
    expect(step.outputs).toMatchObject({
      changesetSummary: 'added greeting.txt',
      notes: 'nothing else changed',
      tokens_in: '460',
      tokens_out: '60',
    });
    const changed = JSON.parse(String(step.outputs?.['files_changed'])) as string[];
    expect(changed).toHaveLength(1);
    expect(changed[0]).toMatch(/(^|\/)greeting\.txt$/);
    expect(details.steps.find((s) => s.stepKey === 'after')!.outputs).toEqual({
      summary: 'added greeting.txt',
    });
    const log = await logs('implement');
    expect(log).toContain('agent: role developer, claude-code, model claude-sonnet-4-5');
    expect(log).toMatch(/greeting\.txt/);
    expect(log).toContain('agent succeeded');
    expect(log).not.toContain(KEY);
    const transcript = await app.engine.readTranscript(run.id, 'implement', null);
    expect(transcript.attempt).toBe(1);
    const kinds = transcript.events.map((e) => e.kind);
    expect(kinds[0]).toBe('session');
    expect(kinds).toContain('tool_call');
    expect(kinds).toContain('file_change');
    expect(kinds.at(-1)).toBe('result');
    expect(transcript.events.map((e) => e.seq)).toEqual(transcript.events.map((_, i) => i));
    expect(JSON.stringify(transcript.events)).not.toContain(KEY);
  }, 120_000);

  it('fails a step whose answer breaks its role contract, naming the field', async () => {
    const { run, details } = await runWorkflow(`
name: agent-review-bad
steps:
  - id: review
    agent: { role: reviewer, model: claude-sonnet-4-5, prompt: "[scenario:step-review-bad-verdict] review" }
`);
    expect(run.status).toBe('failed');
    expect(details.steps[0]!.error?.message).toMatch(
      /field "verdict" is "maybe", not one of approve, changes_requested/,
    );
  }, 120_000);

  it('routes on a review verdict, and names a role missing from the catalog', async () => {
    const ok = await runWorkflow(`
name: agent-review-ok
steps:
  - id: review
    agent: { role: code-reviewer, model: claude-sonnet-4-5, prompt: "[scenario:step-review-ok] review" }
  - id: merge
    needs: review
    if: steps.review.outputs.verdict == "approve"
    run: echo merged
`);
    expect(ok.run.status).toBe('succeeded');
    expect(ok.details.steps.find((s) => s.stepKey === 'merge')!.status).toBe('succeeded');
    const missing = await runWorkflow(`
name: agent-missing-role
steps:
  - id: x
    agent: { role: astronaut, prompt: "fly" }
`);
    expect(missing.run.status).toBe('failed');
    expect(missing.details.steps[0]!.error?.message).toContain(
      'role "astronaut" is not in the catalog of workspace "default"',
    );
  }, 120_000);

  it('examples/agent-change.yaml: implement, review, then a human signs off', async () => {
    const yaml = readFileSync(join(ROOT, 'examples', 'agent-change.yaml'), 'utf8');
    const parsed = parseWorkflow(yaml);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    await app.engine.registerWorkflow(parsed.workflow, { source: yaml, origin: 'api', baseDir: work });
    const { run } = await app.engine.createRun({
      workflow: 'agent-change',
      inputs: { task: '[scenario:agent-change] add a greeting' },
    });
    const deadline = Date.now() + 90_000;
    let d = await app.engine.getRun(run.id);
    while (d.run.status !== 'awaiting_approval' && d.run.status !== 'failed' && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      d = await app.engine.getRun(run.id);
    }
    expect(d.run.status, JSON.stringify(d.steps.map((s) => [s.stepKey, s.status, s.error]))).toBe(
      'awaiting_approval',
    );
    expect(d.steps.find((s) => s.stepKey === 'review')!.outputs).toMatchObject({ verdict: 'approve' });
    expect(d.waits[0]!.payload['message']).toBe('Merge: added hello-agent.txt?');
    expect(readFileSync(join(work, 'hello-agent.txt'), 'utf8')).toBe('Hello from an agent!\n');
    await app.engine.cancel(run.id, { by: 'test' });
  }, 120_000);

  it("holds a run's token budget across its agent steps", async () => {
    const { run, details } = await runWorkflow(`
name: agent-run-budget
budget: { tokens: 600 }
steps:
  - id: first
    agent: { role: developer, model: claude-sonnet-4-5, prompt: "[scenario:step-developer] once" }
  - id: second
    needs: first
    agent: { role: developer, model: claude-sonnet-4-5, prompt: "[scenario:step-developer] again" }
`);
    expect(run.status).toBe('failed');
    const [first, second] = details.steps;
    expect(first).toMatchObject({ status: 'succeeded', outputs: { tokens_in: '460', tokens_out: '60' } });
    expect(second!.status).toBe('failed');
    expect(second!.error?.message).toMatch(/^budget_exceeded: .*token/);
  }, 120_000);
});
