import type { Config } from '../config/configSchema.ts';
import type { Logger } from '../engine/engineDeps.ts';
import type { LedgerStore } from './ledgerStore.ts';
import type { LedgerTask } from './ledgerTypes.ts';
import { emailPayload, slackPayload } from './notificationPayloads.ts';

export interface LedgerNotifierOptions {
  ledger: LedgerStore;
  config: Pick<Config, 'slackWebhookUrl' | 'emailWebhookUrl' | 'emailTo'>;
  logger: Logger;
  /** tries per URL (default 5) */
  tries?: number;
  /** first backoff (default 500 ms), doubled per try up to `maxDelayMs` (default 10 s), with jitter */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** per request (default 5 s) */
  timeoutMs?: number;
  /** how long a sender owns a row; after that (a crash) another sender takes it (default 2 min) */
  claimMs?: number;
  /** where a human decides, when the server knows its public URL */
  approvalUrl?: (t: LedgerTask) => string | undefined;
  fetch?: typeof fetch;
  now?: () => number;
  random?: () => number;
}

export interface LedgerNotifier {
  /** false when no webhook URL is configured (rows then keep `webhook_notified_at` null) */
  readonly enabled: boolean;
  /** notify about this row in the background (at most once, whoever calls it) */
  notify(taskId: string): void;
  /** find rows still owing a notification (after a restart) and send them; resolves when done */
  sweep(limit?: number): Promise<void>;
  /** resolves when no notification is in flight */
  idle(): Promise<void>;
  /** aborts in-flight sends (their rows are given back) and waits for them */
  stop(): Promise<void>;
}

/**
 * Approval notifications of the task ledger. A row is claimed with a lease (so one sender among
 * the API, the projector and other replicas), each URL gets its POST with capped exponential
 * backoff and jitter, then `webhook_notified_at` is set — with `webhook_error` when a URL failed
 * every try. Delivery is at least once: a crash after the POST and before the row is marked
 * sends it again after the claim expires.
 */
export function createLedgerNotifier(o: LedgerNotifierOptions): LedgerNotifier {
  const tries = o.tries ?? 5;
  const baseDelayMs = o.baseDelayMs ?? 500;
  const maxDelayMs = o.maxDelayMs ?? 10_000;
  const timeoutMs = o.timeoutMs ?? 5_000;
  const claimMs = o.claimMs ?? 120_000;
  const doFetch = o.fetch ?? fetch;
  const now = o.now ?? Date.now;
  const random = o.random ?? Math.random;
  const targets = [
    ...(o.config.slackWebhookUrl ? [{ name: 'slack', url: o.config.slackWebhookUrl }] : []),
    ...(o.config.emailWebhookUrl ? [{ name: 'email', url: o.config.emailWebhookUrl }] : []),
  ];
  const stopper = new AbortController();
  const inFlight = new Map<string, Promise<void>>();

  async function sleep(ms: number): Promise<void> {
    await new Promise<void>((resolve) => {
      const t = setTimeout(done, ms);
      function done() {
        stopper.signal.removeEventListener('abort', done);
        clearTimeout(t);
        resolve();
      }
      stopper.signal.addEventListener('abort', done, { once: true });
    });
  }

  /** one URL: undefined when delivered, else the last failure */
  async function deliver(url: string, body: unknown): Promise<string | undefined> {
    let last = 'not tried';
    for (let attempt = 1; attempt <= tries; attempt++) {
      if (stopper.signal.aborted) throw stopper.signal.reason;
      let retryable = true;
      try {
        const res = await doFetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'user-agent': 'baton-ledger' },
          body: JSON.stringify(body),
          signal: AbortSignal.any([stopper.signal, AbortSignal.timeout(timeoutMs)]),
        });
        await res.body?.cancel().catch(() => undefined);
        if (res.ok) return undefined;
        last = `HTTP ${res.status}`;
        retryable = res.status >= 500 || res.status === 408 || res.status === 429;
      } catch (e) {
        if (stopper.signal.aborted) throw stopper.signal.reason;
        last =
          (e as Error).name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : (e as Error).message;
      }
      if (!retryable) return `${last} (not retried)`;
      if (attempt < tries) {
        const cap = Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1));
        await sleep(cap / 2 + (random() * cap) / 2);
      }
    }
    return `${last} after ${tries} tries`;
  }

  async function run(t: LedgerTask): Promise<void> {
    const claimedUntil = now() + claimMs;
    if (!(await o.ledger.claimNotification(t.id, now(), claimedUntil))) return;
    const approvalUrl = o.approvalUrl?.(t);
    const bodies = {
      slack: slackPayload(t, approvalUrl),
      email: emailPayload(t, approvalUrl, o.config.emailTo),
    } as const;
    try {
      const results = await Promise.all(
        targets.map(async (x) => {
          const err = await deliver(x.url, bodies[x.name as keyof typeof bodies]);
          return err === undefined ? undefined : `${x.name}: ${err}`;
        }),
      );
      const errors = results.filter((r): r is string => r !== undefined);
      const error = errors.length ? errors.join('; ') : null;
      if (error) o.logger.warn({ task: t.id, error }, 'approval notification failed');
      await o.ledger.finishNotification(t.id, claimedUntil, now(), error);
    } catch (e) {
      // stopped: give the row back so the next sender (after a restart) notifies it
      await o.ledger.finishNotification(t.id, claimedUntil, null, null).catch(() => undefined);
      if (!stopper.signal.aborted) throw e;
    }
  }

  function start(id: string, load: () => Promise<LedgerTask | undefined>): Promise<void> {
    const existing = inFlight.get(id);
    if (existing) return existing;
    const p = (async () => {
      const t = await load();
      if (t) await run(t);
    })()
      .catch((e: unknown) =>
        o.logger.error({ task: id, err: (e as Error).message }, 'approval notification crashed'),
      )
      .finally(() => inFlight.delete(id));
    inFlight.set(id, p);
    return p;
  }

  return {
    enabled: targets.length > 0,
    notify(taskId) {
      if (!targets.length || stopper.signal.aborted) return;
      void start(taskId, () => o.ledger.getTask(taskId));
    },
    async sweep(limit = 100) {
      if (!targets.length || stopper.signal.aborted) return;
      const due = await o.ledger.listNotifiable(now(), limit);
      await Promise.all(due.map((t) => start(t.id, async () => t)));
    },
    async idle() {
      while (inFlight.size) await Promise.all([...inFlight.values()]);
    },
    async stop() {
      stopper.abort(new Error('notifier stopped'));
      await this.idle();
    },
  };
}
