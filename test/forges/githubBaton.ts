import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApiServer } from '../../src/api/app/createApiServer.ts';
import type { Config } from '../../src/config/configSchema.ts';
import { parseWorkflow } from '../../src/domain/workflow/parseWorkflow.ts';
import { silentLogger } from '../../src/engine/engineDeps.ts';
import { openBaton, type BatonApp } from '../../src/main/openBaton.ts';
import { TEST_GITHUB_SECRET, testConfig } from '../api/apiHarness.ts';
import { APP_ID, githubFixture, type GithubFixture } from './githubForgeFixture.ts';
import { registerRepository } from '../helpers/registerRepository.ts';

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

export interface GithubBaton {
  f: GithubFixture;
  app: BatonApp;
  dir: string;
  /** registers workflows from YAML sources */
  register(...sources: string[]): Promise<void>;
  close(): Promise<void>;
}

/**
 * Baton (SQLite, a runner, the HTTP API on 127.0.0.1) acting as the App on the fake GitHub, with
 * `acme/app` registered in the default workspace and the fake's webhooks signed and sent to
 * `POST /webhooks/github`.
 */
export async function githubBaton(): Promise<GithubBaton> {
  const f = await githubFixture();
  const dir = mkdtempSync(join(tmpdir(), 'baton-github-'));
  const port = await freePort();
  const config: Readonly<Config> = {
    ...testConfig(join(dir, 'data')),
    port,
    github: {
      apiUrl: f.gh.url,
      gitUrl: f.gh.url,
      auth: { kind: 'app', appId: APP_ID, privateKey: f.privateKey },
    },
  };
  const app = await openBaton(config, { logger: silentLogger, runner: true, cwd: dir });
  const shutdown = new AbortController();
  const api = await createApiServer({
    engine: app.engine,
    store: app.store,
    config,
    logger: silentLogger,
    shutdown: shutdown.signal,
  });
  await api.listen({ host: '127.0.0.1', port });
  await registerRepository(config.dataDir, 'acme/app', 'https://github.com/acme/app');
  f.gh.setWebhook({ url: `http://127.0.0.1:${port}/webhooks/github`, secret: TEST_GITHUB_SECRET });
  await app.engine.start();
  return {
    f,
    app,
    dir,
    async register(...sources) {
      for (const source of sources) {
        const parsed = parseWorkflow(source);
        if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
        await app.engine.registerWorkflow(parsed.workflow, { source, origin: 'api', baseDir: dir });
      }
    },
    async close() {
      f.gh.setWebhook(undefined);
      shutdown.abort();
      await api.close();
      await app.close(2_000);
      await f.gh.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
