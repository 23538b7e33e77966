import { BatonError, isBatonError, toErrorRecord, type ErrorCode } from '../../domain/errors.ts';
import { evaluateCondition, renderValue } from '../../domain/expressions/index.ts';
import type { WorkflowRecord } from '../../domain/records.ts';
import { githubTriggerMatches } from '../../domain/workflow/githubTriggerFilter.ts';
import type { EventTrigger, GithubTrigger, Trigger } from '../../domain/workflow/types.ts';
import type { EngineDeps } from '../engineDeps.ts';
import { ev } from '../events.ts';
import type { StoredEventRecord, StoreTx, TriggerSource } from '../ports/store.ts';
import { createRunInTx } from './runSystem.ts';
import { resolveEventWaits } from './eventWaitSystem.ts';

/**
 * Event-triggered workflows. Every external event (`POST /api/v1/events`, GitHub webhooks) and
 * every run end (`run.succeeded`, `run.failed`, `run.cancelled`) is dispatched once: matched against
 * the event and github triggers of every workflow of its workspace, one run started per trigger
 * that fires, the outcome written to the outbox as `event.dispatched`, and the event marked
 * dispatched — all in one transaction per batch. Runs carry the idempotency key `event:<id>:<workflow>#<trigger index>`,
 * so an event dispatched again (a crash, a restore) never starts a run twice.
 */

/** A chain of event-triggered runs (A ends → B starts → B ends → …) stops at this depth. */
export const MAX_TRIGGER_DEPTH = 10;

/** Baton's own events that event triggers see (the rest of the outbox is not dispatched). */
export const DISPATCHED_ENGINE_EVENTS: readonly string[] = ['run.succeeded', 'run.failed', 'run.cancelled'];

/** `*` matches every type, `pr.*` every type starting with `pr.`, anything else itself. */
export function eventTypeMatches(pattern: string, type: string): boolean {
  if (pattern === '*') return true;
  if (pattern.endsWith('.*')) return type.startsWith(pattern.slice(0, -1));
  return pattern === type;
}

export interface TriggerRef {
  workflow: string;
  /** index of the trigger in the workflow's `triggers` list */
  trigger: number;
}

/** What dispatching one event did (the payload of its `event.dispatched` event). */
export interface DispatchOutcome {
  eventId: number;
  /** runs started (`created: false`: the run an earlier dispatch of this event started) */
  runs: Array<TriggerRef & { runId: string; created: boolean }>;
  /**
   * triggers that fired but started nothing: their condition or inputs failed, or the chain is too
   * deep (workflow and trigger null: the event itself could not be dispatched)
   */
  errors: Array<{
    workflow: string | null;
    trigger: number | null;
    code: ErrorCode | 'trigger_depth_exceeded';
    message: string;
  }>;
  /** triggers that would have fired on an event of their own workflow's runs (see `allow_self`) */
  skipped: Array<TriggerRef & { reason: 'self' }>;
}

interface Subscription {
  workflow: WorkflowRecord;
  index: number;
  trigger: EventTrigger | GithubTrigger;
}

/** Where a run-end event comes from: its run, the workflows of the run and its parents, the chain depth. */
interface Lineage {
  run: TriggerSource;
  workflows: ReadonlySet<string>;
  depth: number;
}

/** The event and github triggers of every workflow, in workflow then trigger order. */
export function eventSubscriptions(workflows: readonly WorkflowRecord[]): Subscription[] {
  const subs: Subscription[] = [];
  for (const workflow of workflows) {
    workflow.definition.triggers.forEach((trigger, index) => {
      if (isEventDriven(trigger)) subs.push({ workflow, index, trigger });
    });
  }
  return subs;
}

function isEventDriven(trigger: Trigger): trigger is EventTrigger | GithubTrigger {
  switch (trigger.type) {
    case 'event':
    case 'github':
      return true;
    case 'manual':
    case 'schedule':
      return false;
  }
}

/** Whether `e` starts `trigger` (before its `if`): its type, and a github trigger's filters. */
export function triggerMatches(trigger: EventTrigger | GithubTrigger, e: StoredEventRecord): boolean {
  switch (trigger.type) {
    case 'event':
      return eventTypeMatches(trigger.eventType, e.type);
    case 'github':
      return githubTriggerMatches(trigger, e);
  }
}

/**
 * The value of `event` in a trigger's `if` and `inputs`. A run end's payload also gets the run's
 * `run_id`, `workflow`, `status` and `inputs` (next to the event's own `outputs` and `error`).
 */
export function eventScope(e: StoredEventRecord, run?: TriggerSource): Record<string, unknown> {
  const payload = run
    ? { run_id: run.id, workflow: run.workflowName, status: run.status, inputs: run.inputs, ...e.payload }
    : e.payload;
  return {
    id: e.id,
    type: e.type,
    payload,
    created_at: new Date(e.createdAt).toISOString(),
    run_id: e.runId,
    external: e.external,
  };
}

