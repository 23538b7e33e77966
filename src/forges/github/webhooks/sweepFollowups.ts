import { carryOutFollowup, type FollowupDeps } from './carryOutFollowup.ts';
import { followupOf } from './githubFollowup.ts';

/**
 * Takes over the follow-ups nobody carried out (the process died between accepting a delivery and
 * acting on it) of deliveries received `graceMs` ago or more: each is read back from the event its
 * delivery wrote and carried out. Returns how many it took up.
 */
export async function sweepFollowups(deps: FollowupDeps, graceMs = 30_000, limit = 100): Promise<number> {
  const now = (deps.now ?? Date.now)();
  const pending = await deps.store.listPendingWebhookFollowups(now, now - graceMs, limit);
  for (const p of pending) {
    const first = p.eventIds[0];
    const e = first === undefined ? undefined : await deps.store.getEvent(first);
    const f = e && p.event ? followupOf(p.event, e.payload) : { kind: 'none' as const };
    if (f.kind === 'slash' || f.kind === 'issue') await carryOutFollowup(deps, p.id, f);
    else if (await deps.store.claimWebhookFollowup(p.id, now, deps.leaseMs ?? 60_000))
      await deps.store.finishWebhookFollowup(p.id, 'failed', 'its event no longer holds a follow-up');
  }
  return pending.length;
}
