import type { ApiDeps } from '../api/apiDeps.ts';
import { uuidv7 } from '../domain/ids.ts';
import type { Logger } from '../engine/engineDeps.ts';
import type { EventRecord, Store, StepRecord, WaitRecord } from '../engine/ports/store.ts';
import { createLedgerNotifier, type LedgerNotifier, type LedgerNotifierOptions } from './ledgerNotifier.ts';
import type { LedgerStore } from './ledgerStore.ts';
import type { LedgerTask } from './ledgerTypes.ts';
import { openLedgerStore } from './openLedgerStore.ts';
import { stepToTask } from './stepToTask.ts';

export const PROJECTOR_CURSOR = 'steps';

export interface LedgerProjectorOptions {
  store: Pick<Store, 'listEvents' | 'getRun' | 'listSteps' | 'listWaits'>;
  ledger: LedgerStore;
  logger: Logger;
  notifier?: LedgerNotifier;
  /** events per batch (default 500) */
  batch?: number;
  now?: () => number;
}

class CursorMoved extends Error {}

/** Step and approval events touch the ledger; the rest of the outbox only moves the cursor. */
const touchesSteps = (e: EventRecord) => e.type.startsWith('step.') || e.type.startsWith('approval.');

/**
 * Follows the events outbox and keeps one ledger row per Baton step. Each batch is projected from
 * the steps' current state, so replaying a batch changes nothing (no duplicate row, no second
 * notification); the cursor moves only after the rows are written (compare-and-set, in the same
 * transaction on PostgreSQL): a restart neither loses nor repeats, and two replicas do not both
 * apply a batch. Returns how many events were consumed.
 */
export function createLedgerProjector(o: LedgerProjectorOptions): { runOnce(): Promise<number> } {
  const batch = o.batch ?? 500;
  const now = o.now ?? Date.now;

  async function runOnce(): Promise<number> {
    for (;;) {
      const from = await o.ledger.getCursor(PROJECTOR_CURSOR);
      const events = await o.store.listEvents(from, batch);
      const last = events.at(-1);
      if (!last) return 0;
      // run → steps touched ('all' when an event names steps by key only, like step.reset)
      const touched = new Map<string, Set<string> | 'all'>();
      for (const e of events) {
        if (!e.runId || !touchesSteps(e)) continue;
        const cur = touched.get(e.runId) ?? new Set<string>();
        if (cur === 'all') continue;
        if (e.stepId) cur.add(e.stepId);
        touched.set(e.runId, e.stepId ? cur : 'all');
      }
      // read Baton's state first: the ledger transaction then holds only ledger queries
      const work: Array<{
        run: NonNullable<Awaited<ReturnType<Store['getRun']>>>;
        step: StepRecord;
        wait?: WaitRecord;
        tail: Buffer[];
      }> = [];
      for (const [runId, which] of touched) {
        const run = await o.store.getRun(runId);
        if (!run) continue;
        const steps = (await o.store.listSteps(runId)).filter((s) => which === 'all' || which.has(s.id));
        const waits = steps.some((s) => s.kind === 'approval') ? await o.store.listWaits(runId) : [];
        for (const step of steps) {
          const wait = waits.filter((w) => w.stepId === step.id && w.kind === 'approval').at(-1);
          const final = ['succeeded', 'failed', 'cancelled'].includes(step.status);
          const tail = final && step.kind === 'run' ? await o.ledger.readLogTail(step.id, 32) : [];
          work.push({ run, step, tail, ...(wait ? { wait } : {}) });
        }
      }
      const t = now();
      try {
        const entered = await o.ledger.transaction(async (tx) => {
          const existing = new Map(
            (await tx.getTasksByStepIds(work.map((w) => w.step.id))).map((r) => [r.stepId, r] as const),
          );
          const ids: string[] = [];
          const entering: LedgerTask[] = [];
          const others: LedgerTask[] = [];
          for (const w of work) {
            const prev = existing.get(w.step.id);
            if (!prev && w.step.status === 'pending') continue; // not queued yet: no row
            const row = stepToTask({
              run: w.run,
              step: w.step,
              wait: w.wait,
              existing: prev,
              logTail: w.tail,
              id: uuidv7(t),
              now: t,
            });
            if (row.status === 'awaiting_approval' && prev?.status !== 'awaiting_approval') {
              row.webhookNotifiedAt = null;
              row.webhookError = null;
              entering.push(row);
              ids.push(row.id);
            } else {
              others.push(row);
            }
          }
          for (let i = 0; i < others.length; i += 200)
            await tx.upsertStepTasks(others.slice(i, i + 200), false);
          for (let i = 0; i < entering.length; i += 200)
            await tx.upsertStepTasks(entering.slice(i, i + 200), true);
          if (!(await tx.advanceCursor(PROJECTOR_CURSOR, from, last.id, t))) throw new CursorMoved();
          return ids;
        });
        for (const id of entered) o.notifier?.notify(id);
        return events.length;
      } catch (e) {
        if (e instanceof CursorMoved) continue; // another replica applied it: read again
        throw e;
      }
    }
  }

  return { runOnce };
}

export type LedgerProjectorDeps = ApiDeps & {
  pollMs?: number;
  /** the ledger's store (default: its own connection opened from `config`) */
  ledger?: LedgerStore;
  /** notifier tuning (tests) */
  notify?: Partial<Omit<LedgerNotifierOptions, 'ledger' | 'config' | 'logger'>>;
};

/**
 * `baton serve`: projects Baton's steps into the ledger and sends the approval notifications that
 * are owed (also those left over by a previous process). Polls every `pollMs` (default 500 ms);
 * `stop()` ends the loop, aborts in-flight notifications and closes what it opened.
 */
export function startLedgerProjector(deps: LedgerProjectorDeps): { stop(): Promise<void> } {
  const ledger =
    deps.ledger ?? openLedgerStore({ databaseUrl: deps.config.databaseUrl, dataDir: deps.config.dataDir });
  const owned = !deps.ledger;
  const notifier = createLedgerNotifier({ ledger, config: deps.config, logger: deps.logger, ...deps.notify });
  const projector = createLedgerProjector({ store: deps.store, ledger, logger: deps.logger, notifier });
  const pollMs = deps.pollMs ?? 500;
  const stopper = new AbortController();
  const onShutdown = () => stopper.abort();
  deps.shutdown.addEventListener('abort', onShutdown, { once: true });
  let failures = 0;

  const loop = (async () => {
    let sweptAt = 0;
    while (!stopper.signal.aborted) {
      let consumed = 0;
      try {
        consumed = await projector.runOnce();
        if (Date.now() - sweptAt >= Math.max(pollMs, 1_000)) {
          sweptAt = Date.now();
          void notifier
            .sweep()
            .catch((e: unknown) =>
              deps.logger.warn({ err: (e as Error).message }, 'ledger notification sweep failed'),
            );
        }
        failures = 0;
      } catch (e) {
        failures++;
        deps.logger.warn({ err: (e as Error).message, failures }, 'ledger projection failed; retrying');
      }
      if (consumed > 0 && failures === 0) continue; // catching up: no pause
      const wait = failures ? Math.min(30_000, pollMs * 2 ** Math.min(failures, 6)) : pollMs;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, wait);
        function done() {
          clearTimeout(timer);
          stopper.signal.removeEventListener('abort', done);
          resolve();
        }
        stopper.signal.addEventListener('abort', done, { once: true });
      });
    }
  })();

  return {
    async stop() {
      stopper.abort();
      deps.shutdown.removeEventListener('abort', onShutdown);
      await loop;
      await notifier.stop();
      if (owned) await ledger.close();
    },
  };
}
