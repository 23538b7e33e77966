import { BatonError } from '../domain/errors.ts';
import type { TaskStatus } from './ledgerTypes.ts';

/**
 * Allowed status changes through the API. Staying in the same status is always allowed;
 * `succeeded` and `skipped` are final; a failed task may be queued or run again (a retry).
 */
const NEXT: Record<TaskStatus, readonly TaskStatus[]> = {
  queued: ['running', 'awaiting_approval', 'succeeded', 'failed', 'skipped'],
  running: ['awaiting_approval', 'succeeded', 'failed', 'skipped', 'queued'],
  awaiting_approval: ['queued', 'running', 'succeeded', 'failed', 'skipped'],
  failed: ['queued', 'running'],
  succeeded: [],
  skipped: [],
};

export function canTransition(from: TaskStatus, to: TaskStatus): boolean {
  return from === to || NEXT[from].includes(to);
}

export function assertTransition(from: TaskStatus, to: TaskStatus): void {
  if (canTransition(from, to)) return;
  const allowed = NEXT[from];
  throw new BatonError('invalid_state', `status cannot change from ${from} to ${to}`, {
    field: 'status',
    hint: allowed.length
      ? `from ${from} a task may move to: ${allowed.join(', ')}`
      : `${from} is final; create a new task instead`,
    details: { from, to },
  });
}
