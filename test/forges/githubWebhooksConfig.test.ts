/**
 * Which secrets the webhooks accept: several at once through the `secrets()` port (a rotation),
 * read at every delivery; none configured: the routes answer 404 and record nothing.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openAccountsStore } from '../../src/accounts/openAccountsStore.ts';
import type { AccountsStore } from '../../src/accounts/accountsStore.ts';
import { createApiServer } from '../../src/api/app/createApiServer.ts';
import type { ApiDeps } from '../../src/api/apiDeps.ts';
import { testConfig } from '../api/apiHarness.ts';
import { DIALECTS } from '../helpers/dialects.ts';
import { createHarness, type Harness } from '../helpers/engineHarness.ts';
import { githubDelivery, SAMPLE_FINDINGS, securityDelivery } from './githubWebhookRequests.ts';

describe.each(DIALECTS)('webhook secrets (%s)', (dialect) => {
  let h: Harness;
  let accounts: AccountsStore;
  beforeEach(async () => {
    h = await createHarness(dialect, { runner: false });
    accounts = openAccountsStore(h.db.storeOptions);
  });
  afterEach(async () => {
    await accounts.close();
    await h.close();
  });

  async function server(extra: Partial<ApiDeps>, config = testConfig(h.db.dir)) {
    return createApiServer({
      engine: h.engine,
      store: h.store,
      config,
      logger: { debug() {}, info() {}, warn() {}, error() {} },
      shutdown: new AbortController().signal,
      accounts,
      ...extra,
    });
  }

  it('accepts every secret of a rotation, and follows the port as it changes', async () => {
    let secrets = ['old-secret-0123456789', 'new-secret-0123456789'];
    const app = await server({
      githubWebhookSecrets: { secrets: () => secrets },
      securityWebhookSecrets: { secrets: () => secrets },
    });
    try {
      for (const secret of secrets) {
        const gh = await app.inject({
          method: 'POST',
          ...(await githubDelivery('push', { ref: 'main' }, { secret })),
        });
        expect(gh.statusCode, gh.body).toBe(202);
        const sec = await app.inject({
          method: 'POST',
          ...securityDelivery(SAMPLE_FINDINGS, { secret, id: secret }),
        });
        expect(sec.statusCode, sec.body).toBe(202);
      }
      secrets = ['new-secret-0123456789'];
      const old = await app.inject({
        method: 'POST',
        ...(await githubDelivery('push', { ref: 'main' }, { secret: 'old-secret-0123456789' })),
      });
      expect(old.statusCode).toBe(401);
    } finally {
      await app.close();
    }
  });

  it('answers 404 and records nothing when no secret is configured', async () => {
    const app = await server(
      {},
      { ...testConfig(h.db.dir), githubWebhookSecret: undefined, securityWebhookSecret: undefined },
    );
    try {
      const gh = await app.inject({ method: 'POST', ...(await githubDelivery('push', { ref: 'main' })) });
      expect(gh.statusCode).toBe(404);
      expect(gh.json()).toMatchObject({ code: 'not_found' });
      expect(gh.json<{ hint: string }>().hint).toMatch(/BATON_GITHUB_WEBHOOK_SECRET/);
      const sec = await app.inject({ method: 'POST', ...securityDelivery(SAMPLE_FINDINGS) });
      expect(sec.statusCode).toBe(404);
      expect(sec.json<{ hint: string }>().hint).toMatch(/BATON_SECURITY_WEBHOOK_SECRET/);
      expect(await h.store.listWebhookDeliveries({ limit: 10 })).toEqual([]);
    } finally {
      await app.close();
    }
  });
});
