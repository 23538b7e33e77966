import type { Millis } from './storeTypes.ts';

/** Where an inbound webhook comes from. */
export type WebhookSource = 'github' | 'security';

/**
 * What became of a delivery: `accepted` (verified, recorded, its events written), `rejected`
 * (refused: signature, headers, body, size, replay window) or `duplicate` (its delivery id was
 * accepted before: answered 2xx, nothing changed).
 */
export type WebhookDeliveryStatus = 'accepted' | 'rejected' | 'duplicate';

/** A delivery as it is recorded (table `webhook_deliveries`, migration 010). */
export interface NewWebhookDelivery {
  source: WebhookSource;
  /** `X-GitHub-Delivery` (or the security webhook's id); null when the request carried none */
  deliveryId: string | null;
  /** `X-GitHub-Event` (`security` for the scanner), when given */
  event: string | null;
  action: string | null;
  status: WebhookDeliveryStatus;
  /** why it was rejected (or what was odd about an accepted one) */
  reason: string | null;
  /** SHA-256 (hex) of the raw body */
  payloadHash: string | null;
  /** `owner/name` of the payload's repository */
  repository: string | null;
  installationId: number | null;
  /** the external events the delivery wrote (accepted deliveries) */
  eventIds: number[];
  receivedAt: Millis;
  /** an accepted delivery that asks for more than its events (a slash command…): `pending` until done */
  followup?: 'pending';
}

export interface WebhookDeliveryRecord extends Omit<NewWebhookDelivery, 'followup'> {
  id: number;
  followup: WebhookFollowupStatus | null;
  /** what the follow-up did, or why it failed */
  followupResult: string | null;
}

/** Where the follow-up of a delivery stands (migration 013). */
export type WebhookFollowupStatus = 'pending' | 'done' | 'failed';

/** A pending follow-up the sweep takes over: its delivery and the events that carry its payload. */
export interface PendingWebhookFollowup {
  id: number;
  source: WebhookSource;
  event: string | null;
  eventIds: number[];
  receivedAt: Millis;
}

/** Recorded deliveries, oldest first after `afterId`. */
export interface WebhookDeliveryFilter {
  afterId?: number;
  source?: WebhookSource;
  deliveryId?: string;
  limit: number;
}
