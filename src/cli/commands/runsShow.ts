import type { Command } from 'commander';
import type { RunDetailsView } from '../backend/runView.ts';
import type { CliContext } from '../context.ts';
import { elapsed, formatTable, formatTime, formatValue } from '../format.ts';
import { approveHint } from '../follow/stepLine.ts';
import { normalizeRunArg } from '../normalizeRunArg.ts';

export function registerRunsShowCommand(runs: Command, ctx: CliContext): void {
  runs
    .command('show')
    .description('a run: header, inputs, outputs, error, steps and pending approvals')
    .argument('<run>', 'a run id or a unique prefix of one')
    .action(async (runArg: string) => {
      const ref = normalizeRunArg(runArg);
      const d = await ctx.withBackend((b) => b.getRun(ref));
      if (ctx.globals.json) ctx.json(d);
      else for (const line of showLines(d)) ctx.print(line);
    });
}

export function showLines(d: RunDetailsView, now = Date.now()): string[] {
  const { run } = d;
  const out: string[] = [];
  const field = (k: string, v: string) => out.push(`${k.padEnd(9)}${v}`);
  field('run', `${run.id}  (workflow ${run.workflowName} v${run.workflowVersion})`);
  field('status', run.status.replace(/_/g, ' '));
  field('trigger', `${run.trigger}${run.createdBy ? ` by ${run.createdBy}` : ''}`);
  field('created', formatTime(run.createdAt));
  if (run.startedAt !== null) field('started', formatTime(run.startedAt));
  if (run.finishedAt !== null) field('finished', formatTime(run.finishedAt));
  if (run.startedAt !== null) field('duration', elapsed(run.startedAt, run.finishedAt, now));
  if (run.dryRun) field('dry run', 'yes');
  if (run.priority !== 0) field('priority', String(run.priority));
  if (run.idempotencyKey) field('key', run.idempotencyKey);
  if (run.parentRunId) field('parent', run.parentRunId);

  const section = (title: string, values: Record<string, unknown> | null) => {
    const entries = Object.entries(values ?? {});
    if (entries.length === 0) return;
    out.push('', title);
    for (const [k, v] of entries) out.push(`  ${k}: ${formatValue(v)}`);
  };
  section('inputs', run.inputs);
  section('outputs', run.outputs);
  if (run.error) out.push('', 'error', `  ${run.error.code}: ${run.error.message}`);

  const steps = [...d.steps].sort((a, b) => a.position - b.position);
  if (steps.length) {
    out.push('', 'steps');
    const table = formatTable(
      ['STEP', 'KIND', 'STATUS', 'ATTEMPTS', 'DURATION', 'OUTCOME'],
      steps.map((s) => [
        s.stepKey,
        s.kind,
        `${s.status.replace(/_/g, ' ')}${s.forced ? ' (forced)' : ''}`,
        String(s.attempt),
        elapsed(s.startedAt, s.finishedAt, now),
        s.outcome ?? '',
      ]),
    );
    out.push(`  ${table[0] ?? ''}`);
    steps.forEach((s, i) => {
      out.push(`  ${table[i + 1] ?? ''}`);
      if (s.error) out.push(`      error: ${s.error.message}`);
      for (const [k, v] of Object.entries(s.outputs ?? {})) out.push(`      ${k}=${formatValue(v)}`);
    });
  }

  const pending = d.waits.filter((w) => w.kind === 'approval' && w.status === 'pending');
  if (pending.length) {
    out.push('', 'pending approvals');
    for (const w of pending) {
      const step = d.steps.find((s) => s.id === w.stepId);
      const key = step?.stepKey ?? w.stepId;
      const message = typeof w.payload.message === 'string' ? w.payload.message : '';
      out.push(`  ${key}${message ? `: ${message}` : ''}`);
      out.push(`    approve: ${approveHint(run.id, key)}    reject: baton reject ${run.id} ${key}`);
      if (w.dueAt !== null) out.push(`    times out ${formatTime(w.dueAt)}`);
    }
  }
  const decided = d.waits.filter((w) => w.kind === 'approval' && w.status !== 'pending' && w.decidedBy);
  if (decided.length) {
    out.push('', 'approvals');
    for (const w of decided) {
      const key = d.steps.find((s) => s.id === w.stepId)?.stepKey ?? w.stepId;
      out.push(
        `  ${key}: ${w.status} by ${w.decidedBy ?? '?'} at ${formatTime(w.decidedAt)}${w.comment ? ` — ${w.comment}` : ''}`,
      );
    }
  }
  return out;
}
