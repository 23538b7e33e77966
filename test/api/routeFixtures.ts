import { expect } from 'vitest';
import { createSignInCode } from '../../src/accounts/bootstrapAccounts.ts';
import { signCursorWebhook } from '../../src/agents/runtimes/cursor/verifyCursorWebhook.ts';
import { SIMPLE_WORKFLOW, TEST_CURSOR_SECRET, type ApiHarness } from './apiHarness.ts';
import { issueFixtures } from './issueFixtures.ts';
import { githubDelivery, SAMPLE_FINDINGS, securityDelivery } from '../forges/githubWebhookRequests.ts';

export const FAILING = `
name: failing
steps:
  - id: bad
    run: exit 3
`;
export const SLOW = `
name: slow
steps:
  - id: nap
    run: sleep 30
`;

export interface Req {
  url: string;
  payload?: unknown;
  headers?: Record<string, string>;
}

/** Builds a valid request for every documented operation (a missing one fails the test). */
export async function fixtures(
  h: ApiHarness,
  opts: { workspace?: string } = {},
): Promise<Record<string, () => Promise<Req>>> {
  const run = async (wf: string) => (await h.start(wf)).id;
  const awaiting = async () => {
    const id = await run('gated');
    await h.waitFor(id, (d) => d.run.status === 'awaiting_approval');
    return id;
  };
  const running = async () => {
    const id = await run('slow');
    await h.waitFor(id, (d) => d.steps.some((s) => s.status === 'running'));
    return id;
  };
  const done = await run('simple');
  await h.finish(done);
  const acc = await accountFixtures(h, opts.workspace);
  return {
    ...acc,
    ...(await issueFixtures(h, done)),
    'GET /healthz': async () => ({ url: '/healthz' }),
    'GET /readyz': async () => ({ url: '/readyz' }),
    'GET /api/v1/workflows': async () => ({ url: '/api/v1/workflows?limit=2' }),
    'GET /api/v1/workflows/{name}': async () => ({ url: '/api/v1/workflows/simple' }),
    'POST /api/v1/workflows/validate': async () => ({
      url: '/api/v1/workflows/validate',
      payload: { source: SIMPLE_WORKFLOW },
    }),
    'PUT /api/v1/workflows/{name}': async () => ({
      url: '/api/v1/workflows/simple',
      payload: { source: SIMPLE_WORKFLOW.replace('name: simple', 'name: simple') },
    }),
    'POST /api/v1/workflows/{name}/runs': async () => ({
      url: '/api/v1/workflows/simple/runs',
      payload: { inputs: { who: 'contract' } },
    }),
    'GET /api/v1/runs': async () => ({ url: '/api/v1/runs?limit=3&status=succeeded,running' }),
    'GET /api/v1/runs/{id}': async () => ({ url: `/api/v1/runs/${done}` }),
    'GET /api/v1/runs/{id}/timeline': async () => ({ url: `/api/v1/runs/${done}/timeline?limit=2` }),
    'POST /api/v1/runs/{id}/cancel': async () => ({
      url: `/api/v1/runs/${await running()}/cancel`,
      payload: {},
    }),
    'POST /api/v1/runs/{id}/pause': async () => ({
      url: `/api/v1/runs/${await running()}/pause`,
      payload: { reason: 'contract' },
    }),
    'POST /api/v1/runs/{id}/resume': async () => {
      const id = await running();
      await h.engine.pause(id, { by: 'test' });
      return { url: `/api/v1/runs/${id}/resume`, payload: {} };
    },
    'POST /api/v1/runs/{id}/advance': async () => ({
      url: `/api/v1/runs/${await awaiting()}/advance`,
      payload: { step: 'gate' },
    }),
    'POST /api/v1/runs/{id}/interrupt': async () => ({
      url: `/api/v1/runs/${await running()}/interrupt`,
      payload: { action: 'cancel', reason: 'contract' },
    }),
    'POST /api/v1/runs/{id}/steps/{step}/retry': async () => {
      const id = await run('failing');
      await h.finish(id);
      return { url: `/api/v1/runs/${id}/steps/bad/retry` };
    },
    'GET /api/v1/runs/{id}/steps/{step}/logs': async () => ({ url: `/api/v1/runs/${done}/steps/hello/logs` }),
    'GET /api/v1/runs/{id}/steps/{step}/transcript': async () => ({
      url: `/api/v1/runs/${done}/steps/hello/transcript`,
    }),
    'GET /api/v1/runs/{id}/agent-attempts': async () => ({ url: `/api/v1/runs/${done}/agent-attempts` }),
    'POST /webhooks/cursor': async () => {
      const body = JSON.stringify({ event: 'statusChange', id: `bc_${Date.now()}`, status: 'FINISHED' });
      return {
        url: '/webhooks/cursor',
        payload: body,
        headers: {
          'content-type': 'application/json',
          'x-webhook-signature': signCursorWebhook(body, TEST_CURSOR_SECRET),
        },
      };
    },
    'POST /webhooks/github': async () =>
      githubDelivery('ping', { zen: 'Keep it logically awesome.', hook_id: 1 }),
    'POST /webhooks/security': async () =>
      securityDelivery(SAMPLE_FINDINGS, { id: `scan-${Date.now()}-${seq++}` }),
    // the test servers have no GitHub: both answer `configured: false`
    'POST /auth/github-app/callback': async () => ({
      url: '/auth/github-app/callback',
      payload: { installation_id: 1, setup_action: 'install', workspace: opts.workspace ?? 'default' },
    }),
    'GET /api/v1/workspaces/{workspace}/github/repos': async () => ({
      url: `/api/v1/workspaces/${opts.workspace ?? 'default'}/github/repos`,
    }),
    'GET /api/v1/approvals': async () => {
      await awaiting();
      return { url: '/api/v1/approvals' };
    },
    'POST /api/v1/runs/{id}/steps/{step}/approve': async () => ({
      url: `/api/v1/runs/${await awaiting()}/steps/gate/approve`,
      payload: { comment: 'ok' },
      headers: { 'x-baton-actor': 'alice' },
    }),
    'POST /api/v1/runs/{id}/steps/{step}/reject': async () => ({
      url: `/api/v1/runs/${await awaiting()}/steps/gate/reject`,
      payload: { comment: 'no' },
    }),
    'GET /api/v1/queue': async () => ({ url: '/api/v1/queue' }),
    'PATCH /api/v1/queue': async () => ({ url: '/api/v1/queue', payload: { stop_on_failure: false } }),
    'PUT /api/v1/queue/limits/{key}': async () => ({
      url: '/api/v1/queue/limits/prod',
      payload: { limit: 2 },
    }),
    'GET /api/v1/events': async () => ({ url: '/api/v1/events?limit=5' }),
    'GET /api/v1/events/pending': async () => ({ url: '/api/v1/events/pending' }),
    'POST /api/v1/events': async () => ({
      url: '/api/v1/events',
      payload: { type: 'ci.done', payload: { ok: true } },
    }),
    'POST /api/v1/events/{id}/processed': async () => {
      const e = await h.store.insertExternalEvent({ type: 'ci.done', payload: {} }, Date.now());
      return { url: `/api/v1/events/${e.id}/processed` };
    },
  };
}

