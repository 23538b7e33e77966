import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../helpers/dialects.ts';
import { createApiHarness, SIMPLE_WORKFLOW, userWithRole, type ApiHarness } from './apiHarness.ts';

interface IssueOut {
  id: string;
  number: number;
  kind: string;
  title: string;
  status: string;
  branch: string;
  parent_id: string | null;
  run_id: string | null;
  position: number;
}
interface IssueDetail extends IssueOut {
  children: IssueOut[];
  completable: boolean;
  merge_blocked_by: IssueOut[];
  next: { action: string; issue_id: string | null };
}

describe.each(DIALECTS)('the issue tree API (%s)', (dialect) => {
  let h: ApiHarness;
  let runId: string;
  const ids: Record<string, string> = {};

  async function send(
    method: 'GET' | 'POST' | 'PATCH' | 'PUT',
    url: string,
    payload?: object,
    token?: string,
  ) {
    return h.app.inject({
      method,
      url,
      ...(payload ? { payload } : {}),
      ...(token ? { headers: { authorization: `Bearer ${token}` } } : {}),
    });
  }
  async function create(title: string, kind: string, parent?: string): Promise<IssueOut> {
    const res = await send('POST', '/api/v1/workspaces/default/issues', {
      kind,
      title,
      ...(parent ? { parent_id: ids[parent] } : { run_id: runId }),
    });
    expect(res.statusCode, res.body).toBe(201);
    const issue = res.json<IssueOut>();
    ids[title] = issue.id;
    return issue;
  }
  const issue = async (title: string) =>
    (await send('GET', `/api/v1/issues/${ids[title]}`)).json<IssueDetail>();
  const complete = async (...titles: string[]) => {
    for (const t of titles) {
      const res = await send('POST', `/api/v1/issues/${ids[t]}/complete`);
      expect(res.statusCode, `${t}: ${res.body}`).toBe(200);
    }
  };
  const tree = async () =>
    (await send('GET', `/api/v1/runs/${runId}/issues`)).json<{
      items: IssueOut[];
      next: { action: string; issue_id: string | null };
    }>();
  const nameOf = (id: string | null) => Object.entries(ids).find(([, v]) => v === id)?.[0] ?? null;

  beforeAll(async () => {
    h = await createApiHarness(dialect, { runner: false });
    await h.register(SIMPLE_WORKFLOW);
    runId = (await h.start('simple')).id;
    await create('Shop', 'epic');
    await create('Login', 'feature', 'Shop');
    await create('Form', 'task', 'Login');
    await create('Session', 'task', 'Login');
    await create('Checkout', 'feature', 'Shop');
    await create('Cart', 'task', 'Checkout');
  });
  afterAll(async () => h.close());

  it('creates a three-level tree owned by a run and lists it depth-first with what runs next', async () => {
    const t = await tree();
    expect(t.items.map((i) => i.title)).toEqual(['Shop', 'Login', 'Form', 'Session', 'Checkout', 'Cart']);
    expect(t.items.every((i) => i.run_id === runId)).toBe(true);
    expect(t.items.map((i) => i.branch)).toEqual([
      'epic/1-shop',
      'feature/2-login',
      'task/3-form',
      'task/4-session',
      'feature/5-checkout',
      'task/6-cart',
    ]);
    expect(t.next).toEqual({ action: 'work', issue_id: ids['Form'] });
    const login = await issue('Login');
    expect(login.children.map((c) => c.title)).toEqual(['Form', 'Session']);
    expect(login).toMatchObject({ completable: false, merge_blocked_by: [] });
    // by prefix, as every run route
    const byPrefix = await send('GET', `/api/v1/runs/${runId.slice(0, 13)}/issues`);
    expect(byPrefix.json<{ items: unknown[] }>().items).toHaveLength(6);
  });

  it('refuses to complete a parent with open descendants, with a problem naming them', async () => {
    const res = await send('POST', `/api/v1/issues/${ids['Shop']}/complete`);
    expect(res.statusCode).toBe(409);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.json()).toMatchObject({
      code: 'invalid_state',
      field: 'status',
      detail: expect.stringContaining(
        '5 issue(s) under it are not done: #2 "Login" (feature, open)',
      ) as unknown,
    });
    await complete('Form');
    expect((await tree()).next).toEqual({ action: 'work', issue_id: ids['Session'] });
    await complete('Session');
    expect(await issue('Login')).toMatchObject({ status: 'open', completable: true });
    expect((await tree()).next).toEqual({ action: 'complete', issue_id: ids['Login'] });
    await complete('Login');
    expect((await tree()).next).toEqual({ action: 'work', issue_id: ids['Cart'] });
  });

  it('a defect under a done task reopens it and its done ancestors and blocks their merge', async () => {
    const res = await send('POST', `/api/v1/issues/${ids['Form']}/defects`, { title: 'Form loses input' });
    expect(res.statusCode, res.body).toBe(201);
    const defect = res.json<IssueOut & { reopened: string[] }>();
    ids['Form loses input'] = defect.id;
    expect(res.headers['location']).toBe(`/api/v1/issues/${defect.id}`);
    expect(defect).toMatchObject({ kind: 'defect', status: 'open', parent_id: ids['Form'], run_id: runId });
    expect(defect.reopened.map(nameOf)).toEqual(['Form', 'Login']);
    for (const t of ['Form', 'Login', 'Shop']) {
      const v = await issue(t);
      expect(v.status, t).toBe('open');
      expect(
        v.merge_blocked_by.map((d) => d.title),
        t,
      ).toEqual(['Form loses input']);
    }
    expect((await issue('Session')).status).toBe('done');
    expect((await tree()).next).toEqual({ action: 'work', issue_id: defect.id });
    expect((await send('POST', `/api/v1/issues/${ids['Form']}/complete`)).statusCode).toBe(409);
    await complete('Form loses input');
    expect((await issue('Login')).merge_blocked_by).toEqual([]);
    await complete('Form', 'Login');
  });

  it('gives the hierarchy of an issue: branch, base and pull request target at every level', async () => {
    const res = await send('GET', `/api/v1/issues/${ids['Form loses input']}/hierarchy`);
    expect(res.statusCode).toBe(200);
    const items = res.json<{
      items: Array<{ title: string; branch: string; base: string; pr_target: string }>;
    }>().items;
    expect(items.map((x) => [x.title, x.branch, x.base, x.pr_target])).toEqual([
      ['Shop', 'epic/1-shop', 'integration', 'integration'],
      ['Login', 'feature/2-login', 'epic/1-shop', 'epic/1-shop'],
      ['Form', 'task/3-form', 'feature/2-login', 'feature/2-login'],
      // Form and Login are done again: a done defect would start from the nearest open ancestor
      ['Form loses input', 'defect/7-form-loses-input', 'epic/1-shop', 'task/3-form'],
    ]);
    const cart = await send('GET', `/api/v1/issues/${ids['Cart']}/hierarchy`);
    expect(cart.json<{ items: Array<{ base: string; pr_target: string }> }>().items.at(-1)).toMatchObject({
      branch: 'task/6-cart',
      base: 'feature/5-checkout',
      pr_target: 'feature/5-checkout',
    });
  });

  it('reorders children only with a permutation of them', async () => {
    const url = `/api/v1/issues/${ids['Shop']}/children/order`;
    const [login, checkout] = [ids['Login']!, ids['Checkout']!];
    for (const bad of [[login], [login, login], [login, checkout, ids['Cart']!]]) {
      const res = await send('PUT', url, { ids: bad });
      expect(res.statusCode, JSON.stringify(bad)).toBe(400);
      expect(res.json()).toMatchObject({ code: 'invalid_input', field: 'ids' });
    }
    const ok = await send('PUT', url, { ids: [checkout, login] });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json<{ items: IssueOut[] }>().items.map((i) => [i.title, i.position])).toEqual([
      ['Checkout', 0],
      ['Login', 1],
    ]);
    expect((await tree()).items.map((i) => i.title)).toEqual([
      'Shop',
      'Checkout',
      'Cart',
      'Login',
      'Form',
      'Form loses input',
      'Session',
    ]);
  });

  it('validates edits and status transitions', async () => {
    const url = `/api/v1/issues/${ids['Cart']}`;
    const edited = await send('PATCH', url, { title: 'Basket', body: 'keeps items', status: 'in_progress' });
    expect(edited.statusCode, edited.body).toBe(200);
    expect(edited.json()).toMatchObject({ title: 'Basket', status: 'in_progress', branch: 'task/6-cart' });
    expect((await send('PATCH', url, { title: ' ' })).statusCode).toBe(400);
    expect((await send('PATCH', url, { status: 'finished' })).statusCode).toBe(400);
    expect((await send('PATCH', url, { status: 'done' })).json()).toMatchObject({ status: 'done' });
    const bad = await send('PATCH', url, { status: 'blocked' });
    expect(bad.statusCode).toBe(409);
    expect(bad.json()).toMatchObject({ detail: expect.stringMatching(/only be reopened/) as unknown });
    const reopened = await send('PATCH', url, { status: 'open' });
    expect(reopened.json()).toMatchObject({ status: 'open', reopened: [ids['Cart']] });
    const parentDone = await send('PATCH', `/api/v1/issues/${ids['Checkout']}`, { status: 'done' });
    expect(parentDone.statusCode).toBe(409);
  });

  it('refuses bad creations: kinds that do not nest, unknown parents, runs and workspaces', async () => {
    const post = (payload: object, ws = 'default') =>
      send('POST', `/api/v1/workspaces/${ws}/issues`, payload);
    expect((await post({ kind: 'epic', title: 'Inner', parent_id: ids['Shop'] })).json()).toMatchObject({
      code: 'invalid_input',
      field: 'kind',
    });
    expect(
      (await post({ kind: 'task', title: 'x', parent_id: '0190aaaa-0000-7000-8000-000000000000' }))
        .statusCode,
    ).toBe(404);
    expect((await post({ kind: 'epic', title: 'x', run_id: 'ffffffff' })).statusCode).toBe(404);
    expect((await post({ kind: 'epic', title: 'x' }, 'nope')).statusCode).toBe(404);
    expect((await post({ kind: 'saga', title: 'x' })).statusCode).toBe(400);
    expect((await post({ kind: 'task', title: 'bad\u0007bell' })).statusCode).toBe(400);
    expect((await send('GET', '/api/v1/issues/0190aaaa-0000-7000-8000-000000000000')).statusCode).toBe(404);
    await h.app.inject({
      method: 'POST',
      url: '/api/v1/workspaces',
      payload: { id: 'other', name: 'Other' },
    });
    // a parent of another workspace is not there
    const cross = await post({ kind: 'task', title: 'x', parent_id: ids['Login'] }, 'other');
    expect(cross.statusCode).toBe(404);
    const loose = await post({ kind: 'task', title: 'Loose' }, 'other');
    expect(loose.json()).toMatchObject({ number: 1, run_id: null, branch: 'task/1-loose' });
  });

  it('viewers read, members write, other workspaces see nothing; writes are audited', async () => {
    const viewer = await userWithRole(h, 'vera', 'viewer');
    const member = await userWithRole(h, 'mo', 'member');
    const stranger = await userWithRole(h, 'sam', 'admin', 'elsewhere');
    const url = `/api/v1/issues/${ids['Shop']}`;
    expect((await send('GET', url, undefined, viewer)).statusCode).toBe(200);
    expect((await send('GET', `${url}/hierarchy`, undefined, viewer)).statusCode).toBe(200);
    expect((await send('POST', `${url}/defects`, { title: 'x' }, viewer)).statusCode).toBe(403);
    expect((await send('GET', url, undefined, stranger)).statusCode).toBe(404);
    expect((await send('GET', `/api/v1/runs/${runId}/issues`, undefined, stranger)).statusCode).toBe(404);
    expect((await send('PATCH', url, { title: 'x' }, stranger)).statusCode).toBe(404);
    const filed = await send('POST', `/api/v1/issues/${ids['Session']}/defects`, { title: 'Expiry' }, member);
    expect(filed.statusCode).toBe(201);
    expect(filed.json()).toMatchObject({ created_by: 'mo' });
    const audit = await send('GET', '/api/v1/audit?limit=50');
    const rows = audit.json<{
      items: Array<{ action: string; path: string; login: string | null; outcome: string }>;
    }>().items;
    expect(rows.find((a) => a.login === 'mo' && a.path.endsWith('/defects'))).toMatchObject({
      action: 'issues.write',
      outcome: 'succeeded',
    });
    expect(rows.find((a) => a.login === 'vera' && a.path.endsWith('/defects'))).toMatchObject({
      outcome: 'denied',
    });
  });

  it('writes issue events on the run', async () => {
    const types = (await h.store.listEvents(0, 1000, runId)).map((e) => e.type);
    for (const t of [
      'issue.created',
      'issue.completed',
      'issue.reopened',
      'issue.reordered',
      'issue.updated',
    ])
      expect(types, t).toContain(t);
  });
});
