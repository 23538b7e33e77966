/**
 * `POST /webhooks/security`: signed over `timestamp.body`, refused outside the 5-minute window
 * either way or with a bad signature (recorded, nothing else changes), deduplicated, and turned
 * into `security.findings` events that start workflows.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApiHarness, type ApiHarness } from '../api/apiHarness.ts';
import { DIALECTS } from '../helpers/dialects.ts';
import { SAMPLE_FINDINGS, securityDelivery, type WebhookRequest } from './githubWebhookRequests.ts';

const ON_FINDINGS = `
name: on-findings
inputs:
  worst: { type: string, required: true }
triggers:
  - event:
      type: security.findings
      if: event.payload.counts.high + event.payload.counts.critical > 0
      inputs: { worst: "{{ event.payload.max_severity }}" }
steps:
  - id: triage
    run: echo "triage {{ inputs.worst }}"
`;

describe.each(DIALECTS)('security webhook (%s)', (dialect) => {
  let h: ApiHarness;
  beforeEach(async () => {
    h = await createApiHarness(dialect);
    await h.register(ON_FINDINGS);
  });
  afterEach(async () => h.close());

  const send = (req: WebhookRequest) => h.app.inject({ method: 'POST', ...req });
  const externalEvents = async () =>
    (await h.store.listEventsFiltered({ afterId: 0, limit: 10_000 })).filter((e) => e.external);
  const deliveries = () => h.store.listWebhookDeliveries({ source: 'security', limit: 10_000 });

  async function expectRefused(req: WebhookRequest, status: number, reason: RegExp) {
    const before = (await deliveries()).length;
    const res = await send(req);
    expect(res.statusCode, res.body).toBe(status);
    expect(res.json<{ detail: string }>().detail).toMatch(reason);
    const rows = await deliveries();
    expect(rows).toHaveLength(before + 1);
    expect(rows.at(-1)).toMatchObject({ status: 'rejected', eventIds: [] });
    expect(rows.at(-1)!.reason).toMatch(reason);
    expect(await externalEvents()).toEqual([]);
    expect(await h.store.listRuns({ limit: 10 })).toEqual([]);
  }

  it('accepts a valid delivery and starts the triggered workflow once', async () => {
    const req = securityDelivery(SAMPLE_FINDINGS, { id: 'scan-1' });
    const res = await send(req);
    expect(res.statusCode, res.body).toBe(202);
    expect(res.json()).toMatchObject({ status: 'accepted', delivery: 'scan-1', type: 'security.findings' });
    const [event] = await externalEvents();
    expect(event).toMatchObject({ type: 'security.findings', workspaceId: 'default' });
    expect(event!.payload).toMatchObject({
      delivery: 'scan-1',
      scanner: 'trivy',
      counts: { critical: 0, high: 1, medium: 0, low: 1, info: 0 },
      max_severity: 'high',
      repositories: ['octo-org/octo-repo'],
    });
    expect((event!.payload['findings'] as Array<{ severity: string; cve?: string }>)[0]).toMatchObject({
      severity: 'high',
      cve: 'CVE-2020-8203',
    });
    // the same id again (a retry): 200 duplicate, nothing new
    const again = await send(securityDelivery(SAMPLE_FINDINGS, { id: 'scan-1' }));
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ status: 'duplicate', event_ids: [] });

    let runs = await h.store.listRuns({ workflowName: 'on-findings', limit: 10 });
    for (const deadline = Date.now() + 15_000; runs.length === 0 && Date.now() < deadline;) {
      await new Promise((r) => setTimeout(r, 20));
      runs = await h.store.listRuns({ workflowName: 'on-findings', limit: 10 });
    }
    expect(runs).toHaveLength(1);
    expect((await h.finish(runs[0]!.id)).run.status).toBe('succeeded');
    expect(await h.logs(runs[0]!.id, 'triage')).toContain('triage high');
    expect(await externalEvents()).toHaveLength(1);
  });

  it('deduplicates by signature when the scanner sends no id', async () => {
    const ts = Math.floor(Date.now() / 1000);
    expect((await send(securityDelivery(SAMPLE_FINDINGS, { timestamp: ts }))).statusCode).toBe(202);
    const replay = await send(securityDelivery(SAMPLE_FINDINGS, { timestamp: ts }));
    expect(replay.statusCode).toBe(200);
    expect(replay.json()).toMatchObject({ status: 'duplicate' });
    expect(replay.json<{ delivery: string }>().delivery).toMatch(/^sig:sha256=[0-9a-f]{64}$/);
    expect(await externalEvents()).toHaveLength(1);
  });

  it('refuses a stale timestamp, a future one, and a bad signature', async () => {
    const now = Math.floor(Date.now() / 1000);
    await expectRefused(
      securityDelivery(SAMPLE_FINDINGS, { timestamp: now - 330, id: 's-old' }),
      401,
      /in the past: outside/,
    );
    await expectRefused(
      securityDelivery(SAMPLE_FINDINGS, { timestamp: now + 330, id: 's-new' }),
      401,
      /in the future: outside/,
    );
    await expectRefused(
      securityDelivery(SAMPLE_FINDINGS, { secret: 'another-secret-0123456789' }),
      401,
      /does not match/,
    );
    await expectRefused(
      securityDelivery(SAMPLE_FINDINGS, { signature: 'sha256=zz' }),
      401,
      /malformed X-Baton-Signature/,
    );
    const noTs = securityDelivery(SAMPLE_FINDINGS);
    delete noTs.headers['x-baton-timestamp'];
    await expectRefused(noTs, 401, /missing X-Baton-Timestamp/);
    // the timestamp is signed: moving it into the window breaks the signature
    const moved = securityDelivery(SAMPLE_FINDINGS, { timestamp: now - 3600 });
    moved.headers['x-baton-timestamp'] = String(now);
    await expectRefused(moved, 401, /does not match/);
    // within the window both ways
    expect(
      (await send(securityDelivery(SAMPLE_FINDINGS, { timestamp: now - 240, id: 'in-1' }))).statusCode,
    ).toBe(202);
    expect(
      (await send(securityDelivery(SAMPLE_FINDINGS, { timestamp: now + 240, id: 'in-2' }))).statusCode,
    ).toBe(202);
  });

  it('refuses a body that is not a findings report', async () => {
    await expectRefused(securityDelivery({ findings: [] }), 400, /findings/);
    await expectRefused(
      securityDelivery({ findings: [{ severity: 'urgent', title: 't', repository: 'a/b' }] }),
      400,
      /findings\.0\.severity/,
    );
    await expectRefused(
      securityDelivery({ findings: [{ severity: 'low', title: 't', repository: 'not a repo' }] }),
      400,
      /findings\.0\.repository/,
    );
    const truncated = securityDelivery(SAMPLE_FINDINGS);
    truncated.payload = truncated.payload.slice(0, 40);
    await expectRefused(truncated, 401, /does not match/);
  });
});
