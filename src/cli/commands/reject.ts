import type { Command } from 'commander';
import type { CliContext } from '../context.ts';
import { changeRun } from '../changeRun.ts';

export function registerRejectCommand(program: Command, ctx: CliContext): void {
  program
    .command('reject')
    .description('reject a step awaiting approval')
    .argument('<run>', 'a run id or a unique prefix of one')
    .argument('<step>', 'the approval step')
    .option('--comment <text>', 'why (recorded with the decision)')
    .option('--by <name>', 'who rejects (default: $USER)')
    .action(async (runArg: string, step: string, opts: { comment?: string; by?: string }) => {
      const by = opts.by ?? ctx.actor();
      const decision = { by, ...(opts.comment === undefined ? {} : { comment: opts.comment }) };
      await changeRun(ctx, runArg, (r) => `rejected step ${step} (by ${r.decidedBy ?? by})`, {
        action: 'reject',
        step,
        ...decision,
      });
    });
}
