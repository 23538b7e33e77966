import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IssueRecord } from '../../src/domain/issues/issueRecord.ts';
import { githubBaton, type GithubBaton } from './githubBaton.ts';

const SYNC = `
name: sync-issues
inputs:
  issue: { type: string }
steps:
  - id: sync
    uses: forge/issues
    with: { repository: acme/app, issue: "{{ inputs.issue }}" }
`;

/**
 * The other direction of the issue sync: people closing, reopening and editing the GitHub issues
 * Baton mirrors its tree to (epic → feature → task) change the Baton issues, through the tree's
 * rules; a bug filed on GitHub under a mirrored issue becomes a defect under its Baton issue;
 * Baton's own edits are not echoed back; a marker copied into another issue changes nothing.
 */
describe('GitHub issues → the Baton issue tree (webhooks from the fake GitHub)', () => {
  let b: GithubBaton;
  let maintainer: string;
  beforeAll(async () => {
    b = await githubBaton();
    await b.register(SYNC);
    maintainer = b.f.gh.addToken('maintainer');
  });
  afterAll(() => b?.close());

  const gh = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${b.f.gh.url}${path}`, {
      method,
      headers: { authorization: `token ${maintainer}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const json = (await res.json()) as Record<string, unknown>;
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
    await b.f.gh.settled(); // the webhook it caused was delivered and answered
    return json;
  };
  const sync = async (issue: string) => {
    const { run } = await b.app.engine.createRun({ workflow: 'sync-issues', inputs: { issue } });
    const done = await b.app.engine.waitForRun(run.id, { signal: AbortSignal.timeout(30_000) });
    expect(done.status).toBe('succeeded');
    await b.f.gh.settled();
  };
  const get = async (i: IssueRecord) => (await b.app.engine.getIssue(i.id)).issue;
  const setState = (n: number | null | undefined, state: 'open' | 'closed', reason?: string) =>
    gh('PATCH', `/repos/acme/app/issues/${String(n)}`, {
      state,
      ...(reason ? { state_reason: reason } : {}),
    });

  it('closing, reopening and editing on GitHub complete, reopen and edit the Baton issues', async () => {
    const mk = async (kind: IssueRecord['kind'], title: string, parentId?: string) =>
      (
        await b.app.engine.createIssue({
          workspaceId: 'default',
          kind,
          title,
          body: `About ${title}.`,
          parentId,
        })
      ).issue;
    const epic = await mk('epic', 'Checkout');
    const cart = await mk('feature', 'Cart', epic.id);
    const add = await mk('task', 'Add item', cart.id);
    await sync(epic.id);
    const [nEpic, nCart, nAdd] = await Promise.all(
      [epic, cart, add].map(async (i) => (await get(i)).githubIssueNumber),
    );
    expect([nEpic, nCart, nAdd]).toEqual([expect.any(Number), expect.any(Number), expect.any(Number)]);
    // Baton's own writes (the App's) came back by webhook and changed nothing
    expect(await get(add)).toMatchObject({ title: 'Add item', body: 'About Add item.', status: 'open' });

    // the epic closed on GitHub while work under it is open: refused by the tree's rules
    await setState(nEpic, 'closed');
    expect((await get(epic)).status).toBe('open');

    // the task, then the feature closed as completed: done, as github:maintainer
    await setState(nAdd, 'closed');
    expect((await get(add)).status).toBe('done');
    await setState(nCart, 'closed');
    expect((await get(cart)).status).toBe('done');
    const completed = (
      await b.app.store.listEventsFiltered({ afterId: 0, limit: 1000, type: 'issue.completed' })
    )
      .map((e) => e.payload)
      .filter((p) => p['issue'] === add.id);
    expect(JSON.stringify(completed)).toContain('github:maintainer');

    // the task reopened on GitHub: open again, and so is the feature above it
    await setState(nAdd, 'open');
    expect((await get(add)).status).toBe('open');
    expect((await get(cart)).status).toBe('open');

    // closed as not planned is not done
    await setState(nAdd, 'closed', 'not_planned');
    expect((await get(add)).status).toBe('open');
    await setState(nAdd, 'open');

    // an edit of the title and text: the Baton issue follows, without Baton's footer and marker
    const before = (await gh('GET', `/repos/acme/app/issues/${String(nAdd)}`))['body'] as string;
    expect(before).toContain(`Part of #${String(nCart)}`);
    await gh('PATCH', `/repos/acme/app/issues/${String(nAdd)}`, {
      title: 'Add an item to the cart',
      body: before.replace('About Add item.', 'Items are added from the product page.'),
    });
    expect(await get(add)).toMatchObject({
      title: 'Add an item to the cart',
      body: 'Items are added from the product page.',
    });
    // a later sync writes the edit back unchanged (no duplicate, nothing echoed)
    await sync(epic.id);
    expect(await get(add)).toMatchObject({ title: 'Add an item to the cart', status: 'open' });

    // a defect filed by hand on GitHub under the feature's issue becomes a Baton defect under the
    // feature (the feature, done again meanwhile, reopens); the next sync edits that issue in place
    await setState(nAdd, 'closed');
    await setState(nCart, 'closed');
    expect((await get(cart)).status).toBe('done');
    const bug = await gh('POST', '/repos/acme/app/issues', {
      title: 'Cart loses items',
      body: `Part of #${String(nCart)}\n\nThe cart empties on reload.`,
      labels: ['bug'],
    });
    const defect = (await b.app.engine.getIssue(cart.id)).children.find((c) => c.kind === 'defect');
    expect(defect).toMatchObject({
      title: 'Cart loses items',
      body: 'The cart empties on reload.',
      githubIssueNumber: bug['number'],
      githubRepository: 'acme/app',
      createdBy: 'github:maintainer',
    });
    expect((await get(cart)).status).toBe('open');
    expect((await get(epic)).status).toBe('open');
    const creates = b.f.count('POST', /^\/repos\/acme\/app\/issues$/);
    await sync(epic.id);
    expect(b.f.count('POST', /^\/repos\/acme\/app\/issues$/)).toBe(creates);
    const synced = await gh('GET', `/repos/acme/app/issues/${String(bug['number'])}`);
    expect(synced['body']).toContain(`<!-- baton:issue=${defect!.id} -->`);
    expect(synced['body']).toContain('The cart empties on reload.');
    // closed on GitHub: the defect is done, and the feature may complete again
    await setState(bug['number'] as number, 'closed');
    expect((await get(defect!)).status).toBe('done');
    await setState(nCart, 'closed');
    expect((await get(cart)).status).toBe('done');

    // someone copies the epic's marker into an issue of their own and closes it: the epic, which
    // could complete now, stays open (only the GitHub issue Baton recorded for it counts)
    const epicBody = (await gh('GET', `/repos/acme/app/issues/${String(nEpic)}`))['body'] as string;
    expect(epicBody).toContain(`<!-- baton:issue=${epic.id} -->`);
    const forged = await gh('POST', '/repos/acme/app/issues', { title: 'forged', body: epicBody });
    await setState(forged['number'] as number, 'closed');
    expect((await get(epic)).status).toBe('open');
  }, 120_000);
});
