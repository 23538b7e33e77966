import type { RunWatch } from '../backend/Backend.ts';

/**
 * `fn()`, tried again through the watch while following (which waits with backoff while the server
 * is away, and rethrows what is not transient or lasts too long); without a watch, one try.
 * Undefined when `signal` aborts.
 */
export async function retrying<T>(
  watch: RunWatch | null,
  signal: AbortSignal,
  fn: () => Promise<T>,
): Promise<T | undefined> {
  for (;;) {
    try {
      const r = await fn();
      watch?.ok();
      return r;
    } catch (e) {
      if (signal.aborted) return undefined;
      if (!watch) throw e;
      await watch.failed(e);
      if (signal.aborted) return undefined;
    }
  }
}
