import type { RunRecord } from '../domain/records.ts';
import { isTerminalRun } from '../domain/runStatus.ts';
import type { Engine } from '../engine/engine.ts';
import type { CliContext } from './context.ts';
import { hasLiveRunner } from './liveRunner.ts';
import { resolveRunArg } from './resolveRunArg.ts';
import { runJson } from './toJson.ts';

/**
 * A control command (approve, cancel, retry…): resolve the run id, apply `change`, print the
 * outcome (`--json` → `{"run": …}`, otherwise one sentence), and say so when no runner is alive to
 * carry the run on.
 */
export async function changeRun(
  ctx: CliContext,
  runArg: string,
  what: string,
  change: (engine: Engine, runId: string) => Promise<RunRecord>,
): Promise<void> {
  const { heartbeatMs } = await ctx.config();
  const { run, live } = await ctx.withBaton(async ({ engine, store }) => {
    const r = await change(engine, await resolveRunArg(engine, runArg));
    return {
      run: r,
      live: isTerminalRun(r.status) || r.status === 'paused' || (await hasLiveRunner(store, heartbeatMs)),
    };
  });
  if (ctx.globals.json) {
    ctx.json({ run: runJson(run) });
    return;
  }
  if (!ctx.globals.quiet) ctx.print(`${what}; run ${run.id} is now ${run.status.replace(/_/g, ' ')}`);
  if (!live) ctx.note('note: no runner is alive; the run goes on once `baton serve` is started');
}
