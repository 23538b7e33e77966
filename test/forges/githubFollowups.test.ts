import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/engine/engineDeps.ts';
import { carryOutFollowup, type FollowupDeps } from '../../src/forges/github/webhooks/carryOutFollowup.ts';
import { receiveGithubDelivery } from '../../src/forges/github/webhooks/receiveGithubDelivery.ts';
import { sweepFollowups } from '../../src/forges/github/webhooks/sweepFollowups.ts';
import {
  APPROVAL_WORKFLOW,
  createApiHarness,
  TEST_GITHUB_SECRET,
  type ApiHarness,
} from '../api/apiHarness.ts';
import { DIALECTS } from '../helpers/dialects.ts';
import { githubDelivery, runPullRequestComment } from './githubWebhookRequests.ts';

const comment = (runId: string, body: string) => runPullRequestComment(runId, body, 'MEMBER', 'ann');

/**
 * What a delivery asks for besides its events (a slash command here) is recorded as pending in the
 * same transaction as the delivery, and carried out under a lease: a process that dies after
 * answering GitHub and before acting loses nothing — the sweep of the next process does it once.
 */
describe.each(DIALECTS)('webhook follow-ups survive the process (%s)', (dialect) => {
  let h: ApiHarness;
  let deps: FollowupDeps;
  let clock: number;
  beforeEach(async () => {
    h = await createApiHarness(dialect);
    await h.register(APPROVAL_WORKFLOW);
    clock = Date.now();
    deps = { store: h.store, engine: h.engine, logger: silentLogger, now: () => clock, leaseMs: 60_000 };
  });
  afterEach(() => h.close());

  /** a delivery accepted and recorded, as the route does it, before anything acts on it */
  async function acceptOnly(payload: unknown) {
    const req = await githubDelivery('issue_comment', payload);
    const outcome = await receiveGithubDelivery(
      { store: h.store, secrets: [TEST_GITHUB_SECRET], now: clock },
      { body: Buffer.from(req.payload), headers: req.headers },
    );
    if (outcome.status !== 'accepted' || !outcome.followup) throw new Error(JSON.stringify(outcome));
    return outcome.followup;
  }
  const row = async (id: number) =>
    (await h.store.listWebhookDeliveries({ afterId: id - 1, limit: 1 })).find((d) => d.id === id);

  it('a /approve accepted by a process that died is carried out by the next sweep, once', async () => {
    const run = await h.start('gated');
    await h.waitFor(run.id, (d) => d.run.status === 'awaiting_approval');
    const f = await acceptOnly(comment(run.id, '/approve ship it'));
    expect(await row(f.id)).toMatchObject({ followup: 'pending', followupResult: null });

    // the dying process had taken it: its lease keeps the sweep away until it expires
    expect(await h.store.claimWebhookFollowup(f.id, clock, 60_000)).toBe(true);
    expect(await h.store.claimWebhookFollowup(f.id, clock + 1_000, 60_000)).toBe(false);
    expect(await sweepFollowups(deps, 0)).toBe(0);
    expect((await h.engine.getRun(run.id)).run.status).toBe('awaiting_approval');

    clock += 61_000; // the lease expired: the next process's sweep takes it over
    expect(await sweepFollowups(deps, 0)).toBe(1);
    const d = await h.waitFor(run.id, (x) => x.run.status === 'succeeded');
    expect(d.waits.find((w) => w.kind === 'approval')).toMatchObject({
      status: 'approved',
      decidedBy: 'github:ann',
    });
    expect(await row(f.id)).toMatchObject({
      followup: 'done',
      followupResult: `approved step gate of run ${run.id}`,
    });

    // nothing left to do: another sweep, or the request's own attempt arriving late, changes nothing
    expect(await sweepFollowups(deps, 0)).toBe(0);
    await carryOutFollowup(deps, f.id, f.what);
    expect(await row(f.id)).toMatchObject({ followup: 'done' });
  });

  it('the sweep leaves recent deliveries to the request that is carrying them out', async () => {
    const run = await h.start('gated');
    await h.waitFor(run.id, (d) => d.run.status === 'awaiting_approval');
    const f = await acceptOnly(comment(run.id, '/cancel'));
    expect(await sweepFollowups(deps, 30_000)).toBe(0);
    clock += 31_000;
    expect(await sweepFollowups(deps, 30_000)).toBe(1);
    await h.waitFor(run.id, (x) => x.run.status === 'cancelled');
    expect(await row(f.id)).toMatchObject({ followup: 'done' });
  });

  it('a command the run cannot take is finished as failed, with the reason, and not retried', async () => {
    const run = await h.start('gated');
    await h.engine.cancel(run.id, { by: 'test' });
    await h.waitFor(run.id, (x) => x.run.status === 'cancelled');
    const f = await acceptOnly(comment(run.id, '/approve'));
    await carryOutFollowup(deps, f.id, f.what);
    const r = await row(f.id);
    expect(r?.followup).toBe('failed');
    expect(r?.followupResult).toContain('has no step awaiting approval');
    clock += 120_000;
    expect(await sweepFollowups(deps, 0)).toBe(0);
  });

  it('through the route: carried out before the answer; a replayed delivery asks for nothing', async () => {
    const run = await h.start('gated');
    await h.waitFor(run.id, (d) => d.run.status === 'awaiting_approval');
    const req = await githubDelivery('issue_comment', comment(run.id, '/reject not now'));
    const first = await h.app.inject({ method: 'POST', ...req });
    expect(first.statusCode).toBe(202);
    await h.waitFor(run.id, (x) => x.run.status === 'failed');
    const rows = await h.store.listWebhookDeliveries({ limit: 100 });
    expect(rows.map((r) => [r.status, r.followup])).toEqual([['accepted', 'done']]);
    expect((await h.app.inject({ method: 'POST', ...req })).statusCode).toBe(200);
    const again = await h.store.listWebhookDeliveries({ limit: 100 });
    expect(again.map((r) => [r.status, r.followup])).toEqual([
      ['accepted', 'done'],
      ['duplicate', null],
    ]);
    // an ordinary comment asks for nothing
    await h.app.inject({
      method: 'POST',
      ...(await githubDelivery('issue_comment', comment(run.id, 'nice'))),
    });
    expect((await h.store.listWebhookDeliveries({ limit: 100 })).at(-1)).toMatchObject({ followup: null });
  });
});