/** Claims up to `limit` undispatched events (oldest first) and dispatches them in `tx`. */
export async function dispatchEventsInTx(
  deps: EngineDeps,
  tx: StoreTx,
  limit: number,
): Promise<DispatchOutcome[]> {
  const events = await tx.claimUndispatchedEvents(limit);
  return events.length === 0 ? [] : dispatchClaimed(deps, tx, events);
}

/** Dispatches events this transaction has claimed, then marks them dispatched (a fence: all or nothing). */
export async function dispatchClaimed(
  deps: EngineDeps,
  tx: StoreTx,
  events: readonly StoredEventRecord[],
): Promise<DispatchOutcome[]> {
  const subs = eventSubscriptions(await tx.listWorkflows());
  const lineages = new Map<string, Promise<Lineage | undefined>>();
  const lineageOf = (runId: string) => {
    let found = lineages.get(runId);
    if (!found) lineages.set(runId, (found = readLineage(tx, runId)));
    return found;
  };
  const outcomes: DispatchOutcome[] = [];
  const consumed: number[] = [];
  for (const e of events) {
    const o = await dispatchEvent(deps, tx, e, subs, lineageOf);
    outcomes.push(o);
    if (o.runs.length + o.errors.length > 0) consumed.push(e.id);
    if (o.runs.length + o.errors.length + o.skipped.length > 0) await recordOutcome(deps, tx, e, o);
  }
  // waits for an event (`wait: { event }`) take what matches them too
  for (const id of await resolveEventWaits(deps, tx, events)) if (!consumed.includes(id)) consumed.push(id);
  const ids = events.map((e) => e.id);
  const marked = await tx.markEventsDispatched(ids, consumed, deps.clock.now());
  if (marked !== ids.length) {
    // another dispatcher got there first (the claim should prevent it): undo this batch
    throw new BatonError('conflict', `events ${ids.join(', ')} were dispatched concurrently`, {
      retryable: true,
    });
  }
  return outcomes;
}

const FIRED = { allSucceeded: true, anyFailed: false };

/** Errors `createRunInTx` raises before it writes anything: safe to record and go on. */
const BEFORE_WRITES: ReadonlySet<ErrorCode> = new Set([
  'invalid_input',
  'invalid_expression',
  'idempotency_mismatch',
]);

async function dispatchEvent(
  deps: EngineDeps,
  tx: StoreTx,
  e: StoredEventRecord,
  subs: readonly Subscription[],
  lineageOf: (runId: string) => Promise<Lineage | undefined>,
): Promise<DispatchOutcome> {
  const outcome: DispatchOutcome = { eventId: e.id, runs: [], errors: [], skipped: [] };
  const matching = subs.filter(
    (s) =>
      (e.workspaceId == null || s.workflow.workspaceId === e.workspaceId) && triggerMatches(s.trigger, e),
  );
  if (matching.length === 0) return outcome;
  const lineage = !e.external && e.runId !== null ? await lineageOf(e.runId) : undefined;
  const scope = { event: eventScope(e, lineage?.run) };
  const depth = (lineage?.depth ?? 0) + 1;
  for (const { workflow, index, trigger } of matching) {
    const ref: TriggerRef = { workflow: workflow.name, trigger: index };
    const fail = (err: unknown) => {
      const { code, message } = toErrorRecord(err);
      outcome.errors.push({ ...ref, code, message });
    };
    try {
      if (!evaluateCondition(trigger.if, scope, FIRED)) continue;
    } catch (err) {
      fail(err);
      continue;
    }
    if (lineage && !trigger.allowSelf && lineage.workflows.has(workflow.name)) {
      outcome.skipped.push({ ...ref, reason: 'self' });
      continue;
    }
    if (depth > MAX_TRIGGER_DEPTH) {
      outcome.errors.push({
        ...ref,
        code: 'trigger_depth_exceeded',
        message: `run ${e.runId ?? '?'} ends a chain of ${depth - 1} event-triggered runs; the limit is ${MAX_TRIGGER_DEPTH}`,
      });
      continue;
    }
    let inputs: Record<string, unknown>;
    try {
      inputs = renderValue(trigger.inputs, scope) as Record<string, unknown>;
    } catch (err) {
      fail(err);
      continue;
    }
    try {
      const { run, created } = await createRunInTx(deps, tx, {
        workflow,
        inputs,
        trigger: 'event',
        createdBy: `event:${e.id}`,
        idempotencyKey: `event:${e.id}:${workflow.name}#${index}`,
      });
      if (created) await tx.setRunTriggerDepth(run.id, depth);
      outcome.runs.push({ ...ref, runId: run.id, created });
    } catch (err) {
      if (!isBatonError(err) || !BEFORE_WRITES.has(err.code)) throw err;
      fail(err);
    }
  }
  return outcome;
}

