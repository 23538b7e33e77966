import type { LocalForgeStore } from './localForgeStore.ts';
import type { ForgeEvents, LocalForgeEventType } from './localForgeTypes.ts';

const BATCH = 100;

/**
 * Emits the events the store wrote with each change, oldest first, marking each one emitted after
 * `emit` resolved: at least once (a crash between the two emits it again, hence `deliveryId`).
 * One drain at a time in this process; an error stops the drain, leaving the rest pending.
 */
export class EventOutbox {
  private tail: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly store: LocalForgeStore,
    private readonly events: ForgeEvents,
    private readonly now: () => number,
    private readonly onError: (e: unknown) => void,
  ) {}

  flush(signal: AbortSignal): Promise<number> {
    const run = this.tail.then(() => this.drain(signal));
    this.tail = run.catch(() => undefined);
    return run;
  }

  /** After a change: the change stands whatever happens here, so errors are reported, not thrown. */
  async flushQuietly(signal: AbortSignal): Promise<void> {
    try {
      await this.flush(signal);
    } catch (e) {
      this.onError(e);
    }
  }

  private async drain(signal: AbortSignal): Promise<number> {
    let emitted = 0;
    for (;;) {
      const batch = await this.store.listPendingEvents(BATCH);
      for (const e of batch) {
        signal.throwIfAborted();
        const payload = { ...e.payload, deliveryId: `local-forge:${e.id}` };
        await this.events.emit(e.type as LocalForgeEventType, payload, signal);
        await this.store.markEventEmitted(e.id, this.now());
        emitted++;
      }
      if (batch.length < BATCH) return emitted;
    }
  }
}
