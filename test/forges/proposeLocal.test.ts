import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BatonError } from '../../src/domain/errors.ts';
import { git } from '../helpers/bareOrigin.ts';
import { forgeActionHarness, stepOf, type ForgeActionHarness } from './forgeActionHarness.ts';
import { proposeFlow } from './forgeFlows.ts';

/**
 * forge/propose on the local forge (SQLite, real git): commit → push → pull request → reviews as
 * one operation, and what a failure for good undoes (the branch this step created, the pull request
 * it opened), what it never undoes (a branch that existed before or moved since), and that a
 * failure another attempt resumes undoes nothing.
 */
const flow = (o: Parameters<typeof proposeFlow>[1] = {}) =>
  proposeFlow('acme/demo', { message: '"Add a greeting\\n\\nScripted."', ...o });

const refuse = (message: string) => new BatonError('invalid_state', message, { retryable: false });
const remoteBranch = (h: ForgeActionHarness, b: string): string | null => {
  try {
    return git(h.origin, 'rev-parse', '--verify', '--quiet', `refs/heads/${b}`);
  } catch {
    return null;
  }
};

describe('forge/propose on the local forge', () => {
  let h: ForgeActionHarness;
  beforeAll(async () => {
    h = await forgeActionHarness({ branches: ['shared'] });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('commits, pushes, opens one pull request with the template and asks for reviews', async () => {
    const { d, log } = await h.run(flow({ reviewers: 'alice, bob' }));
    const s = stepOf(d, 'propose');
    expect(d.run.status, JSON.stringify(s.error)).toBe('succeeded');
    expect(s.outputs).toMatchObject({
      committed: 'true',
      branch_created: 'true',
      created: 'true',
      base: 'main',
    });
    const branch = String(s.outputs?.head);
    expect(remoteBranch(h, branch)).toBe(s.outputs?.head_sha);
    const pr = await h.local.getPullRequest(h.origin, Number(s.outputs?.number), AbortSignal.timeout(10_000));
    expect(pr).toMatchObject({ state: 'open', head: branch, base: 'main', title: 'Add a greeting' });
    expect(pr.body).toContain('## Plan\n\nWrite a file.');
    expect(pr.body).toContain('## Risks\n\nNone.');
    expect(await h.local.requestedReviewers(h.origin, pr.number, AbortSignal.timeout(10_000))).toEqual([
      'alice',
      'bob',
    ]);
    expect(await log('propose')).toMatch(/pushed [0-9a-f]{12} to run\/.+ \(a new branch on the remote\)/);
  }, 60_000);

  it('deletes the branch it created when opening the pull request fails for good, and says so', async () => {
    h.fail('openPullRequest', { error: refuse('the forge refuses pull requests today') });
    const { d, log } = await h.run(flow());
    const s = stepOf(d, 'propose');
    expect(d.run.status).toBe('failed');
    const branch = String(stepOf(d, 'ws').outputs?.branch);
    expect(s.error?.message).toContain('open the pull request failed: the forge refuses pull requests today');
    expect(s.error?.message).toContain(`deleted branch ${branch}`);
    expect(s.outputs).toMatchObject({ failed_stage: 'open the pull request' });
    expect(JSON.parse(String(s.outputs?.compensated))).toEqual([expect.stringMatching(/^deleted branch /)]);
    expect(remoteBranch(h, branch)).toBeNull();
    expect(await log('propose')).toContain('undoing what this step did');
  }, 60_000);

  it('a retryable failure on the last attempt is compensated too', async () => {
    h.fail('openPullRequest', {
      error: new BatonError('internal', 'the forge is down', { retryable: true }),
    });
    const { d } = await h.run(flow());
    const branch = String(stepOf(d, 'ws').outputs?.branch);
    expect(stepOf(d, 'propose').error?.message).toContain(`deleted branch ${branch}`);
    expect(remoteBranch(h, branch)).toBeNull();
  }, 60_000);

  it('closes the pull request it opened (with a comment) and deletes its branch when asking for reviews fails for good', async () => {
    h.fail('requestReviewers', { error: refuse('no such reviewer: mallory') });
    const { d } = await h.run(flow({ reviewers: 'mallory' }));
    const s = stepOf(d, 'propose');
    expect(d.run.status).toBe('failed');
    const branch = String(stepOf(d, 'ws').outputs?.branch);
    expect(s.error?.message).toContain('request reviews from mallory failed: no such reviewer: mallory');
    expect(s.error?.message).toMatch(/closed pull request #\d+ \(opened by this step\).*deleted branch/);
    const number = Number(/closed pull request #(\d+)/.exec(String(s.error?.message))?.[1]);
    const pr = await h.local.getPullRequest(h.origin, number, AbortSignal.timeout(10_000));
    expect(pr.state).toBe('closed');
    const comments = await h.local.listComments(h.origin, number, AbortSignal.timeout(10_000));
    expect(comments).toHaveLength(1);
    expect(comments[0]?.body).toContain('Baton withdrew this pull request');
    expect(comments[0]?.body).toContain('no such reviewer: mallory');
    expect(remoteBranch(h, branch)).toBeNull();
  }, 60_000);

  it('undoes nothing on a retryable failure with retries left: the next attempt completes with one pull request', async () => {
    h.fail('openPullRequest', {
      error: new BatonError('internal', 'the forge is down', { retryable: true }),
    });
    const { d, log } = await h.run(flow({ retry: 'retry: { max: 1, backoff: { initial: 100ms } }' }));
    const s = stepOf(d, 'propose');
    expect(d.run.status, JSON.stringify(s.error)).toBe('succeeded');
    expect(s.attempt).toBe(2);
    // the second attempt found the branch the first one created: still its own
    expect(s.outputs).toMatchObject({ created: 'true', branch_created: 'true', committed: 'false' });
    const text = await log('propose');
    expect(text).toContain('another attempt follows and resumes the operation: nothing is undone');
    expect(text).not.toContain('undo ');
    const branch = String(s.outputs?.head);
    const open = await h.local.findPullRequest(h.origin, { head: branch }, AbortSignal.timeout(10_000));
    expect(open?.number).toBe(Number(s.outputs?.number));
  }, 60_000);

  it('a failure typed as permanent is not retried even with retries left, and is compensated at once', async () => {
    h.fail('openPullRequest', { error: refuse('refused for good') });
    const { d } = await h.run(flow({ retry: 'retry: { max: 2, backoff: { initial: 100ms } }' }));
    const s = stepOf(d, 'propose');
    expect(d.run.status).toBe('failed');
    expect(s.attempt).toBe(1);
    expect(s.error?.message).toContain('deleted branch');
  }, 60_000);

  it('forge/pull-request closes the pull request it opened when asking for reviews fails for good, and keeps the branch', async () => {
    h.fail('requestReviewers', { error: refuse('no such reviewer: mallory') });
    const { d } = await h.run(`
name: pr
steps:
  - id: ws
    uses: git/workspace
    with: { repository: acme/demo, slug: pr }
  - id: change
    needs: [ws]
    working_directory: "{{ steps.ws.outputs.path }}"
    run: echo "hello" > pr.txt
  - id: commit
    needs: [change]
    uses: git/commit
    with: { path: "{{ steps.ws.outputs.path }}", message: A change }
  - id: pr
    needs: [commit]
    uses: forge/pull-request
    with: { repository: acme/demo, head: "{{ steps.ws.outputs.branch }}", title: A change, reviewers: mallory }
`);
    const s = stepOf(d, 'pr');
    expect(d.run.status).toBe('failed');
    expect(s.error?.message).toMatch(
      /^forge\/pull-request: request reviews from mallory failed: no such reviewer: mallory — compensation: closed pull request #(\d+) \(opened by this step\)/,
    );
    expect(JSON.parse(String(s.outputs?.compensated))).toHaveLength(1);
    const number = Number(/closed pull request #(\d+)/.exec(String(s.error?.message))?.[1]);
    const pr = await h.local.getPullRequest(h.origin, number, AbortSignal.timeout(10_000));
    expect(pr.state).toBe('closed');
    const [comment] = await h.local.listComments(h.origin, number, AbortSignal.timeout(10_000));
    expect(comment?.body).toContain('failed for good while it tried to request reviews from mallory');
    // the branch is git/commit's: forge/pull-request did not create it, and leaves it
    expect(remoteBranch(h, String(stepOf(d, 'ws').outputs?.branch))).not.toBeNull();
  }, 60_000);

  it('never closes a pull request someone else opened, nor deletes the branch it uses', async () => {
    let theirs = 0;
    h.fail('findPullRequest', {
      // right after the push, someone opens a pull request of the new branch
      before: async () => {
        const pr = await h.local.openPullRequest(
          h.origin,
          {
            head: 'run/theirs-pr',
            base: 'main',
            title: 'Mine',
            body: '',
            draft: false,
            idempotencyKey: 'someone',
          },
          AbortSignal.timeout(10_000),
        );
        theirs = pr.number;
      },
    });
    h.fail('requestReviewers', { error: refuse('no such reviewer: mallory') });
    const { d } = await h.run(flow({ branch: 'run/theirs-pr', reviewers: 'mallory' }));
    const s = stepOf(d, 'propose');
    expect(d.run.status).toBe('failed');
    expect(s.error?.message).toContain(`kept pull request #${theirs}: this step did not open it`);
    expect(s.error?.message).toContain(
      `kept branch run/theirs-pr: pull request #${theirs}, which this step did not open, uses it`,
    );
    expect((await h.local.getPullRequest(h.origin, theirs, AbortSignal.timeout(10_000))).state).toBe('open');
    expect(remoteBranch(h, 'run/theirs-pr')).not.toBeNull();
  }, 60_000);

  it('never deletes a branch that existed before it pushed', async () => {
    const before = remoteBranch(h, 'shared');
    h.fail('openPullRequest', { error: refuse('refused') });
    const { d } = await h.run(flow({ branch: 'shared' }));
    const s = stepOf(d, 'propose');
    expect(d.run.status).toBe('failed');
    expect(s.error?.message).toContain(
      'kept branch shared: it existed on the remote before this step pushed to it',
    );
    const after = remoteBranch(h, 'shared');
    expect(after).not.toBeNull();
    expect(after).not.toBe(before); // our commit is on it, and stays
  }, 60_000);

  it('never deletes a branch that moved since its push', async () => {
    // a new branch this step creates… which someone else moves before the pull request fails
    let moved = '';
    h.fail('openPullRequest', {
      error: refuse('refused'),
      before: async () => {
        const tip = git(h.origin, 'rev-parse', 'refs/heads/run/moving-target');
        moved = git(h.origin, 'commit-tree', `${tip}^{tree}`, '-p', tip, '-m', 'someone else');
        git(h.origin, 'update-ref', 'refs/heads/run/moving-target', moved, tip);
      },
    });
    const { d } = await h.run(flow({ branch: 'run/moving-target' }));
    const s = stepOf(d, 'propose');
    expect(d.run.status).toBe('failed');
    expect(s.error?.message).toContain(`kept branch run/moving-target: it moved to ${moved.slice(0, 12)}`);
    expect(remoteBranch(h, 'run/moving-target')).toBe(moved);
  }, 60_000);
});
