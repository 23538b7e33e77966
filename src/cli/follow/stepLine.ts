import type { RunStatus } from '../../domain/runStatus.ts';
import type { StepStatus } from '../../domain/stepStatus.ts';
import type { Colors } from './colors.ts';

/** `baton approve <run> <step>`: how to decide a pending approval. */
export function approveHint(runId: string, stepKey: string): string {
  return `baton approve ${runId} ${stepKey}`;
}

export function paintStep(c: Colors, status: StepStatus | RunStatus, text: string): string {
  switch (status) {
    case 'succeeded':
      return c.green(text);
    case 'failed':
      return c.red(text);
    case 'awaiting_approval':
    case 'paused':
      return c.yellow(text);
    case 'running':
    case 'queued':
      return c.cyan(text);
    case 'pending':
    case 'skipped':
    case 'cancelled':
      return c.dim(text);
  }
}

export function statusWords(status: StepStatus | RunStatus): string {
  return status.replace(/_/g, ' ');
}
