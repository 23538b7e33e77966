import type { NewIssue } from '../../src/engine/systems/issueTreeSystem.ts';
import type { ApiHarness } from './apiHarness.ts';
import type { Req } from './routeFixtures.ts';

/** Valid requests for the issue routes: each call gets fresh issues in the default workspace. */
export async function issueFixtures(
  h: ApiHarness,
  runId: string,
): Promise<Record<string, () => Promise<Req>>> {
  const add = async (kind: NewIssue['kind'], title: string, parentId?: string) =>
    (
      await h.engine.createIssue({
        workspaceId: 'default',
        kind,
        title,
        ...(parentId ? { parentId } : {}),
      })
    ).issue;
  const epic = await h.engine.createIssue({ workspaceId: 'default', kind: 'epic', title: 'Shop', runId });
  const feature = await add('feature', 'Login', epic.issue.id);
  const task = await add('task', 'Form', feature.id);
  return {
    'POST /api/v1/workspaces/{workspace}/issues': async () => ({
      url: '/api/v1/workspaces/default/issues',
      payload: { kind: 'feature', title: 'Search', body: 'find things', parent_id: epic.issue.id },
    }),
    'GET /api/v1/runs/{id}/issues': async () => ({ url: `/api/v1/runs/${runId}/issues` }),
    'GET /api/v1/issues/{id}': async () => ({ url: `/api/v1/issues/${feature.id}` }),
    'PATCH /api/v1/issues/{id}': async () => ({
      url: `/api/v1/issues/${(await add('task', 'Draft')).id}`,
      payload: { title: 'Final', status: 'in_progress' },
    }),
    'PUT /api/v1/issues/{id}/children/order': async () => {
      const parent = await add('epic', 'Ordered');
      const a = await add('feature', 'A', parent.id);
      const b = await add('feature', 'B', parent.id);
      return { url: `/api/v1/issues/${parent.id}/children/order`, payload: { ids: [b.id, a.id] } };
    },
    'POST /api/v1/issues/{id}/defects': async () => {
      const done = await add('task', 'Shipped');
      await h.engine.completeIssue(done.id, 'test');
      return { url: `/api/v1/issues/${done.id}/defects`, payload: { title: 'It broke' } };
    },
    'GET /api/v1/issues/{id}/hierarchy': async () => ({ url: `/api/v1/issues/${task.id}/hierarchy` }),
    'POST /api/v1/issues/{id}/complete': async () => ({
      url: `/api/v1/issues/${(await add('task', 'Leaf')).id}/complete`,
    }),
  };
}
