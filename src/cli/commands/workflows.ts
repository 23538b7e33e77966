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
      const list = await ctx.withBaton(({ engine }) => engine.listWorkflows());
      if (ctx.globals.json) {
        ctx.json({
          workflows: list.map((w) => ({
            name: w.name,
            version: w.version,
            description: w.definition.description ?? null,
            steps: w.definition.steps.length,
            inputs: w.definition.inputs,
            origin: w.origin,
            sourcePath: w.sourcePath,
            baseDir: w.baseDir,
            updatedAt: w.updatedAt,
          })),
        });
        return;
      }
      if (list.length === 0) {
        ctx.note(
          'no workflows registered (start `baton serve --examples`, add .baton/workflows/*.yaml, or `baton run ./file.yaml`)',
        );
        return;
      }
      const rows = [...list]
        .sort((a, b) => a.name.localeCompare(b.name))
        .map((w) => [
          w.name,
          `v${w.version}`,
          String(w.definition.steps.length),
          w.origin,
          formatTime(w.updatedAt),
          w.definition.description ?? w.sourcePath ?? '',
        ]);
      for (const line of formatTable(['NAME', 'VERSION', 'STEPS', 'ORIGIN', 'UPDATED', 'DESCRIPTION'], rows))
        ctx.print(line);
    });
}
