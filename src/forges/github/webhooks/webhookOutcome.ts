import type { GithubFollowup } from './githubFollowup.ts';

/** Why a delivery was refused, with the answer it gets (a problem document: 400 or 401). */
export interface WebhookRejection {
  status: 'rejected';
  httpStatus: 400 | 401;
  reason: string;
  /** the header or part of the request at fault */
  field: string;
}

/** What a verified delivery did: its events were written, or its id had been accepted before. */
export interface WebhookReceipt {
  status: 'accepted' | 'duplicate';
  deliveryId: string;
  /** the Baton event type it was routed to (null: recorded only, like GitHub's `ping`) */
  type: string | null;
  /** the external events written (none for a duplicate) */
  eventIds: number[];
  /** what the delivery asks for besides its events, recorded as pending with it (its row id) */
  followup?: { id: number; what: GithubFollowup };
  /** a command in it that its author may not give */
  refused?: string;
}

export type WebhookOutcome = WebhookRejection | WebhookReceipt;

export function rejection(httpStatus: 400 | 401, field: string, reason: string): WebhookRejection {
  return { status: 'rejected', httpStatus, reason, field };
}
