const BUSY_DEADLINE_MS = 30_000;

/**
 * Retries `fn` on SQLITE_BUSY with a short jittered async sleep (for a second connection to the
 * file, opened with `busy_timeout = 0`: a blocking busy wait would stall the event loop while the
 * engine's connection, in the same process, holds the write lock across an await).
 */
export async function retryBusy<T>(fn: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + BUSY_DEADLINE_MS;
  for (let i = 0; ; i++) {
    try {
      return await fn();
    } catch (e) {
      const code = (e as { code?: unknown }).code;
      if (typeof code !== 'string' || !code.startsWith('SQLITE_BUSY') || Date.now() > deadline) throw e;
      await new Promise((r) => setTimeout(r, Math.min(50, 1 + i * 2) * (0.5 + Math.random())));
    }
  }
}
