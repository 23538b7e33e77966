import type { Command } from 'commander';
import type { CliContext } from '../context.ts';
import { changeRun } from '../changeRun.ts';

export function registerPauseCommand(program: Command, ctx: CliContext): void {
  program
    .command('pause')
    .description('pause a run: no new step starts; running steps finish')
    .argument('<run>', 'a run id or a unique prefix of one')
    .option('--reason <text>', 'why (recorded in the run’s events)')
    .action(async (runArg: string, opts: { reason?: string }) => {
      const actor = { by: ctx.actor(), ...(opts.reason === undefined ? {} : { reason: opts.reason }) };
      await changeRun(ctx, runArg, 'pause recorded', { action: 'pause', ...actor });
    });
}
