import { once } from 'node:events';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Config } from '../config/configSchema.ts';
import type { Logger } from '../engine/engineDeps.ts';
import { findRepoWorkflowDir } from '../workflows/findRepoWorkflowDir.ts';
import { BatonError } from '../domain/errors.ts';
import { createApiServer, type ApiPlugin } from '../api/app/createApiServer.ts';
import { ledgerRoutes } from '../api/routes/ledger.ts';
import { getEventBroadcaster } from '../api/streams/eventBroadcaster.ts';
import { streamRoutes } from '../api/streams/streamRoutes.ts';
import { startLedgerProjector } from '../ledger/ledgerProjector.ts';
import { isLoopbackHost, listenApi } from './healthServer.ts';
import { openBaton } from './openBaton.ts';
import { registerWorkflowDirs } from './registerWorkflowDirs.ts';

/** The repository's `examples/` directory (next to `src/`, wherever the process was started). */
export const EXAMPLES_DIR = fileURLToPath(new URL('../../examples', import.meta.url));

export interface ServeOptions {
  /** also register the workflows in `examples/` */
  examples: boolean;
  logger: Logger;
  /** aborting it stops the server gracefully (running steps get `drainMs` to finish) */
  signal: AbortSignal;
  cwd?: string;
  drainMs?: number;
  /** the start-up line and invalid-file reports (default: stdout and stderr) */
  print?: (line: string) => void;
  warn?: (line: string) => void;
  /** route plugins added to the HTTP API core (default: the live streams and the task ledger) */
  plugins?: ApiPlugin[];
  /** called once listening (tests, the CLI) */
  onListening?: (address: { host: string; port: number; url: string }) => void;
}

/**
 * `baton serve`: the engine with a local runner, the workflows of `.baton/workflows` (and the
 * configured directories, and `examples/` on request), and the HTTP API (with `/healthz`, `/readyz`,
 * `/metrics`). Resolves after a graceful stop once `signal` is aborted. Until API tokens exist the API
 * is unauthenticated, so it only listens on a loopback address.
 */
export async function serve(config: Readonly<Config>, opts: ServeOptions): Promise<void> {
  const cwd = opts.cwd ?? process.cwd();
  const print = opts.print ?? ((line: string) => void process.stdout.write(`${line}\n`));
  const warn = opts.warn ?? ((line: string) => void process.stderr.write(`${line}\n`));
  const { logger, signal } = opts;
  signal.throwIfAborted();
  assertLoopback(config.host);
  const app = await openBaton(config, { logger, runner: true, cwd });
  let api: Awaited<ReturnType<typeof createApiServer>> | undefined;
  let projector: { stop(): Promise<void> } | undefined;
  let unpoke = () => {};
  const deps = { engine: app.engine, store: app.store, config, logger, shutdown: signal };
  try {
    api = await createApiServer(deps, { plugins: opts.plugins ?? [streamRoutes, ledgerRoutes] });
    // a commit may have written outbox events: the stream broadcaster reads them now, not at its next poll
    const broadcaster = getEventBroadcaster(deps);
    unpoke = app.store.onCommitted(() => broadcaster.poke());
    const dirs = [findRepoWorkflowDir(cwd), ...config.workflowDirs, ...(opts.examples ? [EXAMPLES_DIR] : [])];
    const reg = await registerWorkflowDirs(app.engine, dirs, logger, signal);
    for (const line of reg.errors) warn(`warning: ${line}`);
    const total = (await app.engine.listWorkflows()).length;
    // listen first: a taken port fails before any step runs
    const address = await listenApi(api, config.host, config.port);
    await app.engine.start();
    // every step Baton runs also lands in the task ledger (and its approval notifications go out)
    projector = startLedgerProjector(deps);
    print(
      `Baton listening on ${address.url} (${describeDatabase(config, cwd)}, ${config.concurrency} runner slot${config.concurrency === 1 ? '' : 's'}, ${total} workflow${total === 1 ? '' : 's'})`,
    );
    logger.info({ url: address.url, owner: app.owner, workflows: reg.registered }, 'baton serving');
    opts.onListening?.(address);
    if (!signal.aborted) await once(signal, 'abort');
    logger.info({}, 'stopping: draining running steps');
  } catch (e) {
    if (!signal.aborted) throw e; // stopped while starting: a graceful stop too
  } finally {
    // streams and log follows end with `signal`; then no new requests; then drain the runner
    unpoke();
    await projector?.stop();
    await api?.close();
    await app.close(opts.drainMs ?? 10_000);
  }
}

/** The API has no authentication yet: refuse anything but loopback rather than expose it. */
function assertLoopback(host: string): void {
  if (isLoopbackHost(host)) return;
  throw new BatonError(
    'config_invalid',
    `BATON_HOST=${host} is not a loopback address; the HTTP API has no authentication yet, so it only listens on loopback`,
    {
      field: 'BATON_HOST',
      hint: 'set BATON_HOST=127.0.0.1 (the default) and put an authenticating reverse proxy in front if others need access',
    },
  );
}

/** `sqlite: .baton/baton.db` or `postgres: db.example:5432/baton` (never a password). */
export function describeDatabase(config: Readonly<Config>, cwd: string): string {
  const url = config.databaseUrl;
  if (!url) return `sqlite: ${shortPath(join(config.dataDir, 'baton.db'), cwd)}`;
  if (url.startsWith('sqlite:'))
    return `sqlite: ${shortPath(resolve(cwd, url.slice('sqlite:'.length).replace(/^\/\//, '')), cwd)}`;
  try {
    const u = new URL(url);
    return `postgres: ${u.host}${u.pathname}`;
  } catch {
    return 'postgres';
  }
}

function shortPath(path: string, cwd: string): string {
  const rel = relative(cwd, path);
  return rel && !rel.startsWith('..') ? rel : path;
}
