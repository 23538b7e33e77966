import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { forgeActionHarness, stepOf, type ForgeActionHarness } from './forgeActionHarness.ts';

/**
 * One branch, one worktree: a run's git/workspace on a branch that a live run has checked out
 * fails naming that run (retryable: it may end); once that run has ended, its worktree is removed
 * and the branch taken over.
 */
const HOLD = `
name: hold
steps:
  - id: ws
    uses: git/workspace
    with: { repository: acme/demo, branch: shared-work, base: main }
  - id: gate
    needs: [ws]
    approval: { message: hold the branch }
`;
const TAKE = `
name: take
steps:
  - id: ws
    uses: git/workspace
    with: { repository: acme/demo, branch: shared-work, base: main }
`;

describe('worktrees of ended runs give their branch up', () => {
  let h: ForgeActionHarness;
  beforeAll(async () => {
    h = await forgeActionHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('refuses a branch a live run holds, and takes it over once that run ended', async () => {
    const holder = await h.start(HOLD);
    for (let i = 0; (await h.app.engine.getRun(holder.runId)).run.status !== 'awaiting_approval'; i++) {
      if (i > 600) throw new Error('the holding run never reached its approval');
      await new Promise((r) => setTimeout(r, 50));
    }
    const refused = await h.run(TAKE);
    expect(refused.d.run.status).toBe('failed');
    expect(stepOf(refused.d, 'ws').error?.message).toContain(`branch "shared-work" is checked out in`);
    expect(stepOf(refused.d, 'ws').error?.message).toContain(
      `the worktree of run ${holder.runId} (awaiting_approval)`,
    );

    await h.app.engine.cancel(holder.runId, { by: 'test' });
    await holder.done();
    const taken = await h.run(TAKE);
    expect(taken.d.run.status, JSON.stringify(stepOf(taken.d, 'ws').error)).toBe('succeeded');
    expect(await taken.log('ws')).toContain(`run ${holder.runId} (cancelled) still held shared-work`);
  });
});
