import { findRepoWorkflowDir } from '../../workflows/findRepoWorkflowDir.ts';
import type { StartRunRequest } from '../backend/Backend.ts';
import { DirectBackend } from '../backend/DirectBackend.ts';
import type { CliContext } from '../context.ts';
import { EXIT } from '../exitCodes.ts';
import { hasLiveRunner } from '../liveRunner.ts';
import { startAndFollow } from './startAndFollow.ts';

/** Drain time for foreign steps this process may have picked up when it ran the engine itself. */
const IN_PROCESS_DRAIN_MS = 5_000;

/**
 * `baton run` on the database: the engine opens with a runner, which starts only when no
 * `baton serve` is alive (the run then executes in this process, and Ctrl-C cancels it).
 */
export async function runLocal(
  ctx: CliContext,
  req: Omit<StartRunRequest, 'workflowDirs'>,
  follow: boolean | undefined,
): Promise<number> {
  const config = await ctx.config();
  const { openBaton } = await import('../../main/openBaton.ts');
  const app = await openBaton(config, { logger: await ctx.logger(), runner: true, cwd: req.cwd });
  let drainMs = IN_PROCESS_DRAIN_MS;
  try {
    const backend = new DirectBackend(app, {
      heartbeatMs: config.heartbeatMs,
      pollMs: ctx.isTTY ? 120 : 250,
    });
    const inProcess = !(await hasLiveRunner(app.store, config.heartbeatMs));
    const workflowDirs = [findRepoWorkflowDir(req.cwd), ...config.workflowDirs];
    const code = await startAndFollow(ctx, backend, { ...req, workflowDirs }, follow, {
      inProcess,
      start: () => app.engine.start(),
      cancel: (id) => app.engine.cancel(id, { by: ctx.actor(), reason: 'interrupted (Ctrl-C)' }),
    });
    if (code === EXIT.interrupted) drainMs = 0;
    return code;
  } finally {
    await app.close(drainMs);
  }
}
