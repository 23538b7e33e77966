import type { FastifyInstance, InjectOptions } from 'fastify';
import type { AccountsStore } from '../../src/accounts/accountsStore.ts';
import { issueToken } from '../../src/accounts/issueToken.ts';
import { CursorWebhookHub } from '../../src/agents/runtimes/cursor/CursorWebhookHub.ts';
import { openAccountsStore } from '../../src/accounts/openAccountsStore.ts';
import type { Role } from '../../src/domain/access/roles.ts';
import { uuidv7 } from '../../src/domain/ids.ts';
import { createApiServer, type ApiPlugin } from '../../src/api/app/createApiServer.ts';
import type { Config } from '../../src/config/configSchema.ts';
import { createHarness, type Harness } from '../helpers/engineHarness.ts';
import type { TestDialect } from '../helpers/dialects.ts';

export interface ApiHarness extends Harness {
  app: FastifyInstance;
  shutdown: AbortController;
  accounts: AccountsStore;
}

/** The Cursor webhook secret of test servers (`/webhooks/cursor`). */
export const TEST_CURSOR_SECRET = 'cursor-test-webhook-secret-0123456789abcdef';

/** The GitHub and security-scanner webhook secrets of test servers (`/webhooks/github`, `/webhooks/security`). */
export const TEST_GITHUB_SECRET = 'github-test-webhook-secret-0123456789';
export const TEST_SECURITY_SECRET = 'security-test-webhook-secret-0123456789';

/** The `BATON_ADMIN_TOKEN` of test servers: an instance administrator. */
export const TEST_ADMIN_TOKEN = 'baton_pat_testadmintoken0000000000000';

export function testConfig(dataDir: string): Readonly<Config> {
  return {
    dataDir,
    databaseUrl: undefined,
    host: '127.0.0.1',
    port: 0,
    adminToken: TEST_ADMIN_TOKEN,
    githubWebhookSecret: TEST_GITHUB_SECRET,
    securityWebhookSecret: TEST_SECURITY_SECRET,
    redisUrl: undefined,
    concurrency: 4,
    leaseMs: 3_000,
    heartbeatMs: 100,
    pollMs: 20,
    killGraceMs: 300,
    workflowDirs: [],
    stepEnv: [],
    logLevel: (process.env.BATON_TEST_LOG_LEVEL as Config['logLevel'] | undefined) ?? 'silent',
  };
}

/** An engine with a real runner on a fresh database, and the API app over it. */
export async function createApiHarness(
  dialect: TestDialect,
  opts: { runner?: boolean; plugins?: ApiPlugin[]; config?: Partial<Config> } = {},
): Promise<ApiHarness> {
  const h = await createHarness(dialect, { runner: opts.runner ?? true });
  const shutdown = new AbortController();
  const accounts = openAccountsStore(h.db.storeOptions);
  const app = await createApiServer(
    {
      engine: h.engine,
      store: h.store,
      config: { ...testConfig(h.db.dir), ...opts.config },
      logger: { debug() {}, info() {}, warn() {}, error() {} },
      shutdown: shutdown.signal,
      accounts,
      cursorWebhook: new CursorWebhookHub('http://127.0.0.1/webhooks/cursor', TEST_CURSOR_SECRET),
    },
    opts.plugins ? { plugins: opts.plugins } : {},
  );
  // requests carry the admin token unless a test sets `authorization` itself (to '' for none)
  const inject = app.inject.bind(app);
  app.inject = ((o: InjectOptions | string) => {
    const req: InjectOptions = typeof o === 'string' ? { url: o } : o;
    const headers = { ...(req.headers ?? {}) } as Record<string, string>;
    if (headers['authorization'] === undefined) headers['authorization'] = `Bearer ${TEST_ADMIN_TOKEN}`;
    if (headers['authorization'] === '') delete headers['authorization'];
    return inject({ ...req, headers });
  }) as typeof app.inject;
  const close = h.close.bind(h);
  return Object.assign(h, {
    app,
    shutdown,
    accounts,
    async close() {
      shutdown.abort();
      await app.close();
      await accounts.close();
      await close();
    },
  });
}

export const SIMPLE_WORKFLOW = `
name: simple
inputs:
  who: { type: string, default: world }
steps:
  - id: hello
    run: echo "hello {{ inputs.who }}"
`;

export const APPROVAL_WORKFLOW = `
name: gated
steps:
  - id: gate
    approval: { message: "go?" }
  - id: after
    needs: gate
    run: echo after
`;

/**
 * A user with `role` in `workspace` (created when missing) and a fresh token of theirs; returns
 * the token's secret. `restrict` creates the token restricted to that workspace / capped at that role.
 */
export async function userWithRole(
  h: { accounts: AccountsStore },
  login: string,
  role: Role | null,
  workspace = 'default',
  restrict: { workspace?: string; role?: Role } = {},
): Promise<string> {
  const now = Date.now();
  if (!(await h.accounts.getWorkspace(workspace))) {
    await h.accounts.insertWorkspace({ id: workspace, name: workspace, createdAt: now, updatedAt: now });
  }
  let user = await h.accounts.getUser({ login });
  if (!user) {
    user = {
      id: uuidv7(),
      login,
      name: null,
      email: null,
      isAdmin: false,
      disabledAt: null,
      createdAt: now,
      updatedAt: now,
    };
    await h.accounts.insertUser(user);
  }
  if (role !== null) {
    await h.accounts.upsertMember({
      workspaceId: workspace,
      userId: user.id,
      role,
      createdAt: now,
      updatedAt: now,
    });
  }
  const { secret } = await issueToken(
    h.accounts,
    {
      userId: user.id,
      name: `${login}-${role ?? 'none'}`,
      kind: 'personal',
      expiresAt: null,
      workspaceId: restrict.workspace ?? null,
      role: restrict.role ?? null,
    },
    now,
  );
  return secret;
}
