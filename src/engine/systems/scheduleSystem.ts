import { Cron } from 'croner';
import type { ScheduleRecord, WorkflowRecord } from '../../domain/records.ts';
import type { EngineDeps } from '../engineDeps.ts';
import type { StoreTx } from '../ports/store.ts';
import { createRunInTx } from './runSystem.ts';

export function nextSlot(cron: string, timezone: string, after: number): number | null {
  const next = new Cron(cron, { timezone, paused: true }).nextRun(new Date(after));
  return next ? next.getTime() : null;
}

/** Mirrors a workflow's `schedule` triggers into the schedules table (ids `<workflow>#<index>`). */
export async function syncSchedules(deps: EngineDeps, tx: StoreTx, w: WorkflowRecord): Promise<void> {
  const now = deps.clock.now();
  const keep: string[] = [];
  for (const [i, t] of w.definition.triggers.entries()) {
    if (t.type !== 'schedule') continue;
    const nextAt = nextSlot(t.cron, t.timezone, now);
    if (nextAt === null) continue;
    const id = `${w.name}#${i}`;
    keep.push(id);
    await tx.upsertSchedule({
      id,
      workflowName: w.name,
      cron: t.cron,
      timezone: t.timezone,
      inputs: t.inputs,
      nextAt,
      lastSlot: null,
      enabled: true,
      updatedAt: now,
    });
  }
  await tx.deleteSchedulesExcept(w.name, keep);
}

/**
 * Starts the runs of due cron slots. Each slot is deduplicated twice: the compare-and-set on
 * `next_at` (one replica moves it) and the run's idempotency key `schedule:<id>:<slot>`. Missed
 * slots are not replayed one by one: the latest due slot runs once and the schedule moves on.
 */
export async function fireDueSchedules(deps: EngineDeps, tx: StoreTx, limit = 20): Promise<number> {
  const now = deps.clock.now();
  let started = 0;
  for (const s of await tx.listDueSchedules(now, limit)) {
    const slot = latestDueSlot(s, now);
    const nextAt = nextSlot(s.cron, s.timezone, now) ?? Number.MAX_SAFE_INTEGER;
    if (!(await tx.advanceSchedule(s.id, s.nextAt, nextAt, slot))) continue;
    const workflow = await tx.getWorkflow(s.workflowName);
    if (!workflow) continue;
    const { created } = await createRunInTx(deps, tx, {
      workflow,
      inputs: s.inputs,
      trigger: 'schedule',
      createdBy: `schedule:${s.id}`,
      idempotencyKey: `schedule:${s.id}:${new Date(slot).toISOString()}`,
    });
    if (created) started++;
  }
  return started;
}

function latestDueSlot(s: ScheduleRecord, now: number): number {
  let slot = s.nextAt;
  for (let i = 0; i < 1000; i++) {
    const n = nextSlot(s.cron, s.timezone, slot);
    if (n === null || n > now) break;
    slot = n;
  }
  return slot;
}
