import { createSign, generateKeyPairSync } from 'node:crypto';
import { createRequire } from 'node:module';
import { verify } from '@octokit/webhooks-methods';
import { Octokit } from '@octokit/rest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakeGithub, type FakeGithub } from '../../src/forges/github/fake/fakeGithub.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../../src/forges/github/fake/webhookReceiver.ts';

/** GitHub's published example payloads (a large JSON module; loaded untyped) */
const examples = createRequire(import.meta.url)('@octokit/webhooks-examples') as {
  name: string;
  examples: unknown[];
}[];
const SECRET = 'hook-secret-0123456789abcdef';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const quiet = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

let fake: FakeGithub;
let hooks: WebhookReceiver;

beforeEach(async () => {
  fake = await startFakeGithub();
  hooks = await startWebhookReceiver();
});

afterEach(async () => {
  expect(fake.serverErrors).toEqual([]);
  await fake.close();
  await hooks.close();
});

/** The keys of an object, or [] for anything else. */
const keys = (v: unknown): string[] => (typeof v === 'object' && v !== null ? Object.keys(v).sort() : []);
const at = (v: unknown, k: string): unknown =>
  typeof v === 'object' && v !== null ? (v as Record<string, unknown>)[k] : undefined;

/** The richest published example of `event` (with `action`): the newest payload shapes carry the most keys. */
function example(event: string, action?: string): unknown {
  const def = examples.find((d) => d.name === event);
  const all = (def?.examples ?? []).filter((e) => action === undefined || at(e, 'action') === action);
  const score = (e: unknown): number => keys(e).reduce((n, k) => n + 1 + keys(at(e, k)).length, 0);
  const hit = all.sort((a, b) => score(b) - score(a))[0];
  if (!hit) throw new Error(`no example for ${event}.${action}`);
  return hit;
}

/** Ours carries every key the published example has (optional extras in either are listed by the caller). */
function expectShapedLike(ours: unknown, theirs: unknown, path: string, optional: string[] = []): void {
  const missing = keys(theirs).filter((k) => !keys(ours).includes(k) && !optional.includes(k));
  expect(missing, `${path}: keys the example has and ours lacks`).toEqual([]);
  const unknown = keys(ours).filter((k) => !keys(theirs).includes(k) && !optional.includes(k));
  expect(unknown, `${path}: keys ours has and the example lacks`).toEqual([]);
}

