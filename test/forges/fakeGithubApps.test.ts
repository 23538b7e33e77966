import { createSign, generateKeyPairSync } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAppAuth } from '@octokit/auth-app';
import { throttling } from '@octokit/plugin-throttling';
import { Octokit } from '@octokit/rest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakeGithub, type FakeGithub } from '../../src/forges/github/fake/fakeGithub.ts';
import { gitClient } from '../../src/forges/github/fake/gitClient.ts';

const APP_ID = 4242;
const keyPair = () =>
  generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
const { privateKey } = keyPair();

let fake: FakeGithub;
let work: string;
let alice: string;

beforeEach(async () => {
  work = await mkdtemp(join(tmpdir(), 'fake-github-apps-'));
  fake = await startFakeGithub();
  alice = fake.addToken('alice');
  await fake.createRepo('acme', 'demo');
  await fake.createRepo('acme', 'other', { private: true });
});

afterEach(async () => {
  expect(fake.serverErrors).toEqual([]);
  await fake.close();
  await rm(work, { recursive: true, force: true });
});

const quiet = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

/** An app JWT with the given claims, signed RS256 with `key`. */
function jwt(claims: Record<string, unknown>, key: string = privateKey): string {
  const enc = (o: unknown): string => Buffer.from(JSON.stringify(o)).toString('base64url');
  const data = `${enc({ alg: 'RS256', typ: 'JWT' })}.${enc(claims)}`;
  return `${data}.${createSign('RSA-SHA256').update(data).sign(key, 'base64url')}`;
}
const now = (): number => Math.floor(Date.now() / 1000);

