/** PostgreSQL waits for locks itself: nothing to retry (the same file as the SQLite dialect's). */
export async function retryBusy<T>(fn: () => Promise<T>): Promise<T> {
  return fn();
}
