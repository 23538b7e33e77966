import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../helpers/dialects.ts';
import { createApiHarness, userWithRole, type ApiHarness } from './apiHarness.ts';

describe.each(DIALECTS)('the agent role catalog (%s)', (dialect) => {
  let h: ApiHarness;
  beforeAll(async () => {
    h = await createApiHarness(dialect, { runner: false });
  });
  afterAll(async () => h.close());
  const base = '/api/v1/workspaces/default/roles';

  it('lists the built-in roles and resolves pipeline aliases', async () => {
    const list = (await h.app.inject({ url: base })).json<{
      items: Array<{ name: string; source: string }>;
    }>();
    expect(list.items.length).toBe(14);
    expect(list.items.every((r) => r.source === 'builtin')).toBe(true);
    const reviewer = (await h.app.inject({ url: `${base}/reviewer` })).json<{
      name: string;
      spec: { output: unknown };
    }>();
    expect(reviewer.name).toBe('code-reviewer');
    expect(JSON.stringify(reviewer.spec.output)).toContain('changes_requested');
    const missing = await h.app.inject({ url: `${base}/astronaut` });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ hint: expect.stringContaining('developer') as unknown });
  });

  it('stores overrides and custom roles, validates them, and deleting restores the built-in', async () => {
    const put = await h.app.inject({
      method: 'PUT',
      url: `${base}/developer`,
      payload: { title: 'Our developer', prompt: 'Implement {{ task }}', runtime: 'codex', model: 'gpt-5.5' },
    });
    expect(put.statusCode, put.body).toBe(201);
    expect(put.json()).toMatchObject({ source: 'override', runtime: 'codex', updated_by: 'admin' });
    const bad = await h.app.inject({
      method: 'PUT',
      url: `${base}/developer`,
      payload: { title: 'x', prompt: 'p', runtime: 'skynet' },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'invalid_input', field: 'runtime' });
    const enumWithoutValues = await h.app.inject({
      method: 'PUT',
      url: `${base}/grader`,
      payload: { title: 'Grader', prompt: 'p', output: { fields: { grade: { type: 'enum' } } } },
    });
    expect(enumWithoutValues.statusCode).toBe(400);
    const custom = await h.app.inject({
      method: 'PUT',
      url: `${base}/grader`,
      payload: { title: 'Grader', prompt: 'Grade {{ task }}' },
    });
    expect(custom.statusCode).toBe(201);
    expect(custom.json()).toMatchObject({ source: 'custom', runtime: 'claude-code' });
    expect((await h.app.inject({ method: 'DELETE', url: `${base}/developer` })).statusCode).toBe(204);
    expect((await h.app.inject({ url: `${base}/developer` })).json()).toMatchObject({
      source: 'builtin',
      runtime: 'claude-code',
    });
    const builtinDelete = await h.app.inject({ method: 'DELETE', url: `${base}/developer` });
    expect(builtinDelete.statusCode).toBe(404);
  });

  it('serves and replaces onboarding documents; viewers read, maintainers write', async () => {
    const doc = (await h.app.inject({ url: `${base}/qa-tester/onboarding` })).json<{ markdown: string }>();
    expect(doc.markdown).toContain('# QA tester');
    expect(doc.markdown).toContain('`verdict` (enum: pass | fail), required');
    const viewer = await userWithRole(h, `role-viewer-${dialect}`, 'viewer');
    const denied = await h.app.inject({
      method: 'PUT',
      url: `${base}/qa-tester/onboarding`,
      headers: { authorization: `Bearer ${viewer}` },
      payload: { markdown: '# no' },
    });
    expect(denied.statusCode).toBe(403);
    const put = await h.app.inject({
      method: 'PUT',
      url: `${base}/qa-tester/onboarding`,
      payload: { markdown: '# QA\n\nClick everything.' },
    });
    expect(put.json()).toEqual({ markdown: '# QA\n\nClick everything.' });
    const read = await h.app.inject({
      url: `${base}/qa-tester/onboarding`,
      headers: { authorization: `Bearer ${viewer}` },
    });
    expect(read.json()).toEqual({ markdown: '# QA\n\nClick everything.' });
    expect((await h.app.inject({ url: `${base}/qa-tester` })).json()).toMatchObject({ source: 'override' });
  });
});
