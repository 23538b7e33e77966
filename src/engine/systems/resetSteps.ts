import type { RunRecord, StepRecord } from '../../domain/records.ts';
import type { EngineDeps } from '../engineDeps.ts';
import { ev } from '../events.ts';
import type { StoreTx } from '../ports/store.ts';

/** `from` and every step downstream of it (transitively through `needs`). */
export function downstreamOf(run: RunRecord, from: string): Set<string> {
  const out = new Set([from]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const s of run.definition.steps) {
      if (!out.has(s.id) && s.needs.some((n) => out.has(n))) {
        out.add(s.id);
        grew = true;
      }
    }
  }
  return out;
}

/**
 * Re-opens `from` and everything downstream of it as pending (a new iteration): used by `on:`
 * loop-back routing and by a manual retry. Pending waits of those steps are cancelled.
 */
export async function resetSteps(
  deps: EngineDeps,
  tx: StoreTx,
  run: RunRecord,
  steps: StepRecord[],
  from: string,
  why: 'route' | 'retry',
  only?: (s: StepRecord) => boolean,
): Promise<string[]> {
  const now = deps.clock.now();
  const keys = downstreamOf(run, from);
  const reset: string[] = [];
  for (const s of steps) {
    if (!keys.has(s.stepKey) || (only && !only(s))) continue;
    if (s.status === 'running' && s.leaseOwner) continue; // never yank a leased step from its runner
    const wait = await tx.getPendingWait(s.id);
    if (wait)
      await tx.resolveWait(wait.id, {
        status: 'cancelled',
        decidedAt: now,
        decidedBy: 'engine',
        comment: `reset by ${why}`,
      });
    await tx.updateStep(s.id, {
      status: 'pending',
      iteration: s.iteration + 1,
      failures: 0,
      outcome: null,
      outputs: null,
      error: null,
      spec: null,
      forced: false,
      leaseOwner: null,
      leaseExpiresAt: null,
      startedAt: null,
      finishedAt: null,
      availableAt: now,
      updatedAt: now,
    });
    reset.push(s.stepKey);
  }
  if (reset.length) await tx.insertEvents([ev('step.reset', run.id, null, { steps: reset, why })], now);
  return reset;
}
