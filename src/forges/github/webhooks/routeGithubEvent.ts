import { parseStatusCallback, STATUS_CALLBACK_ACTION } from './statusCallback.ts';

/**
 * The GitHub events Baton's workflows are written against. Any other event is accepted, recorded
 * and routed the same way (`github.<event>[.<action>]`): an unknown event is never an error.
 */
export const GITHUB_ROUTED_EVENTS = [
  'issues',
  'issue_comment',
  'pull_request',
  'pull_request_review',
  'check_run',
  'check_suite',
  'workflow_job',
  'workflow_run',
  'push',
  'status',
  'deployment',
  'deployment_status',
  'repository_dispatch',
  'installation',
  'installation_repositories',
] as const;

/** GitHub's `ping` (sent when a webhook is created) is answered and recorded, and starts nothing. */
export const RECORDED_ONLY_EVENTS: ReadonlySet<string> = new Set(['ping']);

/** What a verified GitHub delivery becomes. */
export interface RoutedEvent {
  /** the Baton event type; null: recorded only */
  type: string | null;
  action: string | null;
  /** `owner/name` of `payload.repository` */
  repository: string | null;
  installationId: number | null;
  /** the external event's payload: the webhook payload plus `delivery` */
  payload: Record<string, unknown>;
  /** recorded as the delivery's reason (an odd but accepted delivery) */
  note: string | null;
}

/**
 * `github.<event>` or `github.<event>.<action>` (`github.issues.labeled`, `github.push`), with the
 * action reduced to the characters of event types (`[a-z0-9_.:-]`). A `repository_dispatch` whose
 * action is `orchestrator.status` and whose `client_payload` is a status callback becomes
 * `github.orchestrator.status` with the callback, normalised, in `payload.status_callback`.
 */
export function routeGithubEvent(
  event: string,
  deliveryId: string,
  body: Record<string, unknown>,
): RoutedEvent {
  const action = typeof body['action'] === 'string' ? body['action'] : null;
  const repo = objectAt(body, 'repository');
  const installation = objectAt(body, 'installation');
  const base = {
    action,
    repository: typeof repo?.['full_name'] === 'string' ? repo['full_name'] : null,
    installationId:
      typeof installation?.['id'] === 'number' && Number.isSafeInteger(installation['id'])
        ? installation['id']
        : null,
  };
  const payload = { ...body, delivery: deliveryId };
  if (RECORDED_ONLY_EVENTS.has(event)) return { ...base, type: null, payload, note: null };
  let note: string | null = null;
  if (event === 'repository_dispatch' && action === STATUS_CALLBACK_ACTION) {
    const parsed = parseStatusCallback(body['client_payload']);
    if (parsed.ok) {
      return {
        ...base,
        type: 'github.orchestrator.status',
        payload: { ...payload, status_callback: parsed.callback },
        note,
      };
    }
    note = parsed.reason;
  }
  const suffix = action === null ? '' : eventTypePart(action);
  return { ...base, type: `github.${event}${suffix ? `.${suffix}` : ''}`, payload, note };
}

/** An action as a part of an event type: lower case, `[a-z0-9_.:-]`, at most 100 characters. */
function eventTypePart(action: string): string {
  return action
    .toLowerCase()
    .replace(/[^a-z0-9_.:-]/g, '_')
    .slice(0, 100);
}

function objectAt(o: Record<string, unknown>, key: string): Record<string, unknown> | undefined {
  const v = o[key];
  return typeof v === 'object' && v !== null && !Array.isArray(v)
    ? (v as Record<string, unknown>)
    : undefined;
}
