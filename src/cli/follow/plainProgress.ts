import type { RunDetailsView } from '../backend/runView.ts';
import type { RunStatus } from '../../domain/runStatus.ts';
import type { StepStatus } from '../../domain/stepStatus.ts';
import { elapsed, formatTime } from '../format.ts';
import type { Out, ProgressView } from './progressView.ts';
import { approveHint, statusWords } from './stepLine.ts';

/** Not on a terminal: one plain line per status change (logs and CI output stay readable). */
export class PlainProgress implements ProgressView {
  private runStatus: RunStatus | null = null;
  private readonly steps = new Map<string, { status: StepStatus; attempt: number }>();

  constructor(
    private readonly out: Out,
    private readonly now: () => number = Date.now,
  ) {}

  update(d: RunDetailsView): void {
    const t = formatTime(this.now()).slice(11);
    const run = d.run;
    const lines: string[] = [];
    const runLine = run.status === this.runStatus ? null : `${t} run ${run.id}: ${statusWords(run.status)}`;
    this.runStatus = run.status;
    // the run's line comes before its steps' when it is queued or starts, after them otherwise
    const runFirst = run.status === 'queued' || run.status === 'running';
    if (runLine && runFirst) lines.push(runLine);
    const steps = [...d.steps].sort((a, b) => a.position - b.position);
    for (const s of steps) {
      const prev = this.steps.get(s.id);
      if (prev && prev.status === s.status && prev.attempt === s.attempt) continue;
      this.steps.set(s.id, { status: s.status, attempt: s.attempt });
      if (!prev && s.status === 'pending') continue;
      let extra = '';
      switch (s.status) {
        case 'running':
          extra = s.attempt > 0 ? ` (attempt ${s.attempt})` : '';
          break;
        case 'succeeded':
        case 'failed':
        case 'cancelled':
          extra = s.startedAt === null ? '' : ` in ${elapsed(s.startedAt, s.finishedAt)}`;
          if (s.status === 'failed' && s.error) extra += `: ${s.error.message.split('\n')[0] ?? ''}`;
          break;
        case 'awaiting_approval':
          extra = `: ${approveHint(run.id, s.stepKey)}`;
          break;
        case 'pending':
        case 'queued':
        case 'skipped':
          break;
      }
      lines.push(`${t} ${s.stepKey}: ${statusWords(s.status)}${extra}`);
    }
    if (runLine && !runFirst) lines.push(runLine);
    if (lines.length) this.out.write(`${lines.join('\n')}\n`);
  }

  close(): void {}
}
