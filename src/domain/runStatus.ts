import { BatonError } from './errors.ts';

export const RUN_STATUSES = [
  'queued',
  'running',
  'awaiting_approval',
  'paused',
  'succeeded',
  'failed',
  'cancelled',
] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

export const TERMINAL_RUN_STATUSES: readonly RunStatus[] = ['succeeded', 'failed', 'cancelled'];
/** Statuses in which a run's steps may be claimed by runners. */
export const ACTIVE_RUN_STATUSES: readonly RunStatus[] = ['running', 'awaiting_approval'];

export function isTerminalRun(s: RunStatus): boolean {
  return TERMINAL_RUN_STATUSES.includes(s);
}

const RUN_TRANSITIONS: Record<RunStatus, readonly RunStatus[]> = {
  queued: ['running', 'paused', 'cancelled', 'failed', 'succeeded'],
  running: ['awaiting_approval', 'paused', 'succeeded', 'failed', 'cancelled'],
  awaiting_approval: ['running', 'paused', 'succeeded', 'failed', 'cancelled'],
  paused: ['queued', 'running', 'awaiting_approval', 'cancelled', 'failed', 'succeeded'],
  // A failed run can be resumed by retrying one of its steps; a cancelled one too.
  failed: ['running'],
  cancelled: ['running'],
  succeeded: [],
};

export function canTransitionRun(from: RunStatus, to: RunStatus): boolean {
  return from === to || RUN_TRANSITIONS[from].includes(to);
}

export function assertRunTransition(from: RunStatus, to: RunStatus, runId: string): void {
  if (!canTransitionRun(from, to)) {
    throw new BatonError('invalid_state', `run ${runId} is ${from}; it cannot become ${to}`, {
      details: { runId, from, to },
    });
  }
}
