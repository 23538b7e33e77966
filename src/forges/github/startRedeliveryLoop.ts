import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '../../engine/engineDeps.ts';
import {
  redeliverMissed,
  type AppJwtClient,
  type DeliveryLedger,
  type RedeliverOptions,
  type RedeliverReport,
} from './redeliverMissed.ts';

/** How often the reconcile pass runs by default (`BATON_GITHUB_RECONCILE_MS`). */
export const DEFAULT_RECONCILE_MS = 10 * 60_000;

export interface RedeliveryLoopOptions extends RedeliverOptions {
  github: AppJwtClient;
  store: DeliveryLedger;
  logger: Logger;
  /** aborting it stops the loop (a pass in flight is aborted too) */
  signal: AbortSignal;
  /** between the end of one pass and the start of the next (default 10 minutes) */
  intervalMs?: number;
  /** the first pass runs at once, catching up on deliveries missed while Baton was down (default true) */
  passAtStart?: boolean;
  /** called after each pass (tests) */
  onPass?: (report: RedeliverReport | undefined, error?: unknown) => void;
}

export interface RedeliveryLoop {
  /** resolves once the loop stopped (after `signal` is aborted) */
  done: Promise<void>;
}

/**
 * The reconcile backstop of GitHub App webhooks: a `redeliverMissed` pass every `intervalMs`,
 * one at a time (the next waits for the previous to end), logged; a failed pass is logged and the
 * loop goes on. Stops when `signal` is aborted.
 */
export function startRedeliveryLoop(o: RedeliveryLoopOptions): RedeliveryLoop {
  const { signal, logger } = o;
  const interval = o.intervalMs ?? DEFAULT_RECONCILE_MS;
  const pass = async (): Promise<void> => {
    try {
      const r = await redeliverMissed(o.github, o.store, signal, o);
      const summary = {
        scanned: r.scanned,
        missed: r.missed,
        redelivered: r.redelivered.map((d) => d.guid),
        failed: r.failed.map((d) => ({ guid: d.guid, error: d.error })),
        truncated: r.truncated,
      };
      if (r.redelivered.length > 0 || r.failed.length > 0)
        logger.info(summary, 'github reconcile: asked GitHub to redeliver missed webhook deliveries');
      else logger.debug(summary, 'github reconcile: no missed webhook deliveries');
      o.onPass?.(r);
    } catch (e) {
      if (signal.aborted) return;
      logger.warn(
        { error: e instanceof Error ? e.message : String(e) },
        'github reconcile: the pass failed (retried at the next one)',
      );
      o.onPass?.(undefined, e);
    }
  };
  const run = async (): Promise<void> => {
    let first = o.passAtStart ?? true;
    while (!signal.aborted) {
      if (!first) {
        try {
          await sleep(interval, undefined, { signal });
        } catch {
          return; // aborted
        }
      }
      first = false;
      await pass();
    }
  };
  return { done: run() };
}
