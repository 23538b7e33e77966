import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseWorkflow } from '../../src/domain/workflow/parseWorkflow.ts';
import { silentLogger } from '../../src/engine/engineDeps.ts';
import { openBaton, type BatonApp } from '../../src/main/openBaton.ts';
import { testConfig } from '../api/apiHarness.ts';
import { bareOrigin, git } from '../helpers/bareOrigin.ts';

/**
 * The issue tree on real git: an epic, a feature and a task each get their branch from the right
 * base (integration → epic → feature → task) and a pull request into their parent's branch; a
 * defect filed under the feature blocks its merge until it is done.
 */
const ISSUE_PR = `
name: issue-pr
inputs:
  repo: { type: string }
  issue: { type: string }
steps:
  - id: ws
    uses: git/workspace
    with: { repository: "{{ inputs.repo }}", issue: "{{ inputs.issue }}" }
  - id: change
    needs: [ws]
    working_directory: "{{ steps.ws.outputs.path }}"
    run: echo "{{ inputs.issue }}" > "work-{{ inputs.issue }}-{{ run.id }}.txt"
  - id: commit
    needs: [change]
    uses: git/commit
    with: { path: "{{ steps.ws.outputs.path }}", message: "Work on {{ inputs.issue }}" }
  - id: pr
    needs: [commit]
    uses: forge/pull-request
    with: { repository: "{{ inputs.repo }}", issue: "{{ inputs.issue }}", title: "Issue {{ inputs.issue }}" }
  - id: approve
    needs: [pr]
    uses: forge/review
    with: { repository: "{{ inputs.repo }}", number: "{{ steps.pr.outputs.number }}", verdict: approve }
  - id: merge
    needs: [approve]
    uses: forge/merge
    with:
      repository: "{{ inputs.repo }}"
      number: "{{ steps.pr.outputs.number }}"
      issue: "{{ inputs.issue }}"
      require_checks: false
  - id: cleanup
    needs: [merge]
    uses: git/cleanup
    with: { path: "{{ steps.ws.outputs.path }}" }
`;

describe('issue-tree branches and pull requests on the local forge (sqlite, real git)', () => {
  let dir: string;
  let origin: string;
  let app: BatonApp;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'baton-issue-forge-'));
    let seed: string;
    ({ origin, seed } = bareOrigin(dir, ['integration']));
    app = await openBaton(testConfig(join(dir, 'data')), { logger: silentLogger, runner: true, cwd: seed });
    await app.engine.start();
    const parsed = parseWorkflow(ISSUE_PR);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    await app.engine.registerWorkflow(parsed.workflow, { source: ISSUE_PR, origin: 'api', baseDir: dir });
  });
  afterAll(async () => {
    await app?.close(2_000);
    rmSync(dir, { recursive: true, force: true });
  });

  async function work(issue: string) {
    const { run } = await app.engine.createRun({ workflow: 'issue-pr', inputs: { repo: origin, issue } });
    const done = await app.engine.waitForRun(run.id, { signal: AbortSignal.timeout(60_000) });
    const d = await app.engine.getRun(done.id);
    return { done, step: (k: string) => d.steps.find((s) => s.stepKey === k)! };
  }

  it('branches each level from its parent and merges it into its parent; a defect blocks the merge', async () => {
    const ws = 'default';
    const epic = (await app.engine.createIssue({ workspaceId: ws, kind: 'epic', title: 'Checkout' })).issue;
    const feature = (
      await app.engine.createIssue({ workspaceId: ws, kind: 'feature', title: 'Cart', parentId: epic.id })
    ).issue;
    const task = (
      await app.engine.createIssue({ workspaceId: ws, kind: 'task', title: 'Add item', parentId: feature.id })
    ).issue;
    expect([epic.branch, feature.branch, task.branch]).toEqual([
      expect.stringMatching(/^epic\/\d+-checkout$/),
      expect.stringMatching(/^feature\/\d+-cart$/),
      expect.stringMatching(/^task\/\d+-add-item$/),
    ]);

    // top down: each branch starts from its parent's (the epic's from integration)
    for (const issue of [epic, feature]) {
      const { done, step } = await work(issue.id);
      expect(done.status, JSON.stringify(step('merge').error)).toBe('succeeded');
      expect(step('ws').outputs).toMatchObject({ branch: issue.branch });
    }
    // a defect under the feature: the task still works, the feature's own merge will wait for it
    const defect = (await app.engine.fileDefect(feature.id, { title: 'Cart loses items' })).issue;
    const t = await work(task.id);
    expect(t.done.status, JSON.stringify(t.step('merge').error)).toBe('succeeded');
    expect(t.step('ws').outputs).toMatchObject({ branch: task.branch, base: feature.branch });
    expect(t.step('pr').outputs).toMatchObject({ head: task.branch, base: feature.branch });
    // the task's work is on the feature branch, the feature's on the epic branch, the epic's on integration
    expect(git(origin, 'log', '--format=%s', feature.branch)).toContain(`Issue ${task.id}`);
    expect(git(origin, 'log', '--format=%s', epic.branch)).toContain(`Issue ${feature.id}`);
    expect(git(origin, 'log', '--format=%s', 'integration')).toContain(`Issue ${epic.id}`);
    expect((await app.engine.getIssue(task.id)).issue).toMatchObject({
      prNumber: Number(t.step('pr').outputs?.number),
    });

    // merging the feature again (a second pass) is refused while the defect is open
    const blocked = await work(feature.id);
    const failedSteps = (await app.engine.getRun(blocked.done.id)).steps.filter((s) => s.status === 'failed');
    expect(blocked.done.status).toBe('failed');
    expect(failedSteps.map((s) => [s.stepKey, s.error?.message])).toEqual([['merge', expect.any(String)]]);
    expect(blocked.step('merge').error?.message).toContain('open defects block it');
    expect(blocked.step('merge').error?.message).toContain(defect.title);
  }, 180_000);
});
