import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ActionExecutor } from '../../src/actions/ActionExecutor.ts';
import type { RepoResolver } from '../../src/actions/ActionContext.ts';
import { repoResolver } from '../../src/actions/repoResolver.ts';
import { silentLogger } from '../../src/engine/engineDeps.ts';
import type { LogSink, StepJob } from '../../src/engine/ports/stepExecutor.ts';
import type { Forge } from '../../src/forges/Forge.ts';
import { Worktrees } from '../../src/forges/git/worktrees.ts';
import { engineIssueAccess } from '../../src/main/engineIssueAccess.ts';
import { openBaton, type BatonApp } from '../../src/main/openBaton.ts';
import { testConfig } from '../api/apiHarness.ts';
import { githubFixture, type GithubFixture } from './githubForgeFixture.ts';

const sink = (): LogSink => ({ write: async () => undefined }) as unknown as LogSink;

/**
 * `forge/issues` mirrors a three-level issue tree (epic → features → tasks) made through a real
 * engine as GitHub issues on the fake: titles, kind and order labels, parent references, states;
 * a second sync after a task is done and a feature's tasks are reordered edits the same issues.
 */
describe('forge/issues: the issue tree synced with GitHub issues', () => {
  let f: GithubFixture;
  let app: BatonApp;
  let dir: string;

  beforeAll(async () => {
    f = await githubFixture();
    dir = mkdtempSync(join(tmpdir(), 'baton-issue-sync-'));
    app = await openBaton(testConfig(join(dir, 'data')), { logger: silentLogger });
  });
  afterAll(async () => {
    await app?.close(2_000);
    await f?.gh.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const executor = (repos: RepoResolver) =>
    new ActionExecutor({
      repos,
      mirrors: () => Promise.reject(new Error('not used')),
      worktrees: new Worktrees({ dataDir: dir }),
      issues: engineIssueAccess(() => app.engine),
    });
  const onGithub = (): RepoResolver =>
    repoResolver({
      findRepositories: async (ref) =>
        ref === 'acme/app'
          ? [
              {
                id: 'r1',
                workspaceId: 'default',
                projectId: null,
                name: 'acme/app',
                url: 'https://github.com/acme/app',
                defaultBranch: 'main',
                createdAt: 0,
                updatedAt: 0,
              },
            ]
          : [],
      local: {} as Forge,
      github: f.forge(),
    });
  const job = (issue: string, stepKey = 'sync'): StepJob => ({
    runId: 'run-sync',
    stepId: 's1',
    stepKey,
    attempt: 1,
    command: '',
    cwd: dir,
    env: {},
    dryRun: false,
    uses: { action: 'forge/issues', with: { repository: 'acme/app', issue }, workspaceId: 'default' },
  });
  const ghIssues = () => [...f.gh.repo('acme', 'app').issues.values()].filter((i) => !i.pull);
  const ghIssue = (n: number | null | undefined) => {
    const i = ghIssues().find((x) => x.number === n);
    if (!i) throw new Error(`no GitHub issue #${String(n)}`);
    return i;
  };

  it('creates the issues parents first, then edits them in place (closed when done, order labels)', async () => {
    const ws = 'default';
    const mk = async (kind: 'epic' | 'feature' | 'task', title: string, parentId?: string) =>
      (await app.engine.createIssue({ workspaceId: ws, kind, title, body: `About ${title}.`, parentId }))
        .issue;
    const epic = await mk('epic', 'Checkout');
    const cart = await mk('feature', 'Cart', epic.id);
    const pay = await mk('feature', 'Payment', epic.id);
    const add = await mk('task', 'Add item', cart.id);
    const remove = await mk('task', 'Remove item', cart.id);
    const card = await mk('task', 'Card form', pay.id);

    const ex = executor(onGithub());
    const first = await ex.execute(job(epic.id), sink(), AbortSignal.timeout(20_000));
    expect(first.outcome, JSON.stringify(first)).toBe('success');
    expect(first.outputs['synced']).toBe('6');
    const listed = JSON.parse(first.outputs['issues'] ?? '[]') as Array<{ id: string; number: number }>;
    // depth-first in sibling order: each parent before its children
    expect(listed.map((x) => x.id)).toEqual([epic.id, cart.id, add.id, remove.id, pay.id, card.id]);
    expect(ghIssues()).toHaveLength(6);

    const numberOf = async (id: string) => (await app.engine.getIssue(id)).issue.githubIssueNumber;
    const labels = (n: number | null | undefined) => [...ghIssue(n).labels].sort();
    for (const x of listed) expect(await numberOf(x.id)).toBe(x.number);

    const [nEpic, nCart, nAdd, nRemove, nPay, nCard] = await Promise.all(
      [epic, cart, add, remove, pay, card].map((i) => numberOf(i.id)),
    );
    expect(ghIssue(nEpic)).toMatchObject({ title: 'Checkout', state: 'open' });
    expect(ghIssue(nEpic).body).toContain('About Checkout.');
    expect(ghIssue(nEpic).body).not.toContain('Part of');
    expect(labels(nEpic)).toEqual(['baton', 'epic']);
    expect(ghIssue(nCart).body).toContain(`Part of #${nEpic}\nOrder: 1 of 2`);
    expect(labels(nCart)).toEqual(['baton', 'feature', 'order:1']);
    expect(ghIssue(nPay).body).toContain(`Part of #${nEpic}\nOrder: 2 of 2`);
    expect(labels(nPay)).toEqual(['baton', 'feature', 'order:2']);
    expect(ghIssue(nAdd)).toMatchObject({ title: 'Add item', state: 'open' });
    expect(ghIssue(nAdd).body).toContain(`Part of #${nCart}\nOrder: 1 of 2`);
    expect(labels(nAdd)).toEqual(['baton', 'order:1', 'task']);
    expect(ghIssue(nRemove).body).toContain(`Part of #${nCart}\nOrder: 2 of 2`);
    expect(labels(nRemove)).toEqual(['baton', 'order:2', 'task']);
    expect(ghIssue(nCard).body).toContain(`Part of #${nPay}\nOrder: 1 of 1`);
    expect(ghIssue(nCard).body).toContain(`<!-- baton:issue=${card.id} -->`);

    // a task done, the cart's tasks reordered, a title changed: the same issues, edited
    await app.engine.completeIssue(add.id, 'test');
    await app.engine.reorderIssueChildren(cart.id, [remove.id, add.id], 'test');
    await app.engine.updateIssue(card.id, { title: 'Card form (3-D Secure)' }, 'test');
    const creates = f.count('POST', /^\/repos\/acme\/app\/issues$/);
    const second = await ex.execute(job(epic.id, 'sync-again'), sink(), AbortSignal.timeout(20_000));
    expect(second.outcome, JSON.stringify(second)).toBe('success');
    // the reordered tasks come in their new order, under the numbers they had
    expect(JSON.parse(second.outputs['issues'] ?? '[]')).toEqual(
      [epic, cart, remove, add, pay, card].map((i) => listed.find((x) => x.id === i.id)),
    );
    expect(f.count('POST', /^\/repos\/acme\/app\/issues$/)).toBe(creates);
    expect(ghIssues()).toHaveLength(6);
    expect(ghIssue(nAdd).state).toBe('closed');
    expect(labels(nAdd)).toEqual(['baton', 'order:2', 'task']);
    expect(ghIssue(nAdd).body).toContain('Order: 2 of 2');
    expect(ghIssue(nRemove).state).toBe('open');
    expect(labels(nRemove)).toEqual(['baton', 'order:1', 'task']);
    expect(ghIssue(nCard).title).toBe('Card form (3-D Secure)');

    // nothing changed: a third sync edits nothing
    const edits = f.count('PATCH', /^\/repos\/acme\/app\/issues\/\d+$/);
    const third = await ex.execute(job(cart.id, 'sync-cart'), sink(), AbortSignal.timeout(20_000));
    expect(third.outputs['synced']).toBe('3');
    expect(f.count('PATCH', /^\/repos\/acme\/app\/issues\/\d+$/)).toBe(edits);
    expect(f.count('POST', /^\/repos\/acme\/app\/issues$/)).toBe(creates);
  });

  it('fails clearly on a repository without GitHub issues (the local forge)', async () => {
    const { issue } = await app.engine.createIssue({ workspaceId: 'default', kind: 'task', title: 'Lone' });
    const local: RepoResolver = {
      resolve: async () => ({
        name: '/srv/git/app.git',
        ref: '/srv/git/app.git',
        forge: { kind: 'local' } as Forge,
      }),
    };
    const r = await executor(local).execute(job(issue.id), sink(), AbortSignal.timeout(20_000));
    expect(r.outcome).toBe('failure');
    expect(JSON.stringify(r)).toContain('issue sync needs a GitHub repository');
  });
});
