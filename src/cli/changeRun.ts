import type { ChangedRun, RunChange } from './backend/Backend.ts';
import type { CliContext } from './context.ts';
import { normalizeRunArg } from './normalizeRunArg.ts';

/**
 * A control command (approve, cancel, retry…): apply `change` to the run named by `runArg`, print
 * the outcome (`--json` → `{"run": …}`, otherwise one sentence), and say so when no runner is alive
 * to carry the run on.
 */
export async function changeRun(
  ctx: CliContext,
  runArg: string,
  what: string | ((r: ChangedRun) => string),
  change: RunChange,
): Promise<void> {
  const ref = normalizeRunArg(runArg);
  const changed = await ctx.withBackend((b) => b.changeRun(ref, change));
  const { run, live } = changed;
  if (ctx.globals.json) {
    ctx.json({ run });
    return;
  }
  const done = typeof what === 'string' ? what : what(changed);
  if (!ctx.globals.quiet) ctx.print(`${done}; run ${run.id} is now ${run.status.replace(/_/g, ' ')}`);
  if (!live) ctx.note('note: no runner is alive; the run goes on once `baton serve` is started');
}
