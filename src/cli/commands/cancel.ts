import type { Command } from 'commander';
import type { CliContext } from '../context.ts';
import { changeRun } from '../changeRun.ts';

export function registerCancelCommand(program: Command, ctx: CliContext): void {
  program
    .command('cancel')
    .description('cancel a run: pending steps are cancelled, running ones are killed')
    .argument('<run>', 'a run id or a unique prefix of one')
    .option('--reason <text>', 'why (recorded in the run’s events)')
    .action(async (runArg: string, opts: { reason?: string }) => {
      const actor = { by: ctx.actor(), ...(opts.reason === undefined ? {} : { reason: opts.reason }) };
      await changeRun(ctx, runArg, 'cancel recorded', { action: 'cancel', ...actor });
    });
}
