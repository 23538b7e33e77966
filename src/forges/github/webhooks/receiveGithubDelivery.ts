import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { NewWebhookDelivery, Store } from '../../../engine/ports/store.ts';
import { acceptDelivery, workspacesOf } from './acceptDelivery.ts';
import { followupOf } from './githubFollowup.ts';
import { decodeJsonObject } from './decodeJsonObject.ts';
import { headerValue, recordable } from './headerValue.ts';
import { routeGithubEvent } from './routeGithubEvent.ts';
import { neutralForgeEvents } from './neutralForgeEvents.ts';
import { verifyHubSignature } from './verifyHubSignature.ts';
import { rejection, type WebhookOutcome, type WebhookRejection } from './webhookOutcome.ts';

export interface ReceiveDeps {
  store: Store;
  /** the secrets a signature may be made with (at least one) */
  secrets: readonly string[];
  now: number;
}

/** A delivery as it arrived: the raw bytes (never parsed before the signature is checked) and headers. */
export interface RawDelivery {
  body: Buffer;
  headers: IncomingHttpHeaders;
}

const EVENT_NAME = /^[a-z][a-z0-9_]{0,99}$/;
const DELIVERY_ID = /^[\x21-\x7e]{1,200}$/;

export const sha256Hex = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

/**
 * One GitHub delivery: the `X-Hub-Signature-256` HMAC checked on the raw body first, then the
 * `X-GitHub-Event` and `X-GitHub-Delivery` headers, then the body (complete JSON). A refused
 * delivery is recorded with its reason and changes nothing else. A verified one is routed
 * (routeGithubEvent.ts) and written with its external events in one transaction, once per delivery
 * id: GitHub signs no timestamp, so the durable delivery id is the replay protection — a retry, a
 * redelivery or a replay however old is a `duplicate` (answered 2xx so GitHub stops, changing nothing).
 */
export async function receiveGithubDelivery(deps: ReceiveDeps, raw: RawDelivery): Promise<WebhookOutcome> {
  const deliveryId = headerValue(raw.headers, 'x-github-delivery');
  const event = headerValue(raw.headers, 'x-github-event');
  const seen: Omit<NewWebhookDelivery, 'status' | 'eventIds'> = {
    source: 'github',
    deliveryId: recordable(deliveryId),
    event: recordable(event),
    action: null,
    reason: null,
    payloadHash: sha256Hex(raw.body),
    repository: null,
    installationId: null,
    receivedAt: deps.now,
  };
  const refuse = async (r: WebhookRejection): Promise<WebhookRejection> => {
    await deps.store.insertWebhookDelivery({ ...seen, status: 'rejected', reason: r.reason, eventIds: [] });
    return r;
  };

  const sig = verifyHubSignature(raw.body, headerValue(raw.headers, 'x-hub-signature-256'), deps.secrets);
  if (!sig.ok) return refuse(rejection(401, 'X-Hub-Signature-256', sig.reason));
  if (event === undefined) return refuse(rejection(400, 'X-GitHub-Event', 'missing X-GitHub-Event header'));
  if (!EVENT_NAME.test(event)) {
    return refuse(rejection(400, 'X-GitHub-Event', 'malformed X-GitHub-Event: expected an event name'));
  }
  if (deliveryId === undefined) {
    return refuse(rejection(400, 'X-GitHub-Delivery', 'missing X-GitHub-Delivery header'));
  }
  if (!DELIVERY_ID.test(deliveryId)) {
    return refuse(
      rejection(400, 'X-GitHub-Delivery', 'malformed X-GitHub-Delivery: 1 to 200 printable characters'),
    );
  }
  const decoded = decodeJsonObject(raw.body, headerValue(raw.headers, 'content-type'));
  if (!decoded.ok) return refuse(rejection(400, 'body', decoded.reason));

  const routed = routeGithubEvent(event, deliveryId, decoded.value);
  const type = routed.type;
  // a slash command or a mirrored issue's change: recorded as pending with the delivery, carried
  // out after it (and by the sweep if the process dies first)
  const follow = followupOf(event, decoded.value);
  const followup = follow.kind === 'slash' || follow.kind === 'issue' ? follow : null;
  const r = await acceptDelivery(
    deps.store,
    {
      ...seen,
      action: recordable(routed.action ?? undefined),
      reason: routed.note,
      repository: recordable(routed.repository ?? undefined),
      installationId: routed.installationId,
      ...(followup ? { followup: 'pending' as const } : {}),
    },
    async (tx) => {
      if (type === null) return [];
      // the GitHub event, and its forge-neutral twins (pr.merged…) that workflows for both forges wait on
      const neutral = neutralForgeEvents(event, decoded.value);
      return (await workspacesOf(tx, routed.repository)).flatMap((workspaceId) => [
        { type, payload: routed.payload, workspaceId },
        ...neutral.map((n) => ({
          type: n.type,
          payload: { ...n.payload, delivery: deliveryId },
          workspaceId,
        })),
      ]);
    },
  );
  return {
    status: r.status,
    deliveryId,
    type,
    eventIds: r.eventIds,
    ...(r.rowId !== null && followup ? { followup: { id: r.rowId, what: followup } } : {}),
    ...(follow.kind === 'refused' ? { refused: follow.reason } : {}),
  };
}
