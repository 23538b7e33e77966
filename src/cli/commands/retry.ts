import type { Command } from 'commander';
import type { CliContext } from '../context.ts';
import { changeRun } from '../changeRun.ts';

export function registerRetryCommand(program: Command, ctx: CliContext): void {
  program
    .command('retry')
    .description('run a failed, cancelled or skipped step again (and the steps it blocked)')
    .argument('<run>', 'a run id or a unique prefix of one')
    .argument('<step>', 'the step to retry')
    .option('--reason <text>', 'why (recorded in the run’s events)')
    .action(async (runArg: string, step: string, opts: { reason?: string }) => {
      const actor = { by: ctx.actor(), ...(opts.reason === undefined ? {} : { reason: opts.reason }) };
      await changeRun(ctx, runArg, `retrying step ${step}`, { action: 'retry', step, ...actor });
    });
}
