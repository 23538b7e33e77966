import { mkdtempSync, rmSync } from 'node:fs';
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
import { bareOrigin, git } from '../helpers/bareOrigin.ts';
import type { ModelServer } from '../helpers/modelServer.ts';
import { registerRepository } from '../helpers/registerRepository.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const KEY = 'sk-agent-commit-test-key';

const flow = (name: string, scenario: string, commit: string) => `
name: ${name}
steps:
  - id: ws
    uses: git/workspace
    with: { repository: acme/demo, slug: ${name} }
  - id: implement
    needs: ws
    working_directory: "{{ steps.ws.outputs.path }}"
    agent:
      role: coding
      model: claude-sonnet-4-5
      prompt: "[scenario:${scenario}] add a greeting file"
      commit: ${commit}
    budget: { wall: 60s }
`;

/**
 * `agent.commit`: the real claude CLI (against the scripted model server) changes a worktree; Baton
 * commits its work host-side with the agent's summary as the message and pushes the branch — and
 * pushes nothing when the agent step failed, unless the workflow says so (`on_failure`).
 */
describe('agent steps commit and push their work host-side (sqlite, real claude CLI)', () => {
  let server: ModelServer;
  let dir: string;
  let origin: string;
  let app: BatonApp;

  beforeAll(async () => {
    server = await createModelServer({
      scenarios: await loadScenarios(join(ROOT, 'test', 'fixtures', 'scenarios', 'agent-step.yaml')),
      apiKey: KEY,
    });
    dir = mkdtempSync(join(tmpdir(), 'baton-agent-commit-'));
    let seed: string;
    ({ origin, seed } = bareOrigin(dir));
    app = await openBaton(testConfig(join(dir, 'data')), {
      logger: silentLogger,
      runner: true,
      cwd: seed,
      agentEnv: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        ANTHROPIC_BASE_URL: server.url,
        ANTHROPIC_API_KEY: KEY,
      },
    });
    await registerRepository(join(dir, 'data'), 'acme/demo', origin);
    await app.engine.start();
  });
  afterAll(async () => {
    await app?.close(2_000);
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function run(yaml: string) {
    const parsed = parseWorkflow(yaml);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    await app.engine.registerWorkflow(parsed.workflow, { source: yaml, origin: 'api', baseDir: dir });
    const { run } = await app.engine.createRun({ workflow: parsed.workflow.name, inputs: {} });
    const done = await app.engine.waitForRun(run.id, { signal: AbortSignal.timeout(90_000) });
    const d = await app.engine.getRun(done.id);
    const step = (k: string) => d.steps.find((s) => s.stepKey === k)!;
    const log = async (k: string) =>
      (await app.engine.readLogs(done.id, k, null)).map((c) => c.data.toString()).join('');
    return { status: done.status, step, log };
  }
  const remoteHas = (branch: string) => git(origin, 'branch', '--list', branch) !== '';

  it("commits the agent's work with its summary and pushes the branch", async () => {
    const r = await run(flow('commit-ok', 'step-developer', '{ repository: acme/demo }'));
    expect(r.status, JSON.stringify(r.step('implement').error)).toBe('succeeded');
    const branch = String(r.step('ws').outputs?.branch);
    expect(r.step('implement').outputs).toMatchObject({
      changesetSummary: 'added greeting.txt',
      committed: 'true',
      pushed: 'true',
      branch,
    });
    const sha = String(r.step('implement').outputs?.commit_sha);
    expect(git(origin, 'rev-parse', branch)).toBe(sha);
    expect(git(origin, 'show', `${branch}:greeting.txt`)).toBe('hello from an agent step');
    expect(git(origin, 'log', '-1', '--format=%s%n%an <%ae>', branch)).toBe(
      'added greeting.txt\nBaton <baton@localhost>',
    );
    expect(await r.log('implement')).toContain(`pushed ${sha.slice(0, 12)} to refs/heads/${branch}`);
  }, 120_000);

  it('pushes nothing when the agent step failed, unless on_failure says so', async () => {
    const failed = await run(flow('commit-failed', 'step-developer-unfinished', 'true'));
    expect(failed.status).toBe('failed');
    expect(await failed.log('implement')).toContain(
      'not committing: the agent step did not succeed (failure)',
    );
    expect(remoteHas(String(failed.step('ws').outputs?.branch))).toBe(false);

    const forced = await run(
      flow(
        'commit-anyway',
        'step-developer-unfinished',
        '{ on_failure: true, message: "WIP: unfinished greeting" }',
      ),
    );
    expect(forced.status).toBe('failed'); // the step still failed: its work was kept on the branch
    const branch = String(forced.step('ws').outputs?.branch);
    expect(forced.step('implement').outputs).toMatchObject({ committed: 'true', pushed: 'true' });
    expect(git(origin, 'show', `${branch}:half-done.txt`)).toBe('not finished');
    expect(git(origin, 'log', '-1', '--format=%s', branch)).toBe('WIP: unfinished greeting');
  }, 120_000);
});
