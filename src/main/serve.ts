import { once } from 'node:events';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Config } from '../config/configSchema.ts';
import type { Logger } from '../engine/engineDeps.ts';
import { findRepoWorkflowDir } from '../workflows/findRepoWorkflowDir.ts';
import { createHealthServer } from './healthServer.ts';
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
  /** called once listening (tests, the CLI) */
  onListening?: (address: { host: string; port: number; url: string }) => void;
}

/**
 * `baton serve`: the engine with a local runner, the workflows of `.baton/workflows` (and the
 * configured directories, and `examples/` on request), and the health endpoints. Resolves after a
 * graceful stop once `signal` is aborted.
 */
export async function serve(config: Readonly<Config>, opts: ServeOptions): Promise<void> {
  const cwd = opts.cwd ?? process.cwd();
  const print = opts.print ?? ((line: string) => void process.stdout.write(`${line}\n`));
  const warn = opts.warn ?? ((line: string) => void process.stderr.write(`${line}\n`));
  const { logger, signal } = opts;
  signal.throwIfAborted();
  const app = await openBaton(config, { logger, runner: true, cwd });
  const health = createHealthServer(app.store, logger);
  try {
    const dirs = [findRepoWorkflowDir(cwd), ...config.workflowDirs, ...(opts.examples ? [EXAMPLES_DIR] : [])];
    const reg = await registerWorkflowDirs(app.engine, dirs, logger, signal);
    for (const line of reg.errors) warn(`warning: ${line}`);
    const total = (await app.engine.listWorkflows()).length;
    // listen first: a taken port fails before any step runs
    const address = await health.listen(config.host, config.port, signal);
    await app.engine.start();
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
    await health.close();
    await app.close(opts.drainMs ?? 10_000);
  }
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
