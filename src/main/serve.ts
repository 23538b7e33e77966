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
import { createSignInCode } from '../accounts/bootstrapAccounts.ts';
import { isLoopbackHost, listenApi } from './healthServer.ts';
import { openBaton } from './openBaton.ts';
import { CursorWebhookHub } from '../agents/runtimes/cursor/CursorWebhookHub.ts';
import { registerWorkflowDirs } from './registerWorkflowDirs.ts';
import { GithubClient } from '../forges/github/githubClient.ts';
import { startRedeliveryLoop, type RedeliveryLoop } from '../forges/github/startRedeliveryLoop.ts';
import { startFollowupSweep, type FollowupSweep } from '../forges/github/webhooks/startFollowupSweep.ts';

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
 * `/metrics`). Resolves after a graceful stop once `signal` is aborted. Prints a one-time sign-in link;
 * on a non-loopback address it requires `BATON_ADMIN_TOKEN` (scripts and containers need a token).
 */
export async function serve(config: Readonly<Config>, opts: ServeOptions): Promise<void> {
  const cwd = opts.cwd ?? process.cwd();
  const print = opts.print ?? ((line: string) => void process.stdout.write(`${line}\n`));
  const warn = opts.warn ?? ((line: string) => void process.stderr.write(`${line}\n`));
  const { logger, signal } = opts;
  signal.throwIfAborted();
  assertReachableSafely(config);
  // Cursor agent steps finish on Cursor's signed webhook when the server is reachable from outside
  const cursorWebhook =
    config.cursorWebhookSecret && config.publicUrl
      ? new CursorWebhookHub(`${config.publicUrl}/webhooks/cursor`, config.cursorWebhookSecret)
      : undefined;
  const app = await openBaton(config, {
    logger,
    runner: true,
    cwd,
    ...(cursorWebhook ? { cursorWebhook } : {}),
  });
  let api: Awaited<ReturnType<typeof createApiServer>> | undefined;
  let projector: { stop(): Promise<void> } | undefined;
  let unpoke = () => {};
  let reconcile: RedeliveryLoop | undefined;
  let followups: FollowupSweep | undefined;
  const stopReconcile = new AbortController();
  const deps = {
    engine: app.engine,
    store: app.store,
    config,
    logger,
    shutdown: signal,
    ...(cursorWebhook ? { cursorWebhook } : {}),
  };
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
    // GitHub App webhooks: deliveries Baton missed (down, unreachable, refused) are redelivered
    if (config.github?.auth.kind === 'app' && config.githubWebhookSecret) {
      reconcile = startRedeliveryLoop({
        github: new GithubClient({ apiUrl: config.github.apiUrl, auth: config.github.auth }),
        store: app.store,
        logger,
        signal: AbortSignal.any([signal, stopReconcile.signal]),
        ...(config.githubReconcileMs ? { intervalMs: config.githubReconcileMs } : {}),
      });
    }
    // slash commands and mirrored issues' changes a dead process accepted but did not carry out
    if (config.githubWebhookSecret)
      followups = startFollowupSweep(deps, AbortSignal.any([signal, stopReconcile.signal]));
    print(
      `Baton listening on ${address.url} (${describeDatabase(config, cwd)}, ${config.concurrency} runner slot${config.concurrency === 1 ? '' : 's'}, ${total} workflow${total === 1 ? '' : 's'})`,
    );
    const code = await createSignInCode(api.batonAccounts, api.batonOwner.id, Date.now());
    print(
      `Sign in as ${api.batonOwner.login} (one-time link, valid 15 minutes): ${address.url}/signin#code=${code}`,
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
    stopReconcile.abort();
    await reconcile?.done;
    await followups?.done;
    await projector?.stop();
    await api?.close();
    await app.close(opts.drainMs ?? 10_000);
  }
}

/** Listening beyond this machine needs an admin token for scripts and containers (DESIGN §5). */
function assertReachableSafely(config: Readonly<Config>): void {
  if (isLoopbackHost(config.host) || config.adminToken !== undefined) return;
  throw new BatonError(
    'config_invalid',
    `BATON_HOST=${config.host} is not a loopback address, and BATON_ADMIN_TOKEN is not set`,
    {
      field: 'BATON_ADMIN_TOKEN',
      hint: 'set BATON_ADMIN_TOKEN to a secret of 16+ characters (e.g. `openssl rand -hex 32`), or listen on 127.0.0.1',
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
