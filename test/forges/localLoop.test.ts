import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseWorkflow } from '../../src/domain/workflow/parseWorkflow.ts';
import { silentLogger } from '../../src/engine/engineDeps.ts';
import { openBaton, type BatonApp } from '../../src/main/openBaton.ts';
import { testConfig } from '../api/apiHarness.ts';
import { bareOrigin, git } from '../helpers/bareOrigin.ts';
import { registerRepository } from '../helpers/registerRepository.ts';

/**
 * The whole loop on the local forge, offline: a worktree, a scripted change committed and pushed
 * host-side, a pull request with the body template, a review asking for changes that routes back to
 * the change step, an approving second review, green checks, a merge seen by an event wait, cleanup.
 */
const LOOP = `
name: local-pr-loop
inputs:
  repo: { type: string }
steps:
  - id: ws
    uses: git/workspace
    with: { repository: "{{ inputs.repo }}", slug: greeting }
  - id: change
    needs: [ws]
    working_directory: "{{ steps.ws.outputs.path }}"
    run: |
      if [ -f greeting.txt ]; then echo "hello, world (fixed)" > greeting.txt; else echo "helo world" > greeting.txt; fi
  - id: commit
    needs: [change]
    uses: git/commit
    with: { path: "{{ steps.ws.outputs.path }}", message: "Add the greeting\\n\\nScripted change." }
  - id: pr
    needs: [commit]
    uses: forge/pull-request
    with:
      repository: "{{ inputs.repo }}"
      head: "{{ steps.ws.outputs.branch }}"
      title: Add the greeting
      plan: Write greeting.txt.
      changes: One new file.
      tests: The check reads it.
      risks: None.
  - id: review
    needs: [pr]
    working_directory: "{{ steps.ws.outputs.path }}"
    outputs: [verdict]
    run: |
      if grep -q fixed greeting.txt; then echo "verdict=approve" >> "$BATON_OUTPUT"; else echo "verdict=changes_requested" >> "$BATON_OUTPUT"; fi
  - id: post-review
    needs: [review]
    uses: forge/review
    with:
      repository: "{{ inputs.repo }}"
      number: "{{ steps.pr.outputs.number }}"
      verdict: "{{ steps.review.outputs.verdict }}"
      comments: '[{"path": "greeting.txt", "line": 1, "body": "typo"}]'
    on:
      - { outcome: success, if: "steps.review.outputs.verdict == 'changes_requested'", goto: change, max: 2 }
  - id: test
    needs: [post-review]
    working_directory: "{{ steps.ws.outputs.path }}"
    run: grep -q "hello, world" greeting.txt
  - id: status
    needs: [test]
    uses: forge/status
    with: { repository: "{{ inputs.repo }}", ref: "{{ steps.commit.outputs.sha }}", context: ci/test, state: success }
  - id: checks
    needs: [status]
    uses: forge/checks
    with: { repository: "{{ inputs.repo }}", number: "{{ steps.pr.outputs.number }}", poll: 100ms }
  - id: merged
    needs: [checks]
    wait: { event: pr.merged, if: "event.payload.number == int(steps.pr.outputs.number)" }
    timeout: 60s
  - id: merge
    needs: [checks]
    uses: forge/merge
    with: { repository: "{{ inputs.repo }}", number: "{{ steps.pr.outputs.number }}", method: squash }
  - id: cleanup
    needs: [merge, merged]
    uses: git/cleanup
    with: { path: "{{ steps.ws.outputs.path }}" }
`;

describe('the plan → change → PR → review → checks → merge loop on the local forge (sqlite, real git)', () => {
  let dir: string;
  let origin: string;
  let app: BatonApp;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'baton-local-loop-'));
    let seed: string;
    ({ origin, seed } = bareOrigin(dir));
    app = await openBaton(testConfig(join(dir, 'data')), { logger: silentLogger, runner: true, cwd: seed });
    await app.engine.start();
    // registered in the default workspace: `repository: acme/demo` resolves to the bare repository
    await registerRepository(join(dir, 'data'), 'acme/demo', origin);
  });
  afterAll(async () => {
    await app?.close(2_000);
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs the loop once end to end and leaves one merged pull request', async () => {
    const parsed = parseWorkflow(LOOP);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    await app.engine.registerWorkflow(parsed.workflow, { source: LOOP, origin: 'api', baseDir: dir });
    const { run } = await app.engine.createRun({ workflow: 'local-pr-loop', inputs: { repo: 'acme/demo' } });
    const done = await app.engine
      .waitForRun(run.id, { signal: AbortSignal.timeout(60_000) })
      .catch(async (e: unknown) => {
        const x = await app.engine.getRun(run.id);
        const logs = await Promise.all(
          x.steps.map(async (s) => [
            s.stepKey,
            (await app.engine.readLogs(run.id, s.stepKey, null)).map((c) => c.data.toString()).join(''),
          ]),
        );
        throw new Error(
          `${String(e)}: ${JSON.stringify({ steps: x.steps.map((s) => [s.stepKey, s.status, s.error]), logs })}`,
        );
      });
    const d = await app.engine.getRun(done.id);
    const step = (k: string) => d.steps.find((s) => s.stepKey === k)!;
    expect(done.status, JSON.stringify(d.steps.map((s) => [s.stepKey, s.status, s.error]))).toBe('succeeded');

    // the review asked for changes once, which sent the run back to the change step
    expect(d.run.loopCounts).toEqual({ 'post-review->change': 1 });
    expect(step('review').outputs).toMatchObject({ verdict: 'approve' });

    // one pull request, merged (squash) into main with the fixed file
    const number = step('pr').outputs?.number;
    expect(number).toBe('1');
    expect(step('merge').outputs).toMatchObject({ merged: 'true', base: 'main' });
    expect(git(origin, 'show', 'main:greeting.txt')).toBe('hello, world (fixed)');
    expect(git(origin, 'rev-list', '--count', 'main')).toBe('2'); // the initial commit + one squash commit
    const branch = String(step('ws').outputs?.branch);
    expect(branch).toMatch(/^run\/.+-greeting$/);
    expect(git(origin, 'rev-parse', `refs/heads/${branch}`)).toMatch(/^[0-9a-f]{40}$/);

    // the event wait saw the merge; the worktree is gone
    expect(step('merged').outputs).toMatchObject({ event_type: 'pr.merged' });
    expect(existsSync(String(step('ws').outputs?.path))).toBe(false);
    expect(step('cleanup').outputs).toEqual({ removed: 'true' });

    // the forge's events belong to the workspace that registered the repository
    const merged = await app.store.listEventsFiltered({ afterId: 0, limit: 1000, type: 'pr.merged' });
    expect(merged.map((e) => e.workspaceId)).toEqual(['default']);

    // the body template, and the two reviews in order
    const logs = (await app.engine.readLogs(done.id, 'pr', null)).map((c) => c.data.toString()).join('');
    expect(logs).toMatch(/opened pull request #1/);
    const reviewLogs = (await app.engine.readLogs(done.id, 'post-review', null))
      .map((c) => c.data.toString())
      .join('');
    expect(reviewLogs).toContain('review changes_requested on #1');
    expect(reviewLogs).toContain('review approve on #1');
  }, 120_000);
});
