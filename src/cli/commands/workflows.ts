import type { Command } from 'commander';
import type { CliContext } from '../context.ts';
import { formatTable, formatTime } from '../format.ts';

export function registerWorkflowsCommand(program: Command, ctx: CliContext): void {
  const workflows = program.command('workflows').description('registered workflows');
  workflows
    .command('ls', { isDefault: true })
    .alias('list')
    .description('list registered workflows')
    .action(async () => {
      const json = ctx.globals.json;
      const list = await ctx.withBackend((b) => b.listWorkflows({ withInputs: json }));
      if (json) {
        ctx.json({ workflows: list });
        return;
      }
      if (list.length === 0) {
        ctx.note(
          'no workflows registered (start `baton serve --examples`, add .baton/workflows/*.yaml, or `baton run ./file.yaml`)',
        );
        return;
      }
      const rows = list.map((w) => [
        w.name,
        `v${w.version}`,
        String(w.steps),
        w.origin,
        formatTime(w.updatedAt),
        w.description ?? w.sourcePath ?? '',
      ]);
      for (const line of formatTable(['NAME', 'VERSION', 'STEPS', 'ORIGIN', 'UPDATED', 'DESCRIPTION'], rows))
        ctx.print(line);
    });
}
