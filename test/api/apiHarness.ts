import type { FastifyInstance } from 'fastify';
import { createApiServer, type ApiPlugin } from '../../src/api/app/createApiServer.ts';
import type { Config } from '../../src/config/configSchema.ts';
import { createHarness, type Harness } from '../helpers/engineHarness.ts';
import type { TestDialect } from '../helpers/dialects.ts';

export interface ApiHarness extends Harness {
  app: FastifyInstance;
  shutdown: AbortController;
}

export function testConfig(dataDir: string): Readonly<Config> {
  return {
    dataDir,
    databaseUrl: undefined,
    host: '127.0.0.1',
    port: 0,
    adminToken: undefined,
    githubWebhookSecret: undefined,
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
  opts: { runner?: boolean; plugins?: ApiPlugin[] } = {},
): Promise<ApiHarness> {
  const h = await createHarness(dialect, { runner: opts.runner ?? true });
  const shutdown = new AbortController();
  const app = await createApiServer(
    {
      engine: h.engine,
      store: h.store,
      config: testConfig(h.db.dir),
      logger: { debug() {}, info() {}, warn() {}, error() {} },
      shutdown: shutdown.signal,
    },
    opts.plugins ? { plugins: opts.plugins } : {},
  );
  const close = h.close.bind(h);
  return Object.assign(h, {
    app,
    shutdown,
    async close() {
      shutdown.abort();
      await app.close();
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
