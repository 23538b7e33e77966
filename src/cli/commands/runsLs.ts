import type { Command } from 'commander';
import { didYouMeanSuffix } from '../../domain/didYouMean.ts';
import { BatonError } from '../../domain/errors.ts';
import { RUN_STATUSES, type RunStatus } from '../../domain/runStatus.ts';
import type { CliContext } from '../context.ts';
import { abbreviateIds, elapsed, formatTable, formatTime } from '../format.ts';
import { parsePositiveInteger } from '../options.ts';

export { decodeCursor, encodeCursor } from '../runCursor.ts';

interface LsOptions {
  status?: string[];
  workflow?: string;
  limit: number;
  cursor?: string;
}

const MAX_LIMIT = 1000;

export function registerRunsLsCommand(runs: Command, ctx: CliContext): void {
  runs
    .command('ls')
    .alias('list')
    .description('list runs, newest first')
    .option(
      '--status <status>',
      `only runs in these statuses (repeatable or comma-separated: ${RUN_STATUSES.join(', ')})`,
      collect,
      [],
    )
    .option('--workflow <name>', 'only runs of this workflow')
    .option('--limit <n>', `page size (at most ${MAX_LIMIT})`, parsePositiveInteger, 20)
    .option('--cursor <cursor>', 'the next page (the cursor printed by the previous page)')
    .action(async (opts: LsOptions) => {
      const statuses = parseStatuses(opts.status ?? []);
      if (opts.limit > MAX_LIMIT)
        throw new BatonError('invalid_input', `--limit must be at most ${MAX_LIMIT}`, { field: 'limit' });
      const { runs: page, nextCursor: next } = await ctx.withBackend((b) =>
        b.listRuns({ status: statuses, workflow: opts.workflow, limit: opts.limit, cursor: opts.cursor }),
      );
      if (ctx.globals.json) {
        ctx.json({ runs: page, next_cursor: next });
        return;
      }
      if (page.length === 0) {
        ctx.note(opts.cursor ? 'no more runs' : 'no runs');
        return;
      }
      const ids = abbreviateIds(page.map((r) => r.id));
      const table = formatTable(
        ['ID', 'WORKFLOW', 'STATUS', 'CREATED', 'DURATION', 'TRIGGER'],
        page.map((r) => [
          ids.get(r.id) ?? r.id,
          r.workflowName,
          r.status,
          formatTime(r.createdAt),
          elapsed(r.startedAt, r.finishedAt),
          r.createdBy && r.trigger === 'manual' ? `manual (${r.createdBy})` : r.trigger,
        ]),
      );
      for (const line of table) ctx.print(line);
      if (next)
        ctx.note(`more: baton runs ls --cursor ${next}${opts.limit === 20 ? '' : ` --limit ${opts.limit}`}`);
    });
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function parseStatuses(values: string[]): RunStatus[] {
  const out: RunStatus[] = [];
  for (const raw of values
    .flatMap((v) => v.split(','))
    .map((s) => s.trim())
    .filter(Boolean)) {
    if (!(RUN_STATUSES as readonly string[]).includes(raw)) {
      throw new BatonError(
        'invalid_input',
        `unknown run status "${raw}"${didYouMeanSuffix(raw, RUN_STATUSES)}`,
        {
          field: 'status',
          hint: `statuses: ${RUN_STATUSES.join(', ')}`,
        },
      );
    }
    out.push(raw as RunStatus);
  }
  return out;
}
