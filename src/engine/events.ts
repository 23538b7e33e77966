import type { NewEvent } from './ports/store.ts';

/** Every event type the engine writes to the outbox. */
export type EventType =
  | 'run.created'
  | 'run.started'
  | 'run.paused'
  | 'run.resumed'
  | 'run.succeeded'
  | 'run.failed'
  | 'run.cancelled'
  | 'run.status'
  | 'step.queued'
  | 'step.started'
  | 'step.succeeded'
  | 'step.failed'
  | 'step.skipped'
  | 'step.cancelled'
  | 'step.retrying'
  | 'step.rate_limited'
  | 'step.reclaimed'
  | 'step.routed'
  | 'step.reset'
  | 'step.forced'
  | 'step.waiting'
  | 'step.awaiting_approval'
  | 'step.children_started'
  | 'approval.decided'
  | 'queue.updated'
  | 'event.dispatched'
  | 'workflow.registered';

export function ev(
  type: EventType,
  runId: string | null,
  stepId: string | null,
  payload: Record<string, unknown> = {},
): NewEvent {
  return { type, runId, stepId, payload };
}
