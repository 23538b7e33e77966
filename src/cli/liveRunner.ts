import { DEFAULT_ENGINE_CONFIG } from '../engine/engineDeps.ts';
import type { RunnerRecord } from '../domain/records.ts';
import type { Store } from '../engine/ports/store.ts';

/**
 * The live runners: `runners` rows not stopped whose heartbeat is recent (within three heartbeat
 * intervals). The engine writes the runner row from its sweeper, so the interval is at least the
 * sweep period.
 */
export async function liveRunners(
  store: Pick<Store, 'listRunners'>,
  heartbeatMs: number,
  now = Date.now(),
): Promise<RunnerRecord[]> {
  const window = 3 * Math.max(heartbeatMs, DEFAULT_ENGINE_CONFIG.sweepMs);
  const runners = await store.listRunners();
  return runners.filter((r) => r.stoppedAt === null && r.heartbeatAt >= now - window);
}

/** Whether some runner is alive; when none is, `baton run` executes the run in its own process. */
export async function hasLiveRunner(
  store: Pick<Store, 'listRunners'>,
  heartbeatMs: number,
  now = Date.now(),
): Promise<boolean> {
  return (await liveRunners(store, heartbeatMs, now)).length > 0;
}
