/**
 * Refused and replayed GitHub deliveries: each is answered (401/400/413, or 200 `duplicate`),
 * recorded with its reason, and changes nothing else — no external event, no run.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createApiHarness, type ApiHarness } from '../api/apiHarness.ts';
import { DIALECTS } from '../helpers/dialects.ts';
import { githubDelivery, type WebhookRequest } from './githubWebhookRequests.ts';
import { webhookExample } from '../helpers/webhookExamples.ts';

const LABELED = webhookExample('issues', 'labeled');

const ON_ANY_GITHUB = `
name: on-github
triggers:
  - event: { type: "github.*" }
steps:
  - id: s
    run: echo github
`;

describe.each(DIALECTS)('GitHub webhook refusals (%s)', (dialect) => {
  let h: ApiHarness;
  beforeEach(async () => {
    h = await createApiHarness(dialect, { runner: false });
    await h.register(ON_ANY_GITHUB);
  });
  afterEach(async () => {
    vi.useRealTimers();
    await h.close();
  });

  const send = (req: WebhookRequest) => h.app.inject({ method: 'POST', ...req });
  const externalEvents = async () =>
    (await h.store.listEventsFiltered({ afterId: 0, limit: 10_000 })).filter((e) => e.external);
  const deliveries = () => h.store.listWebhookDeliveries({ source: 'github', limit: 10_000 });
  const runs = () => h.store.listRuns({ limit: 100 });

  /** a refusal: its status and problem, one `rejected` row with the reason, nothing else */
  async function expectRefused(
    req: WebhookRequest,
    status: number,
    reason: RegExp,
    deliveryId?: string | null,
  ) {
    const before = (await deliveries()).length;
    const res = await send(req);
    expect(res.statusCode, res.body).toBe(status);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.json<{ detail: string }>().detail).toMatch(reason);
    const rows = await deliveries();
    expect(rows).toHaveLength(before + 1);
    expect(rows.at(-1)).toMatchObject({ status: 'rejected', eventIds: [] });
    expect(rows.at(-1)!.reason).toMatch(reason);
    if (deliveryId !== undefined) expect(rows.at(-1)!.deliveryId).toBe(deliveryId);
    expect(await externalEvents()).toEqual([]);
    expect(await runs()).toEqual([]);
  }

  it('refuses a wrong signature, a missing one, and another secret', async () => {
    const good = await githubDelivery('issues', LABELED, { id: 'd-wrong' });
    const wrong = {
      ...good,
      headers: { ...good.headers, 'x-hub-signature-256': `sha256=${'0'.repeat(64)}` },
    };
    await expectRefused(wrong, 401, /does not match/, 'd-wrong');
    await expectRefused(
      await githubDelivery('issues', LABELED, { id: 'd-none', signature: null }),
      401,
      /missing X-Hub-Signature-256/,
      'd-none',
    );
    await expectRefused(
      await githubDelivery('issues', LABELED, { id: 'd-sha1', signature: 'sha1=abc' }),
      401,
      /malformed/,
    );
    await expectRefused(
      await githubDelivery('issues', LABELED, { secret: 'not-the-secret' }),
      401,
      /does not match/,
    );
    // a refused delivery does not hold its id: the genuine one with that id is still accepted
    const res = await send(await githubDelivery('issues', LABELED, { id: 'd-wrong' }));
    expect(res.statusCode).toBe(202);
  });

  it('refuses missing GitHub headers', async () => {
    const req = await githubDelivery('issues', LABELED, { id: 'd-headers' });
    const { ['x-github-event']: _e, ...noEvent } = req.headers;
    await expectRefused({ ...req, headers: noEvent }, 400, /missing X-GitHub-Event/, 'd-headers');
    const { ['x-github-delivery']: _d, ...noDelivery } = req.headers;
    await expectRefused({ ...req, headers: noDelivery }, 400, /missing X-GitHub-Delivery/, null);
    await expectRefused(
      { ...req, headers: { ...req.headers, 'x-github-event': 'Issues; drop' } },
      400,
      /malformed X-GitHub-Event/,
    );
  });

  it('refuses a truncated body, however it is signed, and a Content-Length mismatch', async () => {
    const full = JSON.stringify(LABELED);
    const cut = full.slice(0, Math.floor(full.length / 2));
    // the signature of the whole body over half of it
    await expectRefused(
      await githubDelivery('issues', LABELED, { id: 'd-cut', body: cut }),
      401,
      /does not match/,
      'd-cut',
    );
    // half a body signed as such (only the secret's holder could): not complete JSON
    const signedCut = await githubDelivery('issues', LABELED, { id: 'd-cut2' });
    const { sign } = await import('@octokit/webhooks-methods');
    signedCut.payload = cut;
    signedCut.headers['x-hub-signature-256'] = await sign('github-test-webhook-secret-0123456789', cut);
    await expectRefused(signedCut, 400, /not complete JSON/, 'd-cut2');
    // fewer bytes than Content-Length announces: refused before the handler, recorded all the same
    const short = await githubDelivery('issues', LABELED, { id: 'd-length' });
    short.headers['content-length'] = String(Buffer.byteLength(short.payload) + 10);
    await expectRefused(short, 400, /Content-Length|content length/i, 'd-length');
  });

  it('refuses a body over 25 MB with 413', async () => {
    const req = await githubDelivery('push', { padding: 'x'.repeat(26 * 1024 * 1024) }, { id: 'd-large' });
    await expectRefused(req, 413, /too large|body/i, 'd-large');
  });

  it('answers a duplicate delivery 200 and changes nothing, even days later', async () => {
    const req = await githubDelivery('issues', LABELED, { id: 'd-dup' });
    const first = await send(req);
    expect(first.statusCode).toBe(202);
    expect(first.json()).toMatchObject({ status: 'accepted', type: 'github.issues.labeled' });
    const events = await externalEvents();
    expect(events).toHaveLength(1);

    const again = await send(req);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual({
      status: 'duplicate',
      delivery: 'd-dup',
      type: 'github.issues.labeled',
      event_ids: [],
    });

    // the same delivery id replayed three days later (a captured request): still refused
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 3 * 24 * 3600_000);
    const replay = await send(
      await githubDelivery('issues', { ...LABELED, action: 'unlabeled' }, { id: 'd-dup' }),
    );
    vi.useRealTimers();
    expect(replay.statusCode).toBe(200);
    expect(replay.json()).toMatchObject({ status: 'duplicate', event_ids: [] });

    expect((await externalEvents()).map((e) => e.id)).toEqual(events.map((e) => e.id));
    const rows = await h.store.listWebhookDeliveries({ deliveryId: 'd-dup', limit: 10 });
    expect(rows.map((r) => r.status)).toEqual(['accepted', 'duplicate', 'duplicate']);
    expect(rows[0]!.eventIds).toEqual([events[0]!.id]);
    expect(rows[2]!.receivedAt - rows[0]!.receivedAt).toBeGreaterThan(2 * 24 * 3600_000);
    expect(rows[2]!.reason).toMatch(/accepted before/);
  });

  it('accepts one of two racing deliveries of the same id', async () => {
    const req = await githubDelivery('issues', LABELED, { id: 'd-race' });
    const answers = await Promise.all([send(req), send(req), send(req)]);
    expect(answers.map((a) => a.statusCode).sort()).toEqual([200, 200, 202]);
    expect(await externalEvents()).toHaveLength(1);
  });
});
