import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IssueRecord } from '../../src/domain/issues/issueRecord.ts';
import type { RunRecord } from '../../src/domain/records.ts';
import { parseWorkflow } from '../../src/domain/workflow/parseWorkflow.ts';
import { silentLogger } from '../../src/engine/engineDeps.ts';
import { openBaton, type BatonApp } from '../../src/main/openBaton.ts';
import { testConfig } from '../api/apiHarness.ts';
import { bareOrigin, git } from '../helpers/bareOrigin.ts';
import { issueWalkWorkflows } from '../helpers/issueWalkWorkflows.ts';
import { registerRepository } from '../helpers/registerRepository.ts';

/**
 * The execution loop over an issue tree (examples/issue-tree.yaml) on the local forge, with
 * scripted work: siblings in their (re)order, each leaf on its branch from its parent's with a pull
 * request into it, each parent integrated into its own parent once everything under it is done,
 * the root into `integration` (created from main); a blocked issue stops the walk until unblocked;
 * a defect filed afterwards reopens its ancestors and is walked, then re-integrated, in its turn.
 */
const WALKER = readFileSync(
  fileURLToPath(new URL('../../examples/issue-tree.yaml', import.meta.url)),
  'utf8',
);

const { work: WORK, integrate: INTEGRATE } = issueWalkWorkflows('test', { approve: true });