describe('fake GitHub: webhooks', () => {
  it('delivers like GitHub: signed JSON with the hookshot headers, reporting the receiver status', async () => {
    const payload = { zen: 'Keep it logically awesome.', hook_id: 1 };
    expect(await fake.deliver('ping', payload, { url: hooks.url, secret: SECRET })).toBe(200);
    const [got] = hooks.received;
    expect(got?.headers).toMatchObject({
      'content-type': 'application/json',
      'x-github-event': 'ping',
      'x-github-delivery': expect.stringMatching(UUID) as unknown,
      'user-agent': expect.stringMatching(/^GitHub-Hookshot\//) as unknown,
      'x-hub-signature': expect.stringMatching(/^sha1=[0-9a-f]{40}$/) as unknown,
    });
    expect(await verify(SECRET, got?.body ?? '', String(got?.headers['x-hub-signature-256']))).toBe(true);
    expect(await verify('another secret', got?.body ?? '', String(got?.headers['x-hub-signature-256']))).toBe(
      false,
    );
    expect(got?.payload).toEqual(payload);

    hooks.status = 503;
    expect(await fake.deliver('ping', payload, { url: hooks.url })).toBe(503);
    expect(hooks.received[1]?.headers['x-hub-signature-256']).toBeUndefined();
    expect(await fake.deliver('ping', payload, { url: 'http://127.0.0.1:1/nothing' })).toBe(0);
    expect(fake.deliveries.map((d) => d.status)).toEqual([200, 503, 0]);
  });

  it('auto-delivers push, pull_request, issue_comment, pull_request_review and check_run shaped like the published examples', async () => {
    const { privateKey } = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    });
    const alice = fake.addToken('alice');
    const bob = fake.addToken('bob');
    await fake.createRepo('acme', 'demo');
    fake.registerApp({ appId: 7, privateKeyPem: privateKey });
    const inst = fake.installApp(7, { account: 'acme' });
    fake.setWebhook({ url: hooks.url, secret: SECRET });

    const gh = new Octokit({ baseUrl: fake.url, auth: alice, log: quiet });
    const head = await fake.commitFiles('acme', 'demo', {
      branch: 'feature',
      files: { 'a.txt': 'a\n' },
      author: 'alice',
    });
    const pr = await gh.rest.pulls.create({
      owner: 'acme',
      repo: 'demo',
      head: 'feature',
      base: 'main',
      title: 'Add a',
    });
    await gh.rest.issues.createComment({
      owner: 'acme',
      repo: 'demo',
      issue_number: pr.data.number,
      body: 'hello',
    });
    await new Octokit({ baseUrl: fake.url, auth: bob, log: quiet }).rest.pulls.createReview({
      owner: 'acme',
      repo: 'demo',
      pull_number: pr.data.number,
      event: 'APPROVE',
    });
    const enc = (o: unknown): string => Buffer.from(JSON.stringify(o)).toString('base64url');
    const now = Math.floor(Date.now() / 1000);
    const data = `${enc({ alg: 'RS256' })}.${enc({ iss: 7, iat: now - 30, exp: now + 500 })}`;
    const appJwt = `${data}.${createSign('RSA-SHA256').update(data).sign(privateKey, 'base64url')}`;
    const minted = await fetch(`${fake.url}/app/installations/${inst.id}/access_tokens`, {
      method: 'POST',
      headers: { authorization: `Bearer ${appJwt}` },
    });
    const { token } = (await minted.json()) as { token: string };
    const bot = new Octokit({ baseUrl: fake.url, auth: token, log: quiet });
    const run = await bot.rest.checks.create({
      owner: 'acme',
      repo: 'demo',
      name: 'ci',
      head_sha: head,
      status: 'in_progress',
    });
    await bot.rest.checks.update({
      owner: 'acme',
      repo: 'demo',
      check_run_id: run.data.id,
      conclusion: 'success',
    });
    await gh.rest.pulls.merge({
      owner: 'acme',
      repo: 'demo',
      pull_number: pr.data.number,
      merge_method: 'squash',
    });
    await fake.settled();

    const seen = hooks.received.map(
      (h) => `${h.event}${at(h.payload, 'action') ? `.${String(at(h.payload, 'action'))}` : ''}`,
    );
    expect(seen).toEqual([
      'push',
      'pull_request.opened',
      'issue_comment.created',
      'pull_request_review.submitted',
      'check_run.completed',
      'push',
      'pull_request.closed',
    ]);
    for (const h of hooks.received) {
      expect(await verify(SECRET, h.body, String(h.headers['x-hub-signature-256']))).toBe(true);
      expect(at(h.payload, 'installation')).toEqual({ id: inst.id, node_id: expect.any(String) as unknown });
    }
    const payload = (event: string, i = 0): unknown =>
      hooks.received.filter((h) => h.event === event)[i]?.payload;

    // contents
    expect(payload('pull_request')).toMatchObject({
      number: 1,
      pull_request: { head: { sha: head }, mergeable: true },
    });
    expect(payload('pull_request', 1)).toMatchObject({
      action: 'closed',
      pull_request: { merged: true, state: 'closed', merged_by: { login: 'alice' } },
    });
    expect(payload('pull_request_review')).toMatchObject({
      review: { state: 'approved', user: { login: 'bob' } },
    });
    expect(payload('check_run')).toMatchObject({
      check_run: {
        conclusion: 'success',
        app: { id: 7 },
        pull_requests: [{ number: 1 }],
        check_suite: { head_branch: 'feature' },
      },
    });
    expect(payload('push', 1)).toMatchObject({
      ref: 'refs/heads/main',
      created: false,
      commits: [{ message: expect.stringMatching(/^Add a \(#1\)/) as unknown }],
    });

    // shapes, against @octokit/webhooks-examples (optional parts either side are named)
    const envelope = ['installation', 'organization', 'enterprise'];
    const pushEx = example('push');
    expectShapedLike(payload('push'), pushEx, 'push', envelope);
    expectShapedLike(at(payload('push'), 'head_commit'), at(pushEx, 'head_commit'), 'push.head_commit');
    // has_discussions is newer than the (2019) push example
    expectShapedLike(at(payload('push'), 'repository'), at(pushEx, 'repository'), 'push.repository', [
      'has_discussions',
    ]);
    expectShapedLike(at(payload('push'), 'sender'), at(pushEx, 'sender'), 'push.sender');

    const prEx = example('pull_request', 'opened');
    expectShapedLike(payload('pull_request'), prEx, 'pull_request', envelope);
    expectShapedLike(
      at(payload('pull_request'), 'pull_request'),
      at(prEx, 'pull_request'),
      'pull_request.pull_request',
    );
    const closedEx = example('pull_request', 'closed');
    expectShapedLike(
      at(payload('pull_request', 1), 'pull_request'),
      at(closedEx, 'pull_request'),
      'closed.pull_request',
    );

    const commentEx = example('issue_comment', 'created');
    expectShapedLike(payload('issue_comment'), commentEx, 'issue_comment', envelope);
    expectShapedLike(
      at(payload('issue_comment'), 'comment'),
      at(commentEx, 'comment'),
      'issue_comment.comment',
    );
    // the example comments on a plain issue (no pull_request) and predates the newer optional keys
    expectShapedLike(at(payload('issue_comment'), 'issue'), at(commentEx, 'issue'), 'issue_comment.issue', [
      'pull_request',
      'draft',
      'state_reason',
      'timeline_url',
      'performed_via_github_app',
    ]);

    const reviewEx = example('pull_request_review', 'submitted');
    expectShapedLike(payload('pull_request_review'), reviewEx, 'pull_request_review', envelope);
    expectShapedLike(
      at(payload('pull_request_review'), 'review'),
      at(reviewEx, 'review'),
      'pull_request_review.review',
    );
    expectShapedLike(
      at(payload('pull_request_review'), 'pull_request'),
      at(reviewEx, 'pull_request'),
      'pull_request_review.pull_request',
    );

    const checkEx = example('check_run', 'completed');
    expectShapedLike(payload('check_run'), checkEx, 'check_run', [...envelope, 'requested_action']);
    expectShapedLike(at(payload('check_run'), 'check_run'), at(checkEx, 'check_run'), 'check_run.check_run', [
      'deployment',
    ]);
  });
});
