/**
 * Every example payload GitHub's community collected (@octokit/webhooks-examples, api.github.com)
 * delivered signed through the real route: each verifies, is accepted and becomes exactly one
 * external event of the right type (`ping`: none), in the default workspace.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiHarness, type ApiHarness } from '../api/apiHarness.ts';
import { DIALECTS } from '../helpers/dialects.ts';
import { githubDelivery } from './githubWebhookRequests.ts';
import { neutralForgeEvents } from '../../src/forges/github/webhooks/neutralForgeEvents.ts';
import { WEBHOOK_EXAMPLES as definitions } from '../helpers/webhookExamples.ts';

/** The type a delivery must be routed to, written out independently of the route's code. */
function expectedType(event: string, payload: Record<string, unknown>): string | null {
  if (event === 'ping') return null;
  const action = typeof payload['action'] === 'string' ? payload['action'] : undefined;
  return action === undefined ? `github.${event}` : `github.${event}.${action}`;
}

describe.each(DIALECTS)('GitHub webhook examples (%s)', (dialect) => {
  let h: ApiHarness;
  beforeAll(async () => {
    h = await createApiHarness(dialect, { runner: false });
  });
  afterAll(async () => h.close());

  it('verifies and routes every example payload, one event each', async () => {
    const expected = new Map<string, string[]>();
    let n = 0;
    for (const def of definitions) {
      for (const [i, example] of def.examples.entries()) {
        const id = `ex-${def.name}-${i}`;
        const res = await h.app.inject({
          method: 'POST',
          ...(await githubDelivery(def.name, example, { id })),
        });
        expect(res.statusCode, `${def.name}[${i}]: ${res.body}`).toBe(202);
        const type = expectedType(def.name, example);
        expect(res.json(), `${def.name}[${i}]`).toMatchObject({ status: 'accepted', delivery: id, type });
        // the GitHub event, then its forge-neutral twins (pr.merged, pr.approved…)
        const neutral = neutralForgeEvents(def.name, example).map((e) => e.type);
        expected.set(id, type === null ? [] : [type, ...neutral]);
        n++;
      }
    }
    expect(n).toBeGreaterThan(300);

    const events = (await h.store.listEventsFiltered({ afterId: 0, limit: 100_000 })).filter(
      (e) => e.external,
    );
    const byDelivery = new Map<string, string[]>();
    for (const e of events) {
      const d = String(e.payload['delivery']);
      byDelivery.set(d, [...(byDelivery.get(d) ?? []), e.type]);
      expect(e.workspaceId).toBe('default');
    }
    for (const [id, types] of expected) expect(byDelivery.get(id) ?? [], id).toEqual(types);
    expect(events).toHaveLength([...expected.values()].reduce((sum, t) => sum + t.length, 0));
    // the neutral events are there for the pull request flow
    const all = new Set(events.map((e) => e.type));
    for (const t of ['pr.opened', 'pr.review_submitted']) expect(all, t).toContain(t);

    const rows = await h.store.listWebhookDeliveries({ source: 'github', limit: 100_000 });
    expect(rows).toHaveLength(n);
    expect(rows.every((r) => r.status === 'accepted' && r.payloadHash?.length === 64)).toBe(true);
    const ping = rows.find((r) => r.event === 'ping');
    expect(ping?.eventIds).toEqual([]);
    const push = rows.find((r) => r.event === 'push' && r.repository !== null);
    expect(push?.eventIds).toHaveLength(1);
    const opened = rows.find((r) => r.event === 'pull_request' && r.action === 'opened');
    expect(opened?.eventIds).toHaveLength(2); // github.pull_request.opened + pr.opened, one delivery
  }, 180_000);
});
