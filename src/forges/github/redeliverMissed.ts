import type { Store } from '../../engine/ports/store.ts';
import type { GithubClient } from './githubClient.ts';
import { toBatonError } from './githubErrors.ts';

/** What a reconcile pass needs of the GitHub client: the App's own (JWT) client. */
export type AppJwtClient = Pick<GithubClient, 'appClient'>;

/** What a reconcile pass reads of the store: the recorded deliveries of one delivery id. */
export type DeliveryLedger = Pick<Store, 'listWebhookDeliveries'>;

export interface RedeliverOptions {
  /** deliveries older than this are left alone (default 1 hour) */
  lookbackMs?: number;
  /** the most redeliveries asked for in one pass (default 20) */
  maxRedeliveries?: number;
  /** the most deliveries read from GitHub in one pass (default 1000) */
  maxScanned?: number;
  /** page size of `GET /app/hook/deliveries` (default 100) */
  perPage?: number;
  now?: () => number;
}

/** One redelivery asked for. */
export interface Redelivered {
  /** GitHub's numeric id of the attempt redelivered */
  id: number;
  /** `X-GitHub-Delivery` */
  guid: string;
  event: string;
  action: string | null;
  /** the status GitHub recorded for the attempt (0: unreachable or timed out) */
  statusCode: number;
}

export interface RedeliverReport {
  /** deliveries listed within the lookback window */
  scanned: number;
  /** distinct delivery ids Baton never accepted */
  missed: number;
  redelivered: Redelivered[];
  /** redeliveries GitHub refused (the pass goes on) */
  failed: Array<Redelivered & { error: string }>;
  /** the pass stopped at `maxRedeliveries` or `maxScanned` */
  truncated: boolean;
}

/**
 * One reconcile pass, GitHub's recommended backstop for missed App webhook deliveries: lists the
 * App's recent deliveries (`GET /app/hook/deliveries`, JWT, newest first, paged by `cursor`), keeps
 * those within `lookbackMs` whose `guid` Baton never accepted (failed ones, and any Baton has no
 * record of), and asks GitHub to redeliver each (`POST /app/hook/deliveries/{id}/attempts`) — one
 * attempt per delivery id and pass, at most `maxRedeliveries`. Deliveries Baton accepted are never
 * redelivered; a redelivery Baton then accepts is recorded under the same delivery id.
 */
export async function redeliverMissed(
  github: AppJwtClient,
  store: DeliveryLedger,
  signal: AbortSignal,
  o: RedeliverOptions = {},
): Promise<RedeliverReport> {
  const now = (o.now ?? Date.now)();
  const since = now - (o.lookbackMs ?? 3_600_000);
  const max = o.maxRedeliveries ?? 20;
  const maxScanned = o.maxScanned ?? 1000;
  const app = github.appClient();
  const report: RedeliverReport = { scanned: 0, missed: 0, redelivered: [], failed: [], truncated: false };
  const seen = new Set<string>();
  const accepted = async (guid: string): Promise<boolean> => {
    const rows = await store.listWebhookDeliveries({ source: 'github', deliveryId: guid, limit: 100 });
    return rows.some((r) => r.status === 'accepted' || r.status === 'duplicate');
  };

  const pages = app.paginate.iterator(app.rest.apps.listWebhookDeliveries, {
    per_page: o.perPage ?? 100,
    request: { signal },
  });
  try {
    outer: for await (const page of pages) {
      for (const d of page.data) {
        const at = Date.parse(d.delivered_at);
        if (Number.isFinite(at) && at < since) break outer; // newest first: the rest is older
        if (report.scanned >= maxScanned) {
          report.truncated = true;
          break outer;
        }
        report.scanned++;
        if (seen.has(d.guid)) continue; // an earlier (or later) attempt of a delivery already weighed
        seen.add(d.guid);
        if (await accepted(d.guid)) continue;
        report.missed++;
        if (report.redelivered.length + report.failed.length >= max) {
          report.truncated = true;
          break outer;
        }
        const r: Redelivered = {
          id: Number(d.id),
          guid: d.guid,
          event: d.event,
          action: d.action ?? null,
          statusCode: d.status_code,
        };
        try {
          await app.rest.apps.redeliverWebhookDelivery({ delivery_id: r.id, request: { signal } });
          report.redelivered.push(r);
        } catch (e) {
          if (signal.aborted) throw e;
          report.failed.push({ ...r, error: e instanceof Error ? e.message : String(e) });
        }
      }
    }
  } catch (e) {
    if (signal.aborted) throw e;
    throw toBatonError(e, "list the GitHub App's webhook deliveries");
  }
  return report;
}
