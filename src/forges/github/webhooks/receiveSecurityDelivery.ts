import type { NewWebhookDelivery, StoreTx } from '../../../engine/ports/store.ts';
import { acceptDelivery, workspacesOf, type DeliveryEvent } from './acceptDelivery.ts';
import { decodeJsonObject } from './decodeJsonObject.ts';
import { headerValue, recordable } from './headerValue.ts';
import { sha256Hex, type RawDelivery, type ReceiveDeps } from './receiveGithubDelivery.ts';
import { securityFindingsSchema, SEVERITIES, type Finding, type Severity } from './securityFindingsSchema.ts';
import { verifySecuritySignature } from './verifySecuritySignature.ts';
import { rejection, type WebhookOutcome, type WebhookRejection } from './webhookOutcome.ts';

export const SECURITY_EVENT_TYPE = 'security.findings';

const DELIVERY_ID = /^[\x21-\x7e]{1,200}$/;

/**
 * One delivery of an external security scanner: signature and replay window first
 * (verifySecuritySignature.ts), then the body (securityFindingsSchema.ts). Deduplicated by its
 * `X-Baton-Delivery` id, or else by its signature (which covers the timestamp: the same request
 * sent twice within the window). Its findings become one `security.findings` event per workspace
 * that registered one of their repositories (the default workspace for the others), with
 * `{delivery, scanner, findings, counts, max_severity, repositories}` for event triggers.
 */
export async function receiveSecurityDelivery(deps: ReceiveDeps, raw: RawDelivery): Promise<WebhookOutcome> {
  const signature = headerValue(raw.headers, 'x-baton-signature');
  const given = headerValue(raw.headers, 'x-baton-delivery');
  const seen: Omit<NewWebhookDelivery, 'status' | 'eventIds'> = {
    source: 'security',
    deliveryId: recordable(given ?? (signature ? `sig:${signature.trim().toLowerCase()}` : undefined)),
    event: 'security',
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

  const sig = verifySecuritySignature(
    raw.body,
    { timestamp: headerValue(raw.headers, 'x-baton-timestamp'), signature },
    deps.secrets,
    deps.now,
  );
  if (!sig.ok) return refuse(rejection(401, sig.field ?? 'X-Baton-Signature', sig.reason));
  if (given !== undefined && !DELIVERY_ID.test(given)) {
    return refuse(
      rejection(400, 'X-Baton-Delivery', 'malformed X-Baton-Delivery: 1 to 200 printable characters'),
    );
  }
  const decoded = decodeJsonObject(raw.body, headerValue(raw.headers, 'content-type'));
  if (!decoded.ok) return refuse(rejection(400, 'body', decoded.reason));
  const parsed = securityFindingsSchema.safeParse(decoded.value);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    const where = first?.path.length ? first.path.map(String).join('.') : 'body';
    return refuse(rejection(400, where, `${where}: ${first?.message ?? 'invalid'}`));
  }
  const deliveryId = seen.deliveryId ?? '';
  const { findings, scanner } = parsed.data;
  const repositories = [...new Set(findings.map((f) => f.repository))];
  const r = await acceptDelivery(
    deps.store,
    {
      ...seen,
      action: recordable(scanner),
      repository: repositories.length === 1 ? (repositories[0] ?? null) : null,
    },
    async (tx) => eventsByWorkspace(tx, deliveryId, scanner ?? null, findings),
  );
  return { status: r.status, deliveryId, type: SECURITY_EVENT_TYPE, eventIds: r.eventIds };
}

async function eventsByWorkspace(
  tx: StoreTx,
  delivery: string,
  scanner: string | null,
  findings: readonly Finding[],
): Promise<DeliveryEvent[]> {
  const byWorkspace = new Map<string, Finding[]>();
  const workspaces = new Map<string, string[]>();
  for (const f of findings) {
    let ws = workspaces.get(f.repository);
    if (!ws) workspaces.set(f.repository, (ws = await workspacesOf(tx, f.repository)));
    for (const w of ws) byWorkspace.set(w, [...(byWorkspace.get(w) ?? []), f]);
  }
  return [...byWorkspace.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([workspaceId, list]) => ({
      type: SECURITY_EVENT_TYPE,
      workspaceId,
      payload: {
        delivery,
        scanner,
        findings: list,
        counts: countsOf(list),
        max_severity: SEVERITIES.find((s) => list.some((f) => f.severity === s)) ?? null,
        repositories: [...new Set(list.map((f) => f.repository))],
      },
    }));
}

function countsOf(list: readonly Finding[]): Record<Severity, number> {
  const counts = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  for (const f of list) counts[f.severity] += 1;
  return counts;
}