let seq = 0;
/** Workspaces, users, projects, repositories and tokens for the account routes. */
async function accountFixtures(
  h: ApiHarness,
  workspace?: string,
): Promise<Record<string, () => Promise<Req>>> {
  const n = ++seq;
  const post = async (url: string, payload: object) => {
    const res = await h.app.inject({ method: 'POST', url, payload });
    expect(res.statusCode, `${url}: ${res.body}`).toBe(201);
    return res.json<{ id: string }>();
  };
  await post('/api/v1/users', { login: `bob${n}` });
  const ws = workspace ?? `ws${n}`;
  if (workspace === undefined) await post('/api/v1/workspaces', { id: ws, name: `Workspace ${n}` });
  const project = await post(`/api/v1/workspaces/${ws}/projects`, { slug: `app${n}`, name: 'App' });
  const repo = () =>
    post(`/api/v1/workspaces/${ws}/repositories`, {
      name: `acme/r${++seq}`,
      url: 'https://example.com/r.git',
    });
  const token = () => post('/api/v1/tokens', { name: `t${++seq}` });
  return {
    'POST /api/v1/auth/sign-in': async () => ({
      url: '/api/v1/auth/sign-in',
      payload: { code: await createSignInCode(h.accounts, h.app.batonOwner.id, Date.now()) },
    }),
    'GET /api/v1/me': async () => ({ url: '/api/v1/me' }),
    'GET /api/v1/tokens': async () => ({ url: '/api/v1/tokens?limit=5' }),
    'POST /api/v1/tokens': async () => ({
      url: '/api/v1/tokens',
      payload: { name: 'ci', expires_in_days: 30 },
    }),
    'DELETE /api/v1/tokens/{id}': async () => ({ url: `/api/v1/tokens/${(await token()).id}` }),
    'GET /api/v1/workspaces': async () => ({ url: '/api/v1/workspaces' }),
    'POST /api/v1/workspaces': async () => ({
      url: '/api/v1/workspaces',
      payload: { id: `new${++seq}`, name: 'New' },
    }),
    'GET /api/v1/workspaces/{workspace}': async () => ({ url: `/api/v1/workspaces/${ws}` }),
    'PATCH /api/v1/workspaces/{workspace}': async () => ({
      url: `/api/v1/workspaces/${ws}`,
      payload: { name: 'Renamed' },
    }),
    'GET /api/v1/workspaces/{workspace}/members': async () => ({ url: `/api/v1/workspaces/${ws}/members` }),
    'PUT /api/v1/workspaces/{workspace}/members/{login}': async () => ({
      url: `/api/v1/workspaces/${ws}/members/bob${n}`,
      payload: { role: 'member' },
    }),
    'DELETE /api/v1/workspaces/{workspace}/members/{login}': async () => {
      await h.app.inject({
        method: 'PUT',
        url: `/api/v1/workspaces/${ws}/members/bob${n}`,
        payload: { role: 'viewer' },
      });
      return { url: `/api/v1/workspaces/${ws}/members/bob${n}` };
    },
    'GET /api/v1/users': async () => ({ url: '/api/v1/users' }),
    'POST /api/v1/users': async () => ({
      url: '/api/v1/users',
      payload: { login: `carol${++seq}`, email: 'c@example.com' },
    }),
    'GET /api/v1/users/{login}': async () => ({ url: `/api/v1/users/bob${n}` }),
    'PATCH /api/v1/users/{login}': async () => ({ url: `/api/v1/users/bob${n}`, payload: { name: 'Bob' } }),
    'GET /api/v1/workspaces/{workspace}/projects': async () => ({ url: `/api/v1/workspaces/${ws}/projects` }),
    'POST /api/v1/workspaces/{workspace}/projects': async () => ({
      url: `/api/v1/workspaces/${ws}/projects`,
      payload: { slug: `p${++seq}`, name: 'P' },
    }),
    'GET /api/v1/projects/{id}': async () => ({ url: `/api/v1/projects/${project.id}` }),
    'PATCH /api/v1/projects/{id}': async () => ({
      url: `/api/v1/projects/${project.id}`,
      payload: { description: 'd' },
    }),
    'DELETE /api/v1/projects/{id}': async () => ({
      url: `/api/v1/projects/${(await post(`/api/v1/workspaces/${ws}/projects`, { slug: `gone${++seq}`, name: 'G' })).id}`,
    }),
    'GET /api/v1/workspaces/{workspace}/repositories': async () => ({
      url: `/api/v1/workspaces/${ws}/repositories`,
    }),
    'POST /api/v1/workspaces/{workspace}/repositories': async () => ({
      url: `/api/v1/workspaces/${ws}/repositories`,
      payload: { name: `acme/x${++seq}`, url: 'git@example.com:acme/x.git', project_id: project.id },
    }),
    'GET /api/v1/repositories/{id}': async () => ({ url: `/api/v1/repositories/${(await repo()).id}` }),
    'PATCH /api/v1/repositories/{id}': async () => ({
      url: `/api/v1/repositories/${(await repo()).id}`,
      payload: { default_branch: 'develop' },
    }),
    'DELETE /api/v1/repositories/{id}': async () => ({ url: `/api/v1/repositories/${(await repo()).id}` }),
    'GET /api/v1/audit': async () => ({ url: '/api/v1/audit?limit=5' }),
    'GET /api/v1/workspaces/{workspace}/budget': async () => ({ url: `/api/v1/workspaces/${ws}/budget` }),
    'PUT /api/v1/workspaces/{workspace}/budget': async () => ({
      url: `/api/v1/workspaces/${ws}/budget`,
      payload: { usd: 1000, period: 'month' },
    }),
    'DELETE /api/v1/workspaces/{workspace}/budget': async () => ({ url: `/api/v1/workspaces/${ws}/budget` }),
    'GET /api/v1/workspaces/{workspace}/roles': async () => ({ url: `/api/v1/workspaces/${ws}/roles` }),
    'GET /api/v1/workspaces/{workspace}/roles/{name}': async () => ({
      url: `/api/v1/workspaces/${ws}/roles/coding`,
    }),
    'PUT /api/v1/workspaces/{workspace}/roles/{name}': async () => ({
      url: `/api/v1/workspaces/${ws}/roles/custom-${++seq}`,
      payload: { title: 'Custom', prompt: 'Do {{ task }}', runtime: 'codex', model: 'gpt-5.5' },
    }),
    'DELETE /api/v1/workspaces/{workspace}/roles/{name}': async () => {
      const name = `gone-${++seq}`;
      await h.app.inject({
        method: 'PUT',
        url: `/api/v1/workspaces/${ws}/roles/${name}`,
        payload: { title: 'Gone', prompt: 'p' },
      });
      return { url: `/api/v1/workspaces/${ws}/roles/${name}` };
    },
    'GET /api/v1/workspaces/{workspace}/roles/{name}/onboarding': async () => ({
      url: `/api/v1/workspaces/${ws}/roles/developer/onboarding`,
    }),
    'PUT /api/v1/workspaces/{workspace}/roles/{name}/onboarding': async () => ({
      url: `/api/v1/workspaces/${ws}/roles/verifier/onboarding`,
      payload: { markdown: '# Verifier\n\nCheck the deployment.' },
    }),
  };
}