async function call(
  path: string,
  auth: string,
  method = 'GET',
): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${fake.url}${path}`, {
    method,
    headers: { authorization: auth, accept: 'application/vnd.github+json' },
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function rejection(
  p: Promise<unknown>,
): Promise<{ status: number; message: string; response: { headers: Record<string, string | undefined> } }> {
  try {
    await p;
  } catch (e) {
    return e as Awaited<ReturnType<typeof rejection>>;
  }
  throw new Error('expected the call to fail');
}

describe('fake GitHub: GitHub App authentication', () => {
  it('exchanges an app JWT for an installation token that works for REST (via @octokit/auth-app) and git', async () => {
    fake.registerApp({ appId: APP_ID, privateKeyPem: privateKey, slug: 'baton-bot' });
    const inst = fake.installApp(APP_ID, { account: 'acme', repositories: ['demo'] });

    const asApp = new Octokit({
      baseUrl: fake.url,
      authStrategy: createAppAuth,
      auth: { appId: APP_ID, privateKey },
      log: quiet,
    });
    const installations = await asApp.rest.apps.listInstallations();
    expect(installations.data.map((i) => [i.id, i.app_slug, i.repository_selection])).toEqual([
      [inst.id, 'baton-bot', 'selected'],
    ]);
    expect((await asApp.rest.apps.getRepoInstallation({ owner: 'acme', repo: 'demo' })).data.id).toBe(
      inst.id,
    );
    expect(
      (await rejection(asApp.rest.apps.getRepoInstallation({ owner: 'acme', repo: 'other' }))).status,
    ).toBe(404);

    const asInstallation = new Octokit({
      baseUrl: fake.url,
      authStrategy: createAppAuth,
      auth: { appId: APP_ID, privateKey, installationId: inst.id },
      log: quiet,
    });
    expect((await asInstallation.rest.repos.get({ owner: 'acme', repo: 'demo' })).data.full_name).toBe(
      'acme/demo',
    );
    expect((await rejection(asInstallation.rest.repos.get({ owner: 'acme', repo: 'other' }))).status).toBe(
      404,
    );
    const repos = await asInstallation.rest.apps.listReposAccessibleToInstallation();
    expect(repos.data.repositories.map((r) => r.full_name)).toEqual(['acme/demo']);
    const head = (await fake.branchSha('acme', 'demo', 'main')) ?? '';
    const run = await asInstallation.rest.checks.create({
      owner: 'acme',
      repo: 'demo',
      name: 'baton',
      head_sha: head,
      conclusion: 'success',
    });
    expect(run.data).toMatchObject({ status: 'completed', app: { id: APP_ID, slug: 'baton-bot' } });
    const comment = await asInstallation.rest.issues.create({
      owner: 'acme',
      repo: 'demo',
      title: 'from the app',
    });
    expect(comment.data.user).toMatchObject({ login: 'baton-bot[bot]', type: 'Bot' });
    // GitHub lets only apps write check runs
    const pat = new Octokit({ baseUrl: fake.url, auth: alice, log: quiet });
    const refused = await rejection(
      pat.rest.checks.create({ owner: 'acme', repo: 'demo', name: 'x', head_sha: head }),
    );
    expect([refused.status, refused.message]).toEqual([
      403,
      expect.stringContaining('You must authenticate via a GitHub App.'),
    ]);

    // the raw exchange, and the token as a git credential
    const minted = await call(
      `/app/installations/${inst.id}/access_tokens`,
      `Bearer ${jwt({ iss: APP_ID, iat: now() - 30, exp: now() + 540 })}`,
      'POST',
    );
    expect(minted.status).toBe(201);
    expect(minted.body).toMatchObject({
      token: expect.stringMatching(/^ghs_/) as unknown,
      repository_selection: 'selected',
      permissions: { contents: 'write' },
    });
    expect(Date.parse(String(minted.body.expires_at)) - Date.now()).toBeGreaterThan(3500_000);
    const token = String(minted.body.token);
    const clone = join(work, 'clone');
    await gitClient(['clone', '--quiet', fake.cloneUrl('acme', 'demo', token), clone], { cwd: work });
    expect(await readFile(join(clone, 'README.md'), 'utf8')).toBe('# demo\n');
    await expect(
      gitClient(['clone', '--quiet', fake.cloneUrl('acme', 'other', token), join(work, 'other')], {
        cwd: work,
      }),
    ).rejects.toThrow(/not found/i);
  });

  it('rejects bad JWTs with 401 and expired installation tokens as bad credentials', async () => {
    const app = fake.registerApp({ appId: APP_ID, privateKeyPem: privateKey });
    const inst = fake.installApp(APP_ID, { account: 'acme' });
    const path = `/app/installations/${inst.id}/access_tokens`;
    const good = { iss: APP_ID, iat: now() - 30, exp: now() + 540 };
    const cases: [string, string][] = [
      [jwt(good, keyPair().privateKey), 'A JSON web token could not be decoded'],
      [jwt({ ...good, iss: 999 }), 'A JSON web token could not be decoded'],
      [
        jwt({ ...good, iat: now() - 700, exp: now() - 100 }),
        "'Expiration time' claim ('exp') must be a numeric value",
      ],
      [jwt({ ...good, exp: now() + 3600 }), "'Expiration time' claim ('exp') is too far in the future"],
      [jwt({ ...good, iat: now() + 600 }), "'Issued at' claim ('iat') must be an Integer"],
      ['eyJhbGciOiJub25lIn0.e30.', 'A JSON web token could not be decoded'],
    ];
    for (const [token, message] of cases) {
      const r = await call(path, `Bearer ${token}`, 'POST');
      expect([r.status, r.body.message]).toEqual([401, expect.stringContaining(message)]);
    }
    expect((await call('/app/installations', `token ${alice}`)).status).toBe(401);

    app.tokenTtlSec = 1;
    const minted = await call(path, `Bearer ${jwt(good)}`, 'POST');
    const token = String(minted.body.token);
    expect((await call('/repos/acme/demo', `token ${token}`)).status).toBe(200);
    await new Promise((r) => setTimeout(r, 1100));
    const expired = await call('/repos/acme/demo', `token ${token}`);
    expect([expired.status, expired.body.message]).toEqual([401, 'Bad credentials']);
  });
});

describe('fake GitHub: rate limits', () => {
  it('carries x-ratelimit-* headers and answers scripted 403/429/500 like GitHub', async () => {
    const gh = new Octokit({ baseUrl: fake.url, auth: alice, log: quiet });
    const first = await gh.rest.repos.get({ owner: 'acme', repo: 'demo' });
    const second = await gh.rest.repos.get({ owner: 'acme', repo: 'demo' });
    expect(first.headers).toMatchObject({ 'x-ratelimit-limit': '5000', 'x-ratelimit-resource': 'core' });
    expect(
      Number(first.headers['x-ratelimit-remaining']) - Number(second.headers['x-ratelimit-remaining']),
    ).toBe(1);
    expect(Number(second.headers['x-ratelimit-used'])).toBe(2);
    expect(Number(second.headers['x-ratelimit-reset'])).toBeGreaterThan(now());

    const reset = now() + 42;
    fake.failNext({ method: 'GET', path: '/repos/acme/demo', status: 403, rateLimitReset: reset });
    const primary = await rejection(gh.rest.repos.get({ owner: 'acme', repo: 'demo' }));
    expect(primary.status).toBe(403);
    expect(primary.message).toMatch(/^API rate limit exceeded for user ID \d+\./);
    expect(primary.response.headers).toMatchObject({
      'x-ratelimit-remaining': '0',
      'x-ratelimit-reset': String(reset),
    });

    fake.failNext({ path: /\/pulls$/, status: 429, retryAfterSec: 7 });
    const secondary = await rejection(gh.rest.pulls.list({ owner: 'acme', repo: 'demo' }));
    expect([secondary.status, secondary.response.headers['retry-after']]).toEqual([429, '7']);
    expect(secondary.message).toMatch(/secondary rate limit/);

    fake.failNext({ status: 500 });
    expect((await rejection(gh.rest.repos.get({ owner: 'acme', repo: 'demo' }))).status).toBe(500);
    expect((await gh.rest.repos.get({ owner: 'acme', repo: 'demo' })).status).toBe(200);

    // @octokit/plugin-throttling reads the fake's answers as GitHub's primary and secondary limits
    const seen: string[] = [];
    const Throttled = Octokit.plugin(throttling);
    const throttled = new Throttled({
      baseUrl: fake.url,
      auth: alice,
      log: quiet,
      throttle: {
        onRateLimit: (after: number) => void seen.push(`primary ${after > 0}`),
        onSecondaryRateLimit: (after: number) => void seen.push(`secondary ${after}`),
      },
    });
    fake.failNext({ status: 403, rateLimitReset: now() + 30 });
    await rejection(throttled.rest.repos.get({ owner: 'acme', repo: 'demo' }));
    fake.failNext({ status: 403, retryAfterSec: 3 });
    await rejection(throttled.rest.repos.get({ owner: 'acme', repo: 'demo' }));
    expect(seen).toEqual(['primary true', 'secondary 3']);
  });

  it('runs out of its primary limit', async () => {
    await fake.close();
    fake = await startFakeGithub({ rateLimit: { authenticated: 2 }, tokens: { [alice]: 'alice' } });
    await fake.createRepo('acme', 'demo');
    const gh = new Octokit({ baseUrl: fake.url, auth: alice, log: quiet });
    await gh.rest.repos.get({ owner: 'acme', repo: 'demo' });
    await gh.rest.repos.get({ owner: 'acme', repo: 'demo' });
    const spent = await rejection(gh.rest.repos.get({ owner: 'acme', repo: 'demo' }));
    expect([spent.status, spent.response.headers['x-ratelimit-remaining']]).toEqual([403, '0']);
  });
});
