import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { IssueRecord } from '../../src/domain/issues/issueRecord.ts';
import type { NextIssue } from '../../src/domain/issues/nextRunnable.ts';
import type { NewIssue } from '../../src/engine/systems/issueTreeSystem.ts';
import { DIALECTS } from '../helpers/dialects.ts';
import { createHarness, type Harness } from '../helpers/engineHarness.ts';

const WORKFLOW = `
name: idea
steps:
  - id: plan
    run: echo plan
`;

const show = (n: NextIssue) => (n.action === 'done' ? 'done' : `${n.action} ${n.issue.title}`);

describe.each(DIALECTS)('the issue tree on %s', (dialect) => {
  let h: Harness;
  let runId: string;
  /** epic → Login (Form, Session), Checkout (Cart, Payments → Card) */
  let t: Record<string, IssueRecord>;

  const add = async (
    title: string,
    kind: NewIssue['kind'],
    parent?: string,
    extra: Partial<NewIssue> = {},
  ) => {
    const { issue } = await h.engine.createIssue({
      workspaceId: 'default',
      kind,
      title,
      ...(parent ? { parentId: t[parent]!.id } : { runId }),
      createdBy: 'dana',
      ...extra,
    });
    t[title] = issue;
    return issue;
  };
  const status = async (title: string) => (await h.engine.getIssue(t[title]!.id)).issue.status;
  const next = async () => show((await h.engine.listRunIssues(runId)).next);
  const complete = (...titles: string[]) =>
    titles.reduce(
      (p, title) => p.then(() => h.engine.completeIssue(t[title]!.id, 'dana')),
      Promise.resolve({} as IssueRecord),
    );

  beforeEach(async () => {
    h = await createHarness(dialect, { runner: false });
    await h.register(WORKFLOW);
    runId = (await h.start('idea')).id;
    t = {};
    await add('Shop', 'epic');
    await add('Login', 'feature', 'Shop');
    await add('Form', 'task', 'Login');
    await add('Session', 'task', 'Login');
    await add('Checkout', 'feature', 'Shop');
    await add('Cart', 'task', 'Checkout');
    await add('Payments', 'feature', 'Checkout');
    await add('Card', 'task', 'Payments');
  });
  afterEach(async () => h.close());

  it('stores the tree of a run: depth-first in sibling order, numbered, with branches', async () => {
    const { issues } = await h.engine.listRunIssues(runId);
    expect(issues.map((i) => i.title)).toEqual([
      'Shop',
      'Login',
      'Form',
      'Session',
      'Checkout',
      'Cart',
      'Payments',
      'Card',
    ]);
    expect(issues.every((i) => i.runId === runId && i.rootId === t['Shop']!.id)).toBe(true);
    expect(issues.map((i) => i.number)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(t['Shop']!.branch).toBe('epic/1-shop');
    expect(t['Payments']!.branch).toBe('feature/7-payments');
    const view = await h.engine.getIssue(t['Login']!.id);
    expect(view.children.map((c) => c.title)).toEqual(['Form', 'Session']);
    expect(view.completable).toBe(false);
    const events = await h.store.listEvents(0, 1000, runId);
    expect(events.filter((e) => e.type === 'issue.created')).toHaveLength(8);
  });

  it('runs siblings in order, depth-first, and gates every parent on its descendants', async () => {
    expect(await next()).toBe('work Form');
    await expect(h.engine.completeIssue(t['Login']!.id, 'dana')).rejects.toMatchObject({
      code: 'invalid_state',
      message: expect.stringMatching(
        /issue #2 cannot complete: 2 issue\(s\) under it are not done/,
      ) as unknown,
    });
    await expect(h.engine.completeIssue(t['Shop']!.id, 'dana')).rejects.toMatchObject({
      code: 'invalid_state',
    });
    await complete('Form');
    expect(await next()).toBe('work Session');
    await complete('Session');
    // completing the last child does not close the parent: it becomes completable
    expect(await status('Login')).toBe('open');
    expect((await h.engine.getIssue(t['Login']!.id)).completable).toBe(true);
    expect(await next()).toBe('complete Login');
    await complete('Login', 'Cart');
    expect(await next()).toBe('work Card');
    await expect(h.engine.updateIssue(t['Checkout']!.id, { status: 'done' }, 'dana')).rejects.toMatchObject({
      code: 'invalid_state',
    });
    await complete('Card', 'Payments', 'Checkout');
    expect(await next()).toBe('complete Shop');
    await complete('Shop');
    expect(await next()).toBe('done');
    await expect(h.engine.completeIssue(t['Shop']!.id, 'dana')).rejects.toMatchObject({
      code: 'invalid_state',
      message: expect.stringMatching(/already done/) as unknown,
    });
  });

  it('a defect under a done task reopens it and its done ancestors, and blocks their merge until fixed', async () => {
    await complete('Form', 'Session', 'Login', 'Cart', 'Card', 'Payments', 'Checkout', 'Shop');
    const filed = await h.engine.fileDefect(t['Form']!.id, { title: 'Form loses input', createdBy: 'qa' });
    t['Form loses input'] = filed.issue;
    expect(filed.issue).toMatchObject({ kind: 'defect', status: 'open', parentId: t['Form']!.id, runId });
    expect(filed.reopened.map((i) => i.title)).toEqual(['Form', 'Login', 'Shop']);
    for (const title of ['Form', 'Login', 'Shop']) expect(await status(title)).toBe('open');
    for (const title of ['Session', 'Checkout', 'Card']) expect(await status(title)).toBe('done');
    for (const title of ['Form', 'Login', 'Shop']) {
      const v = await h.engine.getIssue(t[title]!.id);
      expect(
        v.mergeBlockedBy.map((i) => i.title),
        title,
      ).toEqual(['Form loses input']);
    }
    expect((await h.engine.getIssue(t['Checkout']!.id)).mergeBlockedBy).toEqual([]);
    expect(await next()).toBe('work Form loses input');
    await expect(h.engine.completeIssue(t['Form']!.id, 'dana')).rejects.toMatchObject({
      code: 'invalid_state',
    });
    await complete('Form loses input');
    expect((await h.engine.getIssue(t['Shop']!.id)).mergeBlockedBy).toEqual([]);
    expect(await next()).toBe('complete Form');
    await complete('Form', 'Login', 'Shop');
    expect(await next()).toBe('done');
    const reopened = (await h.store.listEvents(0, 1000, runId)).filter((e) => e.type === 'issue.reopened');
    expect(reopened.map((e) => e.payload['title'])).toEqual(['Form', 'Login', 'Shop']);
  });

  it('a defect under an open issue reopens nothing; other work under a done issue is refused', async () => {
    const { issue, reopened } = await h.engine.fileDefect(t['Session']!.id, { title: 'Timeout' });
    t['Timeout'] = issue;
    expect(reopened).toEqual([]);
    await complete('Form');
    await expect(add('More', 'defect', 'Form')).resolves.toMatchObject({ kind: 'defect' });
    await complete('More', 'Form');
    await expect(add('Extra', 'task', 'Form')).rejects.toMatchObject({ code: 'invalid_input' });
    await complete('Timeout', 'Session', 'Login');
    await expect(add('Late', 'task', 'Login')).rejects.toMatchObject({
      code: 'invalid_state',
      hint: expect.stringMatching(/file a defect/) as unknown,
    });
    // creating a defect with the general call reopens as filing one does
    const viaCreate = await h.engine.createIssue({
      workspaceId: 'default',
      kind: 'defect',
      title: 'Regression',
      parentId: t['Login']!.id,
    });
    expect(viaCreate.reopened.map((i) => i.title)).toEqual(['Login']);
  });

  it('gives every level its branch, base and pull request target', async () => {
    const h1 = await h.engine.issueHierarchy(t['Card']!.id);
    expect(h1.map((x) => [x.issue.title, x.branch, x.base, x.prTarget])).toEqual([
      ['Shop', 'epic/1-shop', 'integration', 'integration'],
      ['Checkout', 'feature/5-checkout', 'epic/1-shop', 'epic/1-shop'],
      ['Payments', 'feature/7-payments', 'feature/5-checkout', 'feature/5-checkout'],
      ['Card', 'task/8-card', 'feature/7-payments', 'feature/7-payments'],
    ]);
    const bug = (await h.engine.fileDefect(t['Cart']!.id, { title: 'Rounding error' })).issue;
    expect((await h.engine.issueHierarchy(bug.id)).at(-1)).toMatchObject({
      branch: 'defect/9-rounding-error',
      base: 'task/6-cart',
      prTarget: 'task/6-cart',
    });
  });

  it('reorders children with a permutation only; the next runnable follows the new order', async () => {
    const login = t['Login']!.id;
    const [form, session] = [t['Form']!.id, t['Session']!.id];
    for (const bad of [[form], [form, form, session], [form, session, t['Cart']!.id], []]) {
      await expect(h.engine.reorderIssueChildren(login, bad, 'dana')).rejects.toMatchObject({
        code: 'invalid_input',
        field: 'ids',
      });
    }
    expect((await h.engine.getIssue(login)).children.map((c) => c.title)).toEqual(['Form', 'Session']);
    const order = await h.engine.reorderIssueChildren(login, [session, form], 'dana');
    expect(order.map((c) => [c.title, c.position])).toEqual([
      ['Session', 0],
      ['Form', 1],
    ]);
    expect((await h.engine.getIssue(login)).children.map((c) => c.title)).toEqual(['Session', 'Form']);
    expect(await next()).toBe('work Session');
    // a child added later goes last
    await add('Logout', 'task', 'Login');
    expect((await h.engine.getIssue(login)).children.map((c) => c.title)).toEqual([
      'Session',
      'Form',
      'Logout',
    ]);
  });

  it('validates edits: transitions, reopening by hand, nesting, runs and workspaces', async () => {
    const form = t['Form']!.id;
    const edited = await h.engine.updateIssue(form, { title: ' Sign-in form ', body: 'fields' }, 'dana');
    expect(edited.issue).toMatchObject({ title: 'Sign-in form', body: 'fields', branch: 'task/3-form' });
    await h.engine.updateIssue(form, { status: 'blocked' }, 'dana');
    await expect(h.engine.completeIssue(form, 'dana')).rejects.toMatchObject({ message: /blocked/ });
    expect(await next()).toBe('blocked Sign-in form');
    await h.engine.updateIssue(form, { status: 'in_progress' }, 'dana');
    await h.engine.updateIssue(form, { status: 'done' }, 'dana');
    await complete('Session', 'Login');
    await expect(h.engine.updateIssue(form, { status: 'in_progress' }, 'dana')).rejects.toMatchObject({
      code: 'invalid_state',
    });
    const reopened = await h.engine.updateIssue(form, { status: 'open' }, 'dana');
    expect(reopened.reopened.map((i) => i.title)).toEqual(['Sign-in form', 'Login']);
    expect(await status('Login')).toBe('open');
    await expect(h.engine.updateIssue(form, { title: '  ' }, 'dana')).rejects.toMatchObject({
      code: 'invalid_input',
    });
    await expect(add('Nested epic', 'epic', 'Shop')).rejects.toMatchObject({
      code: 'invalid_input',
      field: 'kind',
    });
    await expect(add('Wrong run', 'task', 'Login', { runId: 'other' })).rejects.toMatchObject({
      field: 'run_id',
    });
    await expect(add('Elsewhere', 'task', 'Login', { workspaceId: 'other' })).rejects.toMatchObject({
      code: 'not_found',
    });
    await expect(add('No run', 'epic', undefined, { runId: 'nope' })).rejects.toMatchObject({
      code: 'not_found',
      field: 'run_id',
    });
    await expect(h.engine.getIssue('nope')).rejects.toMatchObject({ code: 'not_found' });
    await expect(h.engine.listRunIssues('nope')).rejects.toMatchObject({ code: 'not_found' });
    const loose = await h.engine.createIssue({ workspaceId: 'other', kind: 'task', title: 'Loose' });
    expect(loose.issue).toMatchObject({ runId: null, number: 1, position: 1, branch: 'task/1-loose' });
  });

  it('numbers concurrent creations without gaps or duplicates', async () => {
    const made = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        h.engine.createIssue({
          workspaceId: 'default',
          kind: 'task',
          title: `t${i}`,
          parentId: t['Payments']!.id,
        }),
      ),
    );
    const numbers = made.map((m) => m.issue.number).sort((a, b) => a - b);
    expect(numbers).toEqual(Array.from({ length: 12 }, (_, i) => i + 9));
    const positions = (await h.engine.getIssue(t['Payments']!.id)).children.map((c) => c.position);
    expect(new Set(positions).size).toBe(13);
  });

  it('records forge references', async () => {
    const updated = await h.engine.setIssueForgeRefs(t['Card']!.id, {
      prNumber: 42,
      prUrl: 'https://github.com/acme/shop/pull/42',
      githubIssueNumber: 7,
    });
    expect(updated).toMatchObject({ prNumber: 42, githubIssueNumber: 7 });
    expect((await h.engine.getIssue(t['Card']!.id)).issue).toMatchObject({
      prNumber: 42,
      prUrl: 'https://github.com/acme/shop/pull/42',
      githubIssueNumber: 7,
    });
  });
});
