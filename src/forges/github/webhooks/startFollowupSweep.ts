import { setTimeout as sleep } from 'node:timers/promises';
import type { FollowupDeps } from './carryOutFollowup.ts';
import { sweepFollowups } from './sweepFollowups.ts';

export interface FollowupSweep {
  /** resolves once the loop stopped (after `signal` is aborted) */
  done: Promise<void>;
}

/**
 * Every `intervalMs` (and once at start), carries out the webhook follow-ups (slash commands,
 * mirrored issues' changes) that the process which accepted their delivery did not finish — it
 * died, or the database was busy. A failed pass is logged and the loop goes on.
 */
export function startFollowupSweep(
  deps: FollowupDeps,
  signal: AbortSignal,
  o: { intervalMs?: number; graceMs?: number } = {},
): FollowupSweep {
  const run = async (): Promise<void> => {
    while (!signal.aborted) {
      try {
        const n = await sweepFollowups(deps, o.graceMs);
        if (n > 0) deps.logger.info({ taken: n }, 'github follow-ups taken over');
      } catch (e) {
        if (signal.aborted) return;
        deps.logger.warn(
          { error: e instanceof Error ? e.message : String(e) },
          'github follow-up sweep failed',
        );
      }
      try {
        await sleep(o.intervalMs ?? 30_000, undefined, { signal });
      } catch {
        return; // aborted
      }
    }
  };
  return { done: run() };
}
