import { InvalidArgumentError, type Command } from 'commander';
import { BatonError } from '../../domain/errors.ts';
import type { QueueSettings, RunnerRecord } from '../../domain/records.ts';
import type { CliContext } from '../context.ts';
import type { QueuePatch } from '../backend/Backend.ts';
import { formatDuration, formatTime } from '../format.ts';
import { parseBoolean } from '../options.ts';
import { registerQueueLimitCommands } from './queueLimits.ts';

export function registerQueueCommand(program: Command, ctx: CliContext): void {
  const queue = program.command('queue').description('the run queue: status, pause/resume, limits');

  queue
    .command('status', { isDefault: true })
    .description('queue settings and live runners')
    .action(async () => {
      const now = Date.now();
      const { settings, runners } = await ctx.withBackend((b) => b.queueStatus());
      if (ctx.globals.json) {
        ctx.json({ queue: settings, runners });
        return;
      }
      for (const line of statusLines(settings, runners, now)) ctx.print(line);
    });

  queue
    .command('pause')
    .description('stop admitting queued runs (running ones go on)')
    .option('--reason <text>', 'shown in `baton queue status`')
    .action(async (opts: { reason?: string }) => {
      await update(
        ctx,
        { paused: true, ...(opts.reason === undefined ? {} : { reason: opts.reason }) },
        'queue paused',
      );
    });

  queue
    .command('resume')
    .description('admit queued runs again')
    .action(async () => {
      await update(ctx, { paused: false }, 'queue resumed');
    });

  queue
    .command('set')
    .description('change queue limits')
    .option(
      '--max-concurrent <n>',
      'most runs running at once (a number, or "none" for no limit)',
      parseMaxConcurrent,
    )
    .option('--stop-on-failure <bool>', 'pause the queue when a run fails (true|false)', parseBoolean)
    .action(async (opts: { maxConcurrent?: number | 'none'; stopOnFailure?: boolean }) => {
      if (opts.maxConcurrent === undefined && opts.stopOnFailure === undefined) {
        throw new BatonError('invalid_input', 'nothing to set', {
          hint: 'give --max-concurrent <n|none> and/or --stop-on-failure <true|false>',
        });
      }
      await update(
        ctx,
        {
          ...(opts.maxConcurrent === undefined
            ? {}
            : { maxConcurrent: opts.maxConcurrent === 'none' ? null : opts.maxConcurrent }),
          ...(opts.stopOnFailure === undefined ? {} : { stopOnFailure: opts.stopOnFailure }),
        },
        'queue updated',
      );
    });

  registerQueueLimitCommands(queue, ctx);
}

async function update(ctx: CliContext, patch: QueuePatch, what: string): Promise<void> {
  const settings = await ctx.withBackend((b) => b.updateQueue(patch, ctx.actor()));
  if (ctx.globals.json) ctx.json({ queue: settings });
  else if (!ctx.globals.quiet) {
    ctx.print(what);
    for (const line of statusLines(settings, null, Date.now())) ctx.print(`  ${line}`);
  }
}

/** A number, or 'none' (commander turns a parser's null into '', so no null here). */
function parseMaxConcurrent(value: string): number | 'none' {
  const v = value.trim().toLowerCase();
  if (['none', 'unlimited', 'null', 'off'].includes(v)) return 'none';
  if (!/^\d+$/.test(v) || Number(v) < 1)
    throw new InvalidArgumentError(`"${value}" must be a positive integer or "none".`);
  return Number(v);
}

function statusLines(s: QueueSettings, runners: RunnerRecord[] | null, now: number): string[] {
  const lines = [
    `queue            ${s.paused ? `paused${s.pausedReason ? ` (${s.pausedReason})` : ''}` : 'running'}`,
    `max concurrent   ${s.maxConcurrent ?? 'no limit'}`,
    `stop on failure  ${s.stopOnFailure ? 'yes' : 'no'}`,
  ];
  if (s.updatedAt > 0) lines.push(`updated          ${formatTime(s.updatedAt)}`);
  if (runners) {
    lines.push(
      `runners          ${runners.length === 0 ? 'none alive (`baton run` runs workflows itself; start `baton serve`)' : `${runners.length} alive`}`,
    );
    for (const r of runners)
      lines.push(
        `  ${r.id}  up ${formatDuration(now - r.startedAt)}, heartbeat ${formatDuration(now - r.heartbeatAt)} ago`,
      );
  }
  return lines;
}