describe('the issue-tree walk on the local forge (sqlite, real git)', () => {
  let dir: string;
  let origin: string;
  let app: BatonApp;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'baton-issue-walk-'));
    let seed: string;
    ({ origin, seed } = bareOrigin(dir)); // no integration branch yet: the walk creates it from main
    app = await openBaton(testConfig(join(dir, 'data')), { logger: silentLogger, runner: true, cwd: seed });
    await app.engine.start();
    for (const source of [WALKER, WORK, INTEGRATE]) {
      const parsed = parseWorkflow(source);
      if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
      await app.engine.registerWorkflow(parsed.workflow, { source, origin: 'api', baseDir: dir });
    }
    await registerRepository(join(dir, 'data'), 'acme/shop', origin);
  });
  afterAll(async () => {
    await app?.close(2_000);
    rmSync(dir, { recursive: true, force: true });
  });

  const create = async (kind: IssueRecord['kind'], title: string, parentId?: string) =>
    (await app.engine.createIssue({ workspaceId: 'default', kind, title, ...(parentId ? { parentId } : {}) }))
      .issue;

  const walk = (root: string) =>
    app.engine.createRun({
      workflow: 'issue-tree',
      inputs: { repo: 'acme/shop', issue: root, work: 'test-work', integrate: 'test-integrate' },
    });

  async function settle(runId: string): Promise<RunRecord> {
    return app.engine
      .waitForRun(runId, { signal: AbortSignal.timeout(150_000) })
      .catch(async (e: unknown) => {
        const d = await app.engine.getRun(runId);
        throw new Error(
          `${String(e)}: ${JSON.stringify(d.steps.map((s) => [s.stepKey, s.status, s.error]))}`,
        );
      });
  }

  /** the child runs of the walk, oldest first: [workflow, issue id, pr head, pr base] */
  async function childRuns(parentRunId: string) {
    const runs = (await app.engine.listRuns({ parentRunId, limit: 100 })).sort(
      (a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id),
    );
    return Promise.all(
      runs.map(async (r) => {
        const d = await app.engine.getRun(r.id);
        const pr = d.steps.find((s) => s.stepKey === 'pr')?.outputs ?? {};
        return {
          id: r.id,
          workflow: r.workflowName,
          issue: r.inputs['issue'],
          head: pr['head'],
          base: pr['base'],
          status: r.status,
        };
      }),
    );
  }

  /** what failed in a run and its children, for assertion messages */
  async function failures(runId: string): Promise<unknown> {
    const d = await app.engine.getRun(runId);
    const kids = await app.engine.listRuns({ parentRunId: runId, limit: 100 });
    return {
      steps: d.steps.filter((s) => s.status === 'failed').map((s) => [s.stepKey, s.error?.message]),
      children: await Promise.all(kids.map((k) => failures(k.id))),
    };
  }

  const status = async (id: string) => (await app.engine.getIssue(id)).issue.status;

  it('walks three levels in order, stops at a blocked issue, resumes, and picks up a defect filed later', async () => {
    const epic = await create('epic', 'Checkout');
    const cart = await create('feature', 'Cart', epic.id);
    const add = await create('task', 'Add item', cart.id);
    const remove = await create('task', 'Remove item', cart.id);
    const pay = await create('feature', 'Payment', epic.id);
    const card = await create('task', 'Card form', pay.id);
    // ordering: the cart's tasks are reordered before the walk; the card form is blocked
    await app.engine.reorderIssueChildren(cart.id, [remove.id, add.id], 'test');
    await app.engine.updateIssue(card.id, { status: 'blocked' }, 'test');

    const { run } = await walk(epic.id);
    const stopped = await settle(run.id);
    expect(stopped.status).toBe('failed');
    const stoppedRun = await app.engine.getRun(run.id);
    const next = stoppedRun.steps.find((s) => s.stepKey === 'next')!;
    expect(next.error?.message).toContain(`issue #${card.number} "Card form" is blocked`);
    // everything before the blocked task is done, nothing after it started
    expect(await Promise.all([remove, add, cart].map((i) => status(i.id)))).toEqual(['done', 'done', 'done']);
    expect(await Promise.all([card, pay, epic].map((i) => status(i.id)))).toEqual([
      'blocked',
      'open',
      'open',
    ]);

    // unblocked, the walk goes on from where it stopped
    await app.engine.updateIssue(card.id, { status: 'open' }, 'test');
    await app.engine.retry(run.id, 'next', { by: 'test' });
    const done = await settle(run.id);
    const d = await app.engine.getRun(run.id);
    expect(done.status, JSON.stringify(d.steps.map((s) => [s.stepKey, s.status, s.error]))).toBe('succeeded');
    expect(d.steps.find((s) => s.stepKey === 'next')?.outputs).toMatchObject({ action: 'done' });
    for (const i of [epic, cart, add, remove, pay, card]) expect(await status(i.id)).toBe('done');

    // one child run per issue, in walk order: leaves into their parent's branch, parents into theirs
    const children = await childRuns(run.id);
    expect(children.map((c) => [c.workflow, c.issue, c.head, c.base, c.status])).toEqual([
      ['test-work', remove.id, remove.branch, cart.branch, 'succeeded'],
      ['test-work', add.id, add.branch, cart.branch, 'succeeded'],
      ['test-integrate', cart.id, cart.branch, epic.branch, 'succeeded'],
      ['test-work', card.id, card.branch, pay.branch, 'succeeded'],
      ['test-integrate', pay.id, pay.branch, epic.branch, 'succeeded'],
      ['test-integrate', epic.id, epic.branch, 'integration', 'succeeded'],
    ]);
    expect(d.run.loopCounts).toEqual({ 'complete->next': 6 });

    // integration was created from main, and now holds every leaf's work
    const work = (issue: IssueRecord) => git(origin, 'show', `integration:work/${issue.id}.txt`);
    expect(git(origin, 'merge-base', '--is-ancestor', 'main', 'integration')).toBe('');
    expect([remove, add, card].map(work)).toEqual(['Remove item', 'Add item', 'Card form']);
    expect(git(origin, 'show', 'main:README.md')).toBe('# demo');
    // each issue's pull request is recorded on it
    for (const i of [epic, cart, add, remove, pay, card])
      expect((await app.engine.getIssue(i.id)).issue.prNumber).toEqual(expect.any(Number));

    // a defect under the (done) cart reopens it and the epic; the next walk fixes it on the cart's
    // branch, then takes the cart into the epic and the epic into integration again
    const defect = (await app.engine.fileDefect(cart.id, { title: 'Cart loses items' })).issue;
    expect(await Promise.all([cart, epic, pay].map((i) => status(i.id)))).toEqual(['open', 'open', 'done']);
    const second = (await walk(epic.id)).run;
    const secondDone = await settle(second.id);
    expect(secondDone.status, JSON.stringify(await failures(second.id))).toBe('succeeded');
    expect((await childRuns(second.id)).map((c) => [c.issue, c.head, c.base])).toEqual([
      [defect.id, defect.branch, cart.branch],
      [cart.id, cart.branch, epic.branch],
      [epic.id, epic.branch, 'integration'],
    ]);
    expect(work(defect)).toBe('Cart loses items');
    // the cart's branch was still checked out in the worktree of its first (ended) integration:
    // the new one took it over; and the cart's branch was brought up to date with the epic's first
    const again = (await childRuns(second.id)).find((c) => c.issue === cart.id)!;
    const logOf = async (step: string) =>
      (await app.engine.readLogs(again.id, step, null)).map((c) => c.data.toString()).join('');
    expect(await logOf('ws')).toMatch(/removed .* run .* \(succeeded\) still held feature\/\d+-cart/);
    expect(await logOf('update')).toMatch(/merged epic\/\d+-checkout into feature\/\d+-cart/);
    for (const i of [epic, cart, defect]) expect(await status(i.id)).toBe('done');

    // walking a finished tree does nothing
    const third = (await walk(epic.id)).run;
    expect((await settle(third.id)).status).toBe('succeeded');
    expect(await childRuns(third.id)).toEqual([]);
  }, 240_000);
});
