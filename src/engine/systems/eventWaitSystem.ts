import { evaluateExpression } from '../../domain/expressions/index.ts';
import type { WaitRecord } from '../../domain/records.ts';
import type { EngineDeps } from '../engineDeps.ts';
import { ev } from '../events.ts';
import { buildContext } from '../planner/buildContext.ts';
import type { StoredEventRecord, StoreTx } from '../ports/store.ts';
import { finishStep } from './stepOutcomeSystem.ts';
import { eventScope, eventTypeMatches } from './triggerSystem.ts';

/** How many pending event waits one dispatch pass looks at. */
const MAX_EVENT_WAITS = 1000;

/**
 * `wait: { event, if }` steps: each dispatched event resolves the pending waits it matches (type
 * pattern, the run's workspace, and `if` over `event` plus the run's context) — the step succeeds
 * with the event as its outputs. Returns the ids of the events that resolved a wait.
 */
export async function resolveEventWaits(
  deps: EngineDeps,
  tx: StoreTx,
  events: readonly StoredEventRecord[],
): Promise<Set<number>> {
  const used = new Set<number>();
  let waits = await tx.listPendingWaits('event', MAX_EVENT_WAITS);
  if (waits.length === 0) return used;
  for (const e of events) {
    const resolved = new Set<string>();
    for (const w of waits) {
      if (!eventTypeMatches(String(w.payload.event), e.type)) continue;
      if (await matches(deps, tx, w, e)) {
        resolved.add(w.id);
        used.add(e.id);
      }
    }
    waits = waits.filter((w) => !resolved.has(w.id));
    if (waits.length === 0) break;
  }
  return used;
}

async function matches(deps: EngineDeps, tx: StoreTx, w: WaitRecord, e: StoredEventRecord): Promise<boolean> {
  const run = await tx.getRun(w.runId);
  if (!run || (e.workspaceId != null && run.workspaceId !== e.workspaceId)) return false;
  if (e.runId === run.id && !e.external) return false; // a run's own engine events never wake it
  const event = eventScope(e);
  const now = deps.clock.now();
  const condition = typeof w.payload.if === 'string' ? w.payload.if : null;
  if (condition !== null) {
    const ctx = { ...buildContext(run, await tx.listSteps(run.id), {}), event };
    let ok: unknown;
    try {
      ok = evaluateExpression(condition, ctx);
    } catch (err) {
      // a condition that cannot be evaluated for this event does not match it (recorded once per event)
      await tx.insertEvents(
        [
          ev('step.wait_condition_error', run.id, w.stepId, {
            step: w.payload.step,
            event_id: e.id,
            message: err instanceof Error ? err.message : String(err),
          }),
        ],
        now,
      );
      return false;
    }
    if (ok !== true) return false;
  }
  if (!(await tx.resolveWait(w.id, { status: 'resolved', decidedAt: now, decidedBy: `event:${e.id}` })))
    return false;
  await finishStep(deps, tx, w.stepId, {
    outcome: 'success',
    outputs: { event_id: e.id, event_type: e.type, payload: e.payload },
  });
  return true;
}
