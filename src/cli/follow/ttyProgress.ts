import type { RunDetailsView } from '../backend/runView.ts';
import { isTerminalRun } from '../../domain/runStatus.ts';
import { elapsed, runSymbol, stepSymbol } from '../format.ts';
import type { Colors } from './colors.ts';
import type { LogTail } from './logTail.ts';
import type { Out, ProgressView } from './progressView.ts';
import { approveHint, paintStep, statusWords } from './stepLine.ts';

const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
const LOG_LINES = 6;

const ESC = '\x1b[';
const HIDE_CURSOR = `${ESC}?25l`;
const SHOW_CURSOR = `${ESC}?25h`;
const CLEAR_DOWN = `${ESC}J`;

/**
 * The live block on a terminal: a header, one line per step (symbol or spinner, id, status,
 * attempt, duration, the approval command for a pending approval) and the newest log lines of
 * running steps. Redrawn in place with ANSI cursor movement; lines are cut to the terminal width
 * so the block's height is known.
 */
export class TtyProgress implements ProgressView {
  private drawn = 0;
  private frame = 0;
  private closed = false;

  constructor(
    private readonly out: Out,
    private readonly c: Colors,
    private readonly columns: () => number,
    /** how commands shown in the block name the run (a unique prefix keeps lines short) */
    private readonly runRef: (id: string) => string = (id) => id,
  ) {}

  update(d: RunDetailsView, tail: LogTail | null): void {
    if (this.closed) return;
    this.frame++;
    this.draw(this.render(d, tail, !isTerminalRun(d.run.status)));
  }

  close(d: RunDetailsView | null): void {
    if (this.closed) return;
    if (d) this.draw(this.render(d, null, false));
    this.closed = true;
    this.out.write(SHOW_CURSOR);
  }

  private draw(lines: string[]): void {
    const up = this.drawn > 0 ? `${ESC}${this.drawn}F` : HIDE_CURSOR;
    this.out.write(`${up}${CLEAR_DOWN}${lines.join('\n')}\n`);
    this.drawn = lines.length;
  }

  private render(d: RunDetailsView, tail: LogTail | null, live: boolean): string[] {
    const { c } = this;
    const width = Math.max(20, this.columns() - 1);
    const fit = (s: string, w = width) => (s.length > w ? `${s.slice(0, Math.max(0, w - 1))}…` : s);
    const run = d.run;
    const spin = SPINNER[this.frame % SPINNER.length] ?? '*';
    const header = `${run.workflowName} ${run.id}  ${statusWords(run.status)}  ${elapsed(run.startedAt ?? run.createdAt, run.finishedAt)}`;
    const lines = [`${paintStep(c, run.status, runSymbol(run.status))} ${c.bold(fit(header, width - 2))}`];
    const keyWidth = Math.min(32, Math.max(4, ...d.steps.map((s) => s.stepKey.length)));
    const steps = [...d.steps].sort((a, b) => a.position - b.position);
    for (const s of steps) {
      const sym = s.status === 'running' && live ? spin : stepSymbol(s.status);
      const parts = [
        s.stepKey.padEnd(keyWidth),
        statusWords(s.status).padEnd(17),
        s.attempt > 0 ? `#${s.attempt}`.padEnd(3) : '   ',
      ];
      parts.push(elapsed(s.startedAt, s.finishedAt).padStart(7));
      if (s.status === 'awaiting_approval') parts.push(`→ ${approveHint(this.runRef(run.id), s.stepKey)}`);
      else if (s.status === 'failed' && s.error) parts.push(s.error.message.split('\n')[0] ?? '');
      lines.push(`  ${paintStep(c, s.status, sym)} ${fit(parts.join('  ').trimEnd(), width - 4)}`);
    }
    if (tail && live) {
      const running = new Set(steps.filter((s) => s.status === 'running').map((s) => s.stepKey));
      for (const l of tail.newest(running, LOG_LINES)) {
        lines.push(c.dim(fit(`    │ ${l.stepKey}: ${l.text}`)));
      }
    }
    return lines;
  }
}
