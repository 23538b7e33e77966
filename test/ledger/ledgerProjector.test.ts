import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/engine/engineDeps.ts';
import { startLedgerProjector } from '../../src/ledger/ledgerProjector.ts';
import type { LedgerStore } from '../../src/ledger/ledgerStore.ts';
import type { LedgerTask } from '../../src/ledger/ledgerTypes.ts';
import { createTask } from '../../src/ledger/ledgerService.ts';
import { openLedgerStore } from '../../src/ledger/openLedgerStore.ts';
import { DIALECTS } from '../helpers/dialects.ts';
import { createHarness, type Harness } from '../helpers/engineHarness.ts';
import { startReceiver, testConfig, until, type Receiver } from './ledgerHelpers.ts';

const GATED = `
name: gated
steps:
  - id: plan
    run: printf 'one\\ntwo\\nthree\\n'; echo "summary=ship v2" >> "$BATON_OUTPUT"
    outputs: [summary]
  - id: review
    needs: plan
    approval: { message: "Ship?", timeout: 1h, default: reject }
  - id: ship
    needs: review
    run: echo shipping
`;

describe.each(DIALECTS)('ledger projector and notifications on %s', (dialect) => {
  let h: Harness;
  let ledger: LedgerStore;
  let slack: Receiver;
  let email: Receiver;
  const shutdown = new AbortController();

  beforeEach(async () => {
    h = await createHarness(dialect);
    await h.register(GATED);
    ledger = openLedgerStore(h.db.storeOptions);
    slack = await startReceiver(2); // fails twice, then succeeds
    email = await startReceiver(0);
  });
  afterEach(async () => {
    await slack.close();
    await email.close();
    await ledger.close();
    await h.close();
  });

  const start = (withUrls = true) =>
    startLedgerProjector({
      engine: h.engine,
      store: h.store,
      config: testConfig(
        h.db,
        withUrls
          ? { slackWebhookUrl: slack.url, emailWebhookUrl: email.url, emailTo: 'ops@example.com' }
          : {},
      ),
      logger: silentLogger,
      shutdown: shutdown.signal,
      pollMs: 20,
      ledger,
      notify: { baseDelayMs: 10, maxDelayMs: 40, timeoutMs: 2_000 },
    });
  const rowsOf = async (runId: string) => ledger.listTasks({ runId }, 100);
  const rowFor = async (runId: string, key: string): Promise<LedgerTask | undefined> =>
    (await rowsOf(runId)).find((r) => r.task === `gated/${key}`);

  it('mirrors every step, notifies once with retries, and survives a restart', async () => {
    const t0 = Date.now();
    const lap = (m: string) => console.log(m, Date.now() - t0);
    let projector = start();
    const run = await h.start('gated');
    await h.waitFor(run.id, (d) => d.run.status === 'awaiting_approval');
    lap('awaiting');
    await until(async () => (await rowFor(run.id, 'review')) !== undefined);
    lap('row');
    await until(async () => (await rowFor(run.id, 'review'))?.webhookNotifiedAt != null);
    const review = (await rowFor(run.id, 'review'))!;
    expect(review).toMatchObject({
      status: 'awaiting_approval',
      approvalState: 'pending',
      webhookError: null,
    });
    expect(slack.hits).toBe(3);
    expect(slack.bodies).toEqual([{ text: expect.stringContaining('gated/review') as unknown }]);
    expect(email.bodies).toEqual([
      expect.objectContaining({
        to: 'ops@example.com',
        subject: 'Approval needed: gated/review',
        task: 'gated/review',
        run_id: run.id,
        task_id: review.id,
      }),
    ]);

    lap('notified');
    await h.engine.approve(run.id, 'review', { by: 'dana', comment: 'lgtm' });
    await h.finish(run.id);
    await until(async () => (await rowFor(run.id, 'ship'))?.status === 'succeeded');
    const plan = (await rowFor(run.id, 'plan'))!;
    expect(plan).toMatchObject({ status: 'succeeded', runId: run.id, approvalState: null });
    expect(plan.logExcerpt).toBe('one\ntwo\nthree');
    expect(plan.durationMs).toBe(plan.finishedAt! - plan.startedAt);
    expect(plan.outputsUri).toBe(`baton://runs/${run.id}/steps/plan/outputs`);
    expect(await rowFor(run.id, 'review')).toMatchObject({
      status: 'succeeded',
      approvalState: 'approved',
      approver: 'dana',
      webhookNotifiedAt: review.webhookNotifiedAt,
    });

    lap('ship done');
    // stopped while a second run goes through: the restart catches up, without duplicates
    await projector.stop();
    const run2 = await h.start('gated');
    await h.waitFor(run2.id, (d) => d.run.status === 'awaiting_approval');
    await h.engine.reject(run2.id, 'review', { by: 'erin' });
    await h.finish(run2.id);
    projector = start();
    await until(async () => (await rowFor(run2.id, 'ship'))?.status === 'skipped');
    await projector.stop();
    projector = start(); // a restart with nothing new changes nothing
    await new Promise((r) => setTimeout(r, 200));
    await projector.stop();

    const all = [...(await rowsOf(run.id)), ...(await rowsOf(run2.id))];
    expect(all).toHaveLength(6);
    expect(new Set(all.map((r) => r.stepId)).size).toBe(6);
    expect(await rowFor(run2.id, 'review')).toMatchObject({
      status: 'failed',
      approvalState: 'rejected',
      approver: 'erin',
    });
    // run2's approval was decided while the projector was stopped: it never saw it waiting
    expect(slack.bodies).toHaveLength(1);
    expect(email.bodies).toHaveLength(1);
  });

  it('a row owing its notification is found again after a restart; failures are recorded', async () => {
    const { task } = await createTask(
      ledger,
      { task: 'script/deploy', status: 'awaiting_approval' },
      Date.now(),
      'default',
    );
    expect(task.approvalState).toBe('pending');
    const dead = await startReceiver(1_000); // always fails
    const projector = startLedgerProjector({
      engine: h.engine,
      store: h.store,
      config: testConfig(h.db, { slackWebhookUrl: slack.url, emailWebhookUrl: dead.url }),
      logger: silentLogger,
      shutdown: shutdown.signal,
      pollMs: 20,
      ledger,
      notify: { baseDelayMs: 5, maxDelayMs: 20, tries: 4 },
    });
    try {
      await until(async () => (await ledger.getTask(task.id))?.webhookNotifiedAt != null);
      const t = (await ledger.getTask(task.id))!;
      expect(t.webhookError).toMatch(/^email: HTTP 500 after 4 tries$/);
      expect(dead.hits).toBe(4);
      expect(slack.bodies).toEqual([{ text: expect.stringContaining('script/deploy') as unknown }]);
    } finally {
      await projector.stop();
      await dead.close();
    }
  });
});
