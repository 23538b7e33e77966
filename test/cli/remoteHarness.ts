import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import type { AccountsStore } from '../../src/accounts/accountsStore.ts';
import { openAccountsStore } from '../../src/accounts/openAccountsStore.ts';
import { createApiServer } from '../../src/api/app/createApiServer.ts';
import type { ApiDeps } from '../../src/api/apiDeps.ts';
import { getEventBroadcaster } from '../../src/api/streams/eventBroadcaster.ts';
import { streamRoutes } from '../../src/api/streams/streamRoutes.ts';
import type { CliIO } from '../../src/cli/context.ts';
import { main } from '../../src/cli/main.ts';
import { testConfig } from '../api/apiHarness.ts';
import type { TestDialect } from '../helpers/dialects.ts';
import { createHarness, type Harness } from '../helpers/engineHarness.ts';

/** The admin token the test servers are configured with (and the CLI always sends). */
export const ADMIN_TOKEN = 'baton_pat_testadmintoken0000000000000';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** A `baton …` started in this process, its output readable while it runs. */
export interface RunningCli {
  done: Promise<CliRun>;
  stdout(): string;
  stderr(): string;
}

class Capture extends Writable {
  text = '';
  override _write(chunk: Buffer | string, _enc: BufferEncoding, cb: (e?: Error | null) => void): void {
    this.text += chunk.toString();
    cb();
  }
}

/**
 * `main(argv, io)` of the CLI in this process, its stdout/stderr captured, in a scratch directory
 * with its own HOME (no credentials file of the developer's is read).
 */
export function startCli(args: string[], env: Record<string, string>, cwd: string): RunningCli {
  const stdout = new Capture();
  const stderr = new Capture();
  const io: CliIO = {
    stdout,
    stderr,
    cwd,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: cwd, USER: 'tester', NO_COLOR: '1', ...env },
  };
  const done = main(args, io).then((code) => ({ code, stdout: stdout.text, stderr: stderr.text }));
  return { done, stdout: () => stdout.text, stderr: () => stderr.text };
}

export interface RemoteHarness extends Harness {
  app: FastifyInstance;
  port: number;
  url: string;
  /** a scratch directory: the CLI's cwd and HOME */
  dir: string;
  /** `baton --server <url> …` with BATON_TOKEN */
  remote: (args: string[], env?: Record<string, string>) => Promise<CliRun>;
  remoteStart: (args: string[], env?: Record<string, string>) => RunningCli;
  /** `baton --data-dir <the same database> …` (SQLite only) */
  local: (args: string[]) => Promise<CliRun>;
  /** stops the API server, waits, starts a new one on the same port */
  restart(downMs: number): Promise<void>;
}

/** The engine with a runner on a fresh database, and the HTTP API with its live streams on 127.0.0.1. */
export async function createRemoteHarness(dialect: TestDialect): Promise<RemoteHarness> {
  const h = await createHarness(dialect, { runner: true });
  const dir = mkdtempSync(join(tmpdir(), 'baton-remote-cli-'));
  // accounts on the harness's database (its PostgreSQL schema too), as test/api/apiHarness.ts does
  const accounts = openAccountsStore(h.db.storeOptions);
  let server = await startServer(h, accounts, 0);
  const port = (server.app.server.address() as { port: number }).port;
  const url = `http://127.0.0.1:${port}`;
  const env = { BATON_TOKEN: ADMIN_TOKEN, BATON_CREDENTIALS_FILE: join(dir, 'credentials.json') };
  const close = h.close.bind(h);
  return Object.assign(h, {
    get app() {
      return server.app;
    },
    port,
    url,
    dir,
    remote: (args: string[], extra: Record<string, string> = {}) =>
      startCli(['--server', url, ...args], { ...env, ...extra }, dir).done,
    remoteStart: (args: string[], extra: Record<string, string> = {}) =>
      startCli(['--server', url, ...args], { ...env, ...extra }, dir),
    local: (args: string[]) => startCli(['--data-dir', h.db.dir, ...args], {}, dir).done,
    async restart(downMs: number) {
      await server.stop();
      await new Promise((r) => setTimeout(r, downMs));
      server = await startServer(h, accounts, port);
    },
    async close() {
      await server.stop();
      await accounts.close();
      await close();
      rmSync(dir, { recursive: true, force: true });
    },
  });
}

async function startServer(
  h: Harness,
  accounts: AccountsStore,
  port: number,
): Promise<{ app: FastifyInstance; stop(): Promise<void> }> {
  const shutdown = new AbortController();
  const deps: ApiDeps = {
    engine: h.engine,
    store: h.store,
    config: { ...testConfig(h.db.dir), adminToken: ADMIN_TOKEN },
    logger: { debug() {}, info() {}, warn() {}, error() {} },
    shutdown: shutdown.signal,
    accounts,
  };
  const app = await createApiServer(deps, { plugins: [streamRoutes] });
  // as `baton serve` does: a commit wakes the stream broadcaster at once
  const unpoke = h.store.onCommitted(() => getEventBroadcaster(deps).poke());
  await app.listen({ host: '127.0.0.1', port });
  return {
    app,
    async stop() {
      unpoke();
      shutdown.abort();
      await app.close();
    },
  };
}
