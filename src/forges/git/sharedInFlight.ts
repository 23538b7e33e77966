interface Entry<T> {
  promise: Promise<T>;
  waiters: number;
  controller: AbortController;
}

/**
 * Concurrent callers with the same key share one running task (one fetch per mirror). Each
 * caller's signal only detaches that caller; the task itself is aborted when every caller has
 * left. A caller arriving after the task settled starts a new one.
 */
export class SharedInFlight<T> {
  private readonly entries = new Map<string, Entry<T>>();

  /** True while a task for `key` runs. */
  has(key: string): boolean {
    return this.entries.has(key);
  }

  run(key: string, signal: AbortSignal, task: (signal: AbortSignal) => Promise<T>): Promise<T> {
    if (signal.aborted) return Promise.reject(signal.reason as Error);
    let entry = this.entries.get(key);
    if (entry === undefined) {
      const controller = new AbortController();
      const created: Entry<T> = {
        promise: Promise.resolve().then(() => task(controller.signal)),
        waiters: 0,
        controller,
      };
      entry = created;
      this.entries.set(key, created);
      const forget = () => {
        if (this.entries.get(key) === created) this.entries.delete(key);
      };
      created.promise.then(forget, forget);
    }
    const current = entry;
    current.waiters++;
    return new Promise<T>((resolve, reject) => {
      const leave = () => {
        signal.removeEventListener('abort', onAbort);
        current.waiters--;
      };
      const onAbort = () => {
        leave();
        if (current.waiters === 0) {
          if (this.entries.get(key) === current) this.entries.delete(key);
          current.controller.abort(signal.reason);
        }
        reject(signal.reason as Error);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      current.promise.then(
        (v) => {
          if (signal.aborted) return;
          leave();
          resolve(v);
        },
        (e: unknown) => {
          if (signal.aborted) return;
          leave();
          reject(e instanceof Error ? e : new Error(String(e)));
        },
      );
    });
  }
}
