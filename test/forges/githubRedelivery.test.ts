/**
 * The reconcile backstop of GitHub App webhooks: a delivery Baton never accepted (its server was
 * unreachable, or the signature did not verify) is redelivered by one pass — same
 * `X-GitHub-Delivery` — and recorded once; a second pass redelivers nothing, and deliveries Baton
 * accepted are never redelivered.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/engine/engineDeps.ts';
import { GithubClient } from '../../src/forges/github/githubClient.ts';
import { redeliverMissed, type RedeliverReport } from '../../src/forges/github/redeliverMissed.ts';
import { startRedeliveryLoop } from '../../src/forges/github/startRedeliveryLoop.ts';
import { createApiHarness, TEST_GITHUB_SECRET, type ApiHarness } from '../api/apiHarness.ts';
import { APP_ID, githubFixture, type GithubFixture } from './githubForgeFixture.ts';
import { webhookExample } from '../helpers/webhookExamples.ts';

const LABELED = webhookExample('issues', 'labeled');

async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

describe('redelivering missed GitHub App webhook deliveries', () => {
  let f: GithubFixture;
  let h: ApiHarness;
  let hookUrl: string;
  let client: GithubClient;
  const signal = new AbortController().signal;

  beforeEach(async () => {
    f = await githubFixture();
    h = await createApiHarness('sqlite', { runner: false });
    const address = await h.app.listen({ port: 0, host: '127.0.0.1' });
    hookUrl = `${address}/webhooks/github`;
    client = new GithubClient({
      apiUrl: f.gh.url,
      auth: { kind: 'app', appId: APP_ID, privateKey: f.privateKey },
      pacing: false,
      retryBaseMs: 20,
    });
  });
  afterEach(async () => {
    await f.gh.close();
    await h.close();
  });

  const accepted = async (guid: string) =>
    (await h.store.listWebhookDeliveries({ source: 'github', deliveryId: guid, limit: 10 })).filter(
      (r) => r.status === 'accepted',
    );

  it('redelivers what Baton never accepted, once, and nothing it did', async () => {
    const hook = { url: hookUrl, secret: TEST_GITHUB_SECRET };
    // accepted at once
    expect(await f.gh.deliver('issues', LABELED, hook)).toBe(202);
    // Baton unreachable
    const down = {
      url: `http://127.0.0.1:${await closedPort()}/webhooks/github`,
      secret: TEST_GITHUB_SECRET,
    };
    expect(await f.gh.deliver('issues', LABELED, down)).toBe(0);
    // refused: signed with a secret Baton does not know (recorded as rejected)
    expect(await f.gh.deliver('issues', LABELED, { url: hookUrl, secret: 'not-the-secret-0123456789' })).toBe(
      401,
    );
    // another accepted one, newest
    expect(await f.gh.deliver('issues', LABELED, hook)).toBe(202);
    const [ok1, missed, refused, ok2] = f.gh.deliveries;
    expect((await accepted(missed!.id)).length).toBe(0);
    expect((await accepted(refused!.id)).length).toBe(0);

    // the App's webhook now points at Baton, with the right secret
    f.gh.setWebhook(hook);
    // two per page: the pass follows GitHub's cursor links
    const first = await redeliverMissed(client, h.store, signal, { perPage: 2 });
    expect(first.scanned).toBe(4);
    expect(first.missed).toBe(2);
    expect(first.failed).toEqual([]);
    expect(first.redelivered.map((d) => [d.guid, d.statusCode])).toEqual([
      [refused!.id, 401],
      [missed!.id, 0],
    ]);
    await f.gh.settled();

    const redeliveries = f.gh.deliveries.slice(4);
    expect(redeliveries.map((d) => [d.id, d.redelivery, d.status])).toEqual([
      [refused!.id, true, 202],
      [missed!.id, true, 202],
    ]);
    // Baton recorded each once, with one external event each
    for (const d of [ok1!, missed!, refused!, ok2!]) {
      const rows = await accepted(d.id);
      expect(rows.length, d.id).toBe(1);
      expect(rows[0]!.eventIds.length).toBe(1);
    }

    // a second pass: nothing missed any more (the failed attempts' guids were accepted since)
    const second = await redeliverMissed(client, h.store, signal, { perPage: 2 });
    expect(second.scanned).toBe(6);
    expect(second.missed).toBe(0);
    expect(second.redelivered).toEqual([]);
    await f.gh.settled();
    expect(f.gh.deliveries.length).toBe(6);
    expect(f.gh.calls.filter((c) => c.method === 'POST' && c.path.endsWith('/attempts')).length).toBe(2);
  });

  it('leaves deliveries older than the lookback window and stops at the most per pass', async () => {
    const down = {
      url: `http://127.0.0.1:${await closedPort()}/webhooks/github`,
      secret: TEST_GITHUB_SECRET,
    };
    for (let i = 0; i < 3; i++) expect(await f.gh.deliver('issues', LABELED, down)).toBe(0);
    f.gh.setWebhook({ url: hookUrl, secret: TEST_GITHUB_SECRET });

    const later = await redeliverMissed(client, h.store, signal, { now: () => Date.now() + 2 * 3_600_000 });
    expect(later).toMatchObject({ scanned: 0, missed: 0, redelivered: [] });

    const capped = await redeliverMissed(client, h.store, signal, { maxRedeliveries: 2 });
    expect(capped.redelivered.map((d) => d.guid)).toEqual([f.gh.deliveries[2]!.id, f.gh.deliveries[1]!.id]);
    expect(capped.truncated).toBe(true);
    await f.gh.settled();

    const rest = await redeliverMissed(client, h.store, signal, { maxRedeliveries: 2 });
    expect(rest.redelivered.map((d) => d.guid)).toEqual([f.gh.deliveries[0]!.id]);
    expect(rest.truncated).toBe(false);
  });

  it('the loop runs passes one after another until aborted', async () => {
    const down = {
      url: `http://127.0.0.1:${await closedPort()}/webhooks/github`,
      secret: TEST_GITHUB_SECRET,
    };
    expect(await f.gh.deliver('issues', LABELED, down)).toBe(0);
    f.gh.setWebhook({ url: hookUrl, secret: TEST_GITHUB_SECRET });
    const stop = new AbortController();
    const reports: Array<RedeliverReport | undefined> = [];
    let resolveTwo = () => {};
    const two = new Promise<void>((r) => (resolveTwo = r));
    const loop = startRedeliveryLoop({
      github: client,
      store: h.store,
      logger: silentLogger,
      signal: stop.signal,
      intervalMs: 30,
      onPass: (r) => {
        reports.push(r);
        if (reports.length === 2) resolveTwo();
      },
    });
    await two;
    stop.abort();
    await loop.done;
    await f.gh.settled();
    expect(reports.length).toBeGreaterThanOrEqual(2);
    expect(reports[0]?.redelivered.length).toBe(1);
    // however many passes asked, Baton accepted the delivery once
    expect((await accepted(f.gh.deliveries[0]!.id)).length).toBe(1);
  });
});
