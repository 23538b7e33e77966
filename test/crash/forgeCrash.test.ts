import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import type { Config } from '../../src/config/configSchema.ts';
import { parseWorkflow } from '../../src/domain/workflow/parseWorkflow.ts';
import { silentLogger } from '../../src/engine/engineDeps.ts';
import { openBaton, type BatonApp } from '../../src/main/openBaton.ts';
import type { KyselyStore } from '../../src/store/kyselyStore.ts';
import { testConfig } from '../api/apiHarness.ts';
import { BATON_SCRIPT, spawnWorker, type WorkerProc } from '../helpers/spawnWorker.ts';
import { bareOrigin } from '../helpers/bareOrigin.ts';

const FLOW = `
name: crash-pr
inputs:
  repo: { type: string }
steps:
  - id: ws
    uses: git/workspace
    with: { repository: "{{ inputs.repo }}", slug: crash }
  - id: change
    needs: [ws]
    working_directory: "{{ steps.ws.outputs.path }}"
    run: echo "change" > change.txt
  - id: commit
    needs: [change]
    uses: git/commit
    with: { path: "{{ steps.ws.outputs.path }}", message: "A change" }
  - id: pr
    needs: [commit]
    uses: forge/pull-request
    with: { repository: "{{ inputs.repo }}", head: "{{ steps.ws.outputs.branch }}", title: "A change" }
`;

/**
 * The process dies between "pull request created" and "step recorded": the step runs again (a new
 * attempt after its lease expired) under the same idempotency key and finds the pull request — one
 * pull request in the end.
 */
describe('a crash between a forge side effect and its record (sqlite, real processes)', () => {
  const workers: WorkerProc[] = [];
  let dir: string;
  let app: BatonApp | undefined;
  afterEach(async () => {
    for (const w of workers.splice(0)) await w.stop();
    await app?.close(1_000);
    rmSync(dir, { recursive: true, force: true });
  });

  it('leaves one pull request', async () => {
    dir = mkdtempSync(join(tmpdir(), 'baton-forge-crash-'));
    const { origin, seed } = bareOrigin(dir);
    const config: Config = { ...testConfig(join(dir, 'data')), leaseMs: 1_500, heartbeatMs: 200 };
    app = await openBaton(config, { logger: silentLogger, runner: false });
    const parsed = parseWorkflow(FLOW);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    await app.engine.registerWorkflow(parsed.workflow, { source: FLOW, origin: 'api', baseDir: dir });
    const { run } = await app.engine.createRun({ workflow: 'crash-pr', inputs: { repo: origin } });
    const env = { BATON_TEST_CONFIG: JSON.stringify(config), BATON_TEST_WORK: seed };

    const first = spawnWorker({ ...env, BATON_ACTION_FAULT: 'action.done:forge/pull-request' }, BATON_SCRIPT);
    workers.push(first);
    expect(await first.exited).toMatchObject({ signal: 'SIGKILL' });
    const db = (app.store as KyselyStore).db;
    const count = async () =>
      Number(
        (await sql<{ n: number }>`select count(*) as n from forge_pull_requests`.execute(db)).rows[0]?.n,
      );
    expect(await count()).toBe(1); // created, but the step was never recorded
    expect((await app.engine.getRun(run.id)).steps.find((s) => s.stepKey === 'pr')?.status).toBe('running');

    workers.push(spawnWorker(env, BATON_SCRIPT));
    const done = await app.engine.waitForRun(run.id, { signal: AbortSignal.timeout(60_000) });
    expect(done.status).toBe('succeeded');
    const pr = (await app.engine.getRun(run.id)).steps.find((s) => s.stepKey === 'pr')!;
    expect(pr.attempt).toBe(2);
    expect(pr.outputs).toMatchObject({ number: '1', created: 'false' });
    expect(await count()).toBe(1);
  }, 120_000);
});
