import { BatonError } from './errors.ts';

export const STEP_STATUSES = [
  'pending',
  'queued',
  'running',
  'awaiting_approval',
  'succeeded',
  'failed',
  'skipped',
  'cancelled',
] as const;
export type StepStatus = (typeof STEP_STATUSES)[number];

export const TERMINAL_STEP_STATUSES: readonly StepStatus[] = ['succeeded', 'failed', 'skipped', 'cancelled'];

export function isTerminalStep(s: StepStatus): boolean {
  return TERMINAL_STEP_STATUSES.includes(s);
}

/** How a finished attempt ended; drives retries and `on:` routing. */
export const STEP_OUTCOMES = [
  'success',
  'failure',
  'timeout',
  'cancelled',
  'rejected',
  'lease_lost',
] as const;
export type StepOutcome = (typeof STEP_OUTCOMES)[number];

const STEP_TRANSITIONS: Record<StepStatus, readonly StepStatus[]> = {
  pending: ['queued', 'running', 'awaiting_approval', 'skipped', 'cancelled', 'succeeded', 'failed'],
  queued: ['running', 'cancelled', 'skipped', 'pending', 'succeeded', 'failed'],
  running: ['succeeded', 'failed', 'cancelled', 'queued', 'pending'],
  awaiting_approval: ['succeeded', 'failed', 'cancelled', 'pending'],
  // Terminal states re-open only through retry, loop-back routing or force-advance.
  succeeded: ['pending', 'queued'],
  failed: ['pending', 'queued', 'succeeded'],
  skipped: ['pending', 'queued'],
  cancelled: ['pending', 'queued', 'succeeded'],
};

export function canTransitionStep(from: StepStatus, to: StepStatus): boolean {
  return from === to || STEP_TRANSITIONS[from].includes(to);
}

export function assertStepTransition(from: StepStatus, to: StepStatus, stepId: string): void {
  if (!canTransitionStep(from, to)) {
    throw new BatonError('invalid_state', `step ${stepId} is ${from}; it cannot become ${to}`, {
      details: { stepId, from, to },
    });
  }
}
