/** The pure parts of the webhooks: signatures, routing, status callbacks, body decoding. */
import { sign } from '@octokit/webhooks-methods';
import { describe, expect, it } from 'vitest';
import { decodeJsonObject } from '../../src/forges/github/webhooks/decodeJsonObject.ts';
import { routeGithubEvent } from '../../src/forges/github/webhooks/routeGithubEvent.ts';
import { verifyHubSignature } from '../../src/forges/github/webhooks/verifyHubSignature.ts';
import {
  signSecurityPayload,
  verifySecuritySignature,
} from '../../src/forges/github/webhooks/verifySecuritySignature.ts';
import { staticWebhookSecrets } from '../../src/forges/github/webhooks/webhookSecrets.ts';

describe('verifyHubSignature', () => {
  const body = Buffer.from('{"zen":"Design for failure."}');
  it("matches Octokit's signatures, with any secret of a rotation", async () => {
    const sig = await sign('s2', body.toString());
    expect(verifyHubSignature(body, sig, ['s1', 's2'])).toEqual({ ok: true });
    expect(verifyHubSignature(body, sig.toUpperCase().replace('SHA256', 'sha256'), ['s2'])).toEqual({
      ok: true,
    });
    expect(verifyHubSignature(body, sig, ['s1'])).toMatchObject({ ok: false, reason: /does not match/ });
    expect(verifyHubSignature(body, sig, [])).toMatchObject({ ok: false });
    expect(verifyHubSignature(Buffer.concat([body, Buffer.from(' ')]), sig, ['s2'])).toMatchObject({
      ok: false,
    });
  });
  it('refuses missing and malformed headers', () => {
    expect(verifyHubSignature(body, undefined, ['s'])).toMatchObject({ ok: false, reason: /missing/ });
    expect(verifyHubSignature(body, 'sha1=abcd', ['s'])).toMatchObject({ ok: false, reason: /malformed/ });
    expect(verifyHubSignature(body, `sha256=${'a'.repeat(63)}`, ['s'])).toMatchObject({
      ok: false,
      reason: /malformed/,
    });
  });
  it('checks the raw bytes, not a re-encoding of them', async () => {
    const raw = Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d]); // {"a":"\xff"}
    const { createHmac } = await import('node:crypto');
    const sig = `sha256=${createHmac('sha256', 's').update(raw).digest('hex')}`;
    expect(verifyHubSignature(raw, sig, ['s'])).toEqual({ ok: true });
    expect(decodeJsonObject(raw, 'application/json')).toMatchObject({ ok: false, reason: /UTF-8/ });
  });
});

describe('verifySecuritySignature', () => {
  const body = Buffer.from('{"findings":[]}');
  const now = 1_750_000_000_000;
  const ts = String(now / 1000);
  it('accepts within 5 minutes either way, refuses beyond', () => {
    for (const skew of [0, 299, -299]) {
      const t = String(now / 1000 + skew);
      const check = verifySecuritySignature(
        body,
        { timestamp: t, signature: signSecurityPayload(t, body, 'k') },
        ['k'],
        now,
      );
      expect(check, String(skew)).toEqual({ ok: true });
    }
    for (const skew of [301, -301, 86_400]) {
      const t = String(now / 1000 + skew);
      const check = verifySecuritySignature(
        body,
        { timestamp: t, signature: signSecurityPayload(t, body, 'k') },
        ['k'],
        now,
      );
      expect(check, String(skew)).toMatchObject({ ok: false, field: 'X-Baton-Timestamp' });
    }
  });
  it('signs the timestamp with the body', () => {
    const sig = signSecurityPayload(ts, body, 'k');
    expect(
      verifySecuritySignature(body, { timestamp: String(now / 1000 + 1), signature: sig }, ['k'], now),
    ).toMatchObject({
      ok: false,
      reason: /does not match/,
    });
    expect(verifySecuritySignature(body, { timestamp: '1.5', signature: sig }, ['k'], now)).toMatchObject({
      ok: false,
      reason: /malformed/,
    });
  });
});

describe('routeGithubEvent', () => {
  it('names the event type after the event and its action', () => {
    expect(routeGithubEvent('issues', 'd', { action: 'labeled' }).type).toBe('github.issues.labeled');
    expect(routeGithubEvent('push', 'd', { ref: 'refs/heads/main' }).type).toBe('github.push');
    expect(routeGithubEvent('pull_request', 'd', { action: 'closed' }).type).toBe(
      'github.pull_request.closed',
    );
    expect(routeGithubEvent('ping', 'd', { zen: 'z' }).type).toBeNull();
    expect(routeGithubEvent('repository_dispatch', 'd', { action: 'Deploy Now!' }).type).toBe(
      'github.repository_dispatch.deploy_now_',
    );
  });
  it('keeps the payload, adds the delivery, reads repository and installation', () => {
    const r = routeGithubEvent('installation', 'abc', {
      action: 'created',
      installation: { id: 42 },
      repository: { full_name: 'o/r' },
    });
    expect(r).toMatchObject({ repository: 'o/r', installationId: 42, action: 'created' });
    expect(r.payload).toMatchObject({ delivery: 'abc', installation: { id: 42 } });
  });
});

describe('decodeJsonObject', () => {
  it('reads JSON objects, form-encoded payloads, and refuses the rest', () => {
    expect(decodeJsonObject(Buffer.from('{"a":1}'), undefined)).toEqual({ ok: true, value: { a: 1 } });
    const form = Buffer.from(`payload=${encodeURIComponent('{"a":2}')}`);
    expect(decodeJsonObject(form, 'application/x-www-form-urlencoded')).toEqual({
      ok: true,
      value: { a: 2 },
    });
    expect(decodeJsonObject(Buffer.from('[1]'), undefined)).toMatchObject({ ok: false, reason: /object/ });
    expect(decodeJsonObject(Buffer.from('{"a":'), undefined)).toMatchObject({
      ok: false,
      reason: /complete JSON/,
    });
  });
});

describe('staticWebhookSecrets', () => {
  it('leaves out unset and empty secrets', () => {
    expect(staticWebhookSecrets(undefined, '', 'x').secrets()).toEqual(['x']);
    expect(staticWebhookSecrets(undefined).secrets()).toEqual([]);
  });
});
