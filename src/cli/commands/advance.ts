import type { Command } from 'commander';
import type { CliContext } from '../context.ts';
import { changeRun } from '../changeRun.ts';

export function registerAdvanceCommand(program: Command, ctx: CliContext): void {
  program
    .command('advance')
    .description('force-advance: settle a blocked step (approval, timer, failed step) as succeeded')
    .argument('<run>', 'a run id or a unique prefix of one')
    .argument('[step]', 'the blocked step (default: every blocked step)')
    .option('--reason <text>', 'why (recorded in the run’s events)')
    .action(async (runArg: string, step: string | undefined, opts: { reason?: string }) => {
      const actor = { by: ctx.actor(), ...(opts.reason === undefined ? {} : { reason: opts.reason }) };
      const what = step ? `advanced step ${step}` : 'advanced the blocked steps';
      await changeRun(ctx, runArg, what, { action: 'advance', step, ...actor });
    });
}
