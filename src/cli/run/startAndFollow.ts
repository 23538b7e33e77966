import type { Backend, StartRunRequest } from '../backend/Backend.ts';
import type { CliContext } from '../context.ts';
import { EXIT } from '../exitCodes.ts';
import { isTerminalRun } from '../../domain/runStatus.ts';
import { followStartedRun, type LocalExecution } from './followStartedRun.ts';

/**
 * `baton run` once the backend is chosen: start the run (notes and warnings on stderr), then print
 * its id, or follow it to the end (on a terminal, with `--follow`, or when this process runs it).
 */
export async function startAndFollow(
  ctx: CliContext,
  backend: Backend,
  req: StartRunRequest,
  follow: boolean | undefined,
  local: LocalExecution,
): Promise<number> {
  const { json, quiet } = ctx.globals;
  const { run, created, warnings, notes } = await backend.startRun(req);
  for (const n of notes) ctx.note(n);
  for (const w of warnings) ctx.note(`warning: ${w}`);
  if (!created)
    ctx.note(
      `idempotency key "${req.idempotencyKey ?? ''}" matched run ${run.id} (${run.status}); not starting another`,
    );
  if (run.status === 'queued') {
    const { settings: q } = await backend.queueStatus();
    if (q.paused)
      ctx.note(
        `the queue is paused${q.pausedReason ? ` (${q.pausedReason})` : ''}: the run starts after \`baton queue resume\``,
      );
  }
  if (!(local.inProcess || (follow ?? (ctx.isTTY && !json)))) {
    if (json) ctx.json({ run, created });
    else if (quiet) ctx.print(run.id);
    else {
      ctx.print(`run ${run.id} ${run.status} (workflow ${run.workflowName} v${run.workflowVersion})`);
      ctx.print(`  follow: baton logs ${run.id} -f    status: baton runs show ${run.id}`);
    }
    return EXIT.ok;
  }
  if (local.inProcess && !isTerminalRun(run.status)) {
    ctx.note(
      follow === false
        ? 'no runner is alive (no `baton serve`): running the workflow in this process, --no-follow ignored'
        : 'no runner is alive (no `baton serve`): running the workflow in this process',
    );
    await local.start?.();
  }
  return followStartedRun(ctx, backend, run.id, created, local);
}