async function readLineage(tx: StoreTx, runId: string): Promise<Lineage | undefined> {
  const run = await tx.getTriggerSource(runId);
  if (!run) return undefined;
  const workflows = new Set([run.workflowName]);
  let root = run;
  for (let hops = 0; root.parentRunId !== null && hops < 100; hops++) {
    const parent = await tx.getTriggerSource(root.parentRunId);
    if (!parent) break;
    workflows.add(parent.workflowName);
    root = parent;
  }
  return { run, workflows, depth: root.triggerDepth };
}

async function recordOutcome(
  deps: EngineDeps,
  tx: StoreTx,
  e: StoredEventRecord,
  o: DispatchOutcome,
): Promise<void> {
  await tx.insertEvents(
    [
      ev('event.dispatched', null, null, {
        event_id: e.id,
        event_type: e.type,
        runs: o.runs.map((r) => ({
          run_id: r.runId,
          workflow: r.workflow,
          trigger: r.trigger,
          created: r.created,
        })),
        errors: o.errors,
        skipped: o.skipped,
      }),
    ],
    deps.clock.now(),
  );
}

export interface TriggerDispatcherOptions {
  /** events per transaction (default 50) */
  batch?: number;
  /** transactions per `dispatch()` call (default 20) */
  maxBatches?: number;
  /** failed transactions of one event before it is recorded as failed and passed (default 5) */
  maxFailures?: number;
}

export interface TriggerDispatcher {
  /** dispatches what is pending (bounded); returns how many events were dispatched */
  dispatch(): Promise<number>;
}

/**
 * Drives `dispatchEventsInTx`. A batch whose transaction fails is retried one event per
 * transaction, so one event that cannot be dispatched (a bug, a broken workflow) does not hold back
 * the others forever: after `maxFailures` failed attempts it is recorded as failed
 * (`event.dispatched` with an `internal` error) and marked dispatched.
 */
export function createTriggerDispatcher(
  deps: EngineDeps,
  opts: TriggerDispatcherOptions = {},
): TriggerDispatcher {
  const batch = opts.batch ?? 50;
  const maxBatches = opts.maxBatches ?? 20;
  const maxFailures = opts.maxFailures ?? 5;
  const failures = new Map<number, number>();

  /** One event per transaction; returns how many were dispatched, or throws when it cannot go on. */
  async function isolate(): Promise<number> {
    let done = 0;
    for (let i = 0; i < batch; i++) {
      let current: number | undefined;
      try {
        const n = await deps.store.transaction(async (tx) => {
          const [e] = await tx.claimUndispatchedEvents(1);
          if (!e) return 0;
          current = e.id;
          await dispatchClaimed(deps, tx, [e]);
          return 1;
        });
        if (n === 0) return done;
        if (current !== undefined) failures.delete(current);
        done++;
      } catch (err) {
        if (current === undefined) throw err;
        const count = (failures.get(current) ?? 0) + 1;
        failures.set(current, count);
        if (count < maxFailures) throw err;
        deps.logger.error(
          { err: toErrorRecord(err), event: current, attempts: count },
          'event cannot be dispatched; recording the failure and moving on',
        );
        await giveUp(current, err);
        failures.delete(current);
        done++;
      }
    }
    return done;
  }

  async function giveUp(eventId: number, err: unknown): Promise<void> {
    await deps.store.transaction(async (tx) => {
      const [e] = await tx.claimUndispatchedEvents(1);
      if (e?.id !== eventId) return; // dispatched meanwhile, or held by another dispatcher
      const { message } = toErrorRecord(err);
      const o: DispatchOutcome = {
        eventId,
        runs: [],
        errors: [{ workflow: null, trigger: null, code: 'internal', message }],
        skipped: [],
      };
      await recordOutcome(deps, tx, e, o);
      await tx.markEventsDispatched([eventId], [], deps.clock.now());
    });
  }

  return {
    async dispatch() {
      if (!(await deps.store.hasUndispatchedEvents())) return 0;
      let total = 0;
      for (let i = 0; i < maxBatches; i++) {
        let n: number;
        try {
          n = (await deps.store.transaction((tx) => dispatchEventsInTx(deps, tx, batch))).length;
        } catch (err) {
          deps.logger.warn(
            { err: toErrorRecord(err) },
            'event dispatch failed; retrying one event at a time',
          );
          n = await isolate();
        }
        total += n;
        if (n < batch) break;
      }
      return total;
    },
  };
}
