import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APPROVAL_WORKFLOW, createApiHarness, type ApiHarness } from '../api/apiHarness.ts';
import { githubDelivery, runPullRequestComment } from './githubWebhookRequests.ts';

/** Slash commands in comments on a Baton pull request: carried out as the author, if they may write. */
describe('GitHub slash commands (sqlite)', () => {
  let h: ApiHarness;
  beforeAll(async () => {
    h = await createApiHarness('sqlite');
    await h.register(APPROVAL_WORKFLOW);
  });
  afterAll(() => h.close());

  const comment = (runId: string, body: string, association: string, login = 'alice') =>
    runPullRequestComment(runId, body, association, login);

  async function send(payload: unknown): Promise<number> {
    const res = await h.app.inject({ method: 'POST', ...(await githubDelivery('issue_comment', payload)) });
    return res.statusCode;
  }

  it('/approve from a collaborator approves the run’s pending approval, as github:<login>', async () => {
    const run = await h.start('gated');
    await h.waitFor(run.id, (d) => d.run.status === 'awaiting_approval');
    expect(await send(comment(run.id, '/approve ship it', 'COLLABORATOR'))).toBe(202);
    const d = await h.waitFor(run.id, (x) => x.run.status === 'succeeded');
    expect(d.waits.find((w) => w.kind === 'approval')).toMatchObject({
      status: 'approved',
      decidedBy: 'github:alice',
      comment: 'ship it',
    });
  });

  it('refuses a command from someone without write access, and ignores ordinary comments', async () => {
    const run = await h.start('gated');
    await h.waitFor(run.id, (d) => d.run.status === 'awaiting_approval');
    expect(await send(comment(run.id, '/approve', 'NONE', 'mallory'))).toBe(202);
    expect(await send(comment(run.id, 'looks good to me', 'OWNER'))).toBe(202);
    await new Promise((r) => setTimeout(r, 200));
    expect((await h.engine.getRun(run.id)).run.status).toBe('awaiting_approval');
    expect(await send(comment(run.id, '/cancel not needed', 'OWNER', 'owner'))).toBe(202);
    const d = await h.waitFor(run.id, (x) => x.run.status === 'cancelled');
    expect(d.run.error?.message).toContain('github:owner');
  });
});
