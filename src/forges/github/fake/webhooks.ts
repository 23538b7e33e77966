import { createHmac, randomUUID } from 'node:crypto';
import { sign } from '@octokit/webhooks-methods';

export interface WebhookTarget {
  url: string;
  /** signs with `X-Hub-Signature-256` (and the legacy sha1 `X-Hub-Signature`) when set */
  secret?: string;
  /** only these events (all when absent) */
  events?: string[];
}

export interface Delivery {
  /** `X-GitHub-Delivery` */
  id: string;
  event: string;
  action?: string;
  url: string;
  headers: Record<string, string>;
  /** the exact bytes sent */
  body: string;
  payload: unknown;
  /** the receiver's HTTP status (0: unreachable or timed out) */
  status: number;
  /** the numeric id of `GET /app/hook/deliveries` (set when recorded) */
  hookDeliveryId?: number;
  /** when it was sent (ms) */
  deliveredAt: number;
  /** a `POST /app/hook/deliveries/{id}/attempts` re-send of an earlier delivery */
  redelivery: boolean;
  /** where it went (a redelivery goes there again when no webhook is configured) */
  target: WebhookTarget;
}

export interface DeliverOptions {
  hookId?: number;
  /** `X-GitHub-Hook-Installation-Target-*` (default: a repository hook) */
  target?: { type: 'repository' | 'integration'; id: number };
  timeoutMs?: number;
  /** aborts the request (the fake's close) */
  signal?: AbortSignal;
  /** a redelivery: the same `X-GitHub-Delivery` as the original */
  redeliveryOf?: string;
}

/** POSTs one delivery the way GitHub's hookshot does and reports what the receiver answered. */
export async function sendDelivery(
  event: string,
  payload: unknown,
  to: WebhookTarget,
  o: DeliverOptions = {},
): Promise<Delivery> {
  const body = JSON.stringify(payload);
  const id = o.redeliveryOf ?? randomUUID();
  const deliveredAt = Date.now();
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'user-agent': 'GitHub-Hookshot/baton-fake',
    'x-github-event': event,
    'x-github-delivery': id,
    'x-github-hook-id': String(o.hookId ?? 1),
    'x-github-hook-installation-target-type': o.target?.type ?? 'repository',
    'x-github-hook-installation-target-id': String(o.target?.id ?? 0),
  };
  if (to.secret !== undefined) {
    headers['x-hub-signature'] = `sha1=${createHmac('sha1', to.secret).update(body).digest('hex')}`;
    headers['x-hub-signature-256'] = await sign(to.secret, body);
  }
  const action =
    typeof payload === 'object' &&
    payload !== null &&
    'action' in payload &&
    typeof payload.action === 'string'
      ? payload.action
      : undefined;
  let status = 0;
  try {
    const res = await fetch(to.url, {
      method: 'POST',
      headers,
      body,
      signal: AbortSignal.any([AbortSignal.timeout(o.timeoutMs ?? 10_000), ...(o.signal ? [o.signal] : [])]),
    });
    status = res.status;
    await res.arrayBuffer().catch(() => undefined);
  } catch {
    status = 0;
  }
  return {
    id,
    event,
    ...(action ? { action } : {}),
    url: to.url,
    headers,
    body,
    payload,
    status,
    deliveredAt,
    redelivery: o.redeliveryOf !== undefined,
    target: to,
  };
}
