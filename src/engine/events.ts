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
  /** a `wait: { event, if }` condition failed to evaluate for an event (the event did not match) */
  | 'step.wait_condition_error'
  /** an agent step turned away by a full concurrency pool (once per wait; see agentPools.ts) */
  | 'step.waiting_for_slot'
  | 'step.awaiting_approval'
  | 'step.children_started'
  | 'approval.decided'
  | 'queue.updated'
  | 'event.dispatched'
  | 'workflow.registered'
  /** the issue tree (issueTreeSystem.ts): the run's events when the tree belongs to a run */
  | 'issue.created'
  | 'issue.updated'
  | 'issue.completed'
  | 'issue.reopened'
  | 'issue.reordered';

export function ev(
  type: EventType,
  runId: string | null,
  stepId: string | null,
  payload: Record<string, unknown> = {},
): NewEvent {
  return { type, runId, stepId, payload };
}
