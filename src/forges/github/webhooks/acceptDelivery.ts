import type { NewWebhookDelivery, Store, StoreTx } from '../../../engine/ports/store.ts';
import { DEFAULT_WORKSPACE } from '../../../domain/access/defaultWorkspace.ts';

/** An external event a delivery writes. */
export interface DeliveryEvent {
  type: string;
  payload: Record<string, unknown>;
  workspaceId: string;
}

/** Thrown inside the transaction to roll back the events of a delivery accepted before. */
class DuplicateDelivery extends Error {}

/**
 * Writes a verified delivery's external events and its `accepted` row in ONE transaction: either
 * both are stored or neither. When the delivery id was accepted before (a retry, a redelivery, a
 * replay however late) the unique index refuses the row, the events roll back, and a `duplicate`
 * row is recorded instead: nothing else changes.
 */
export async function acceptDelivery(
  store: Store,
  delivery: Omit<NewWebhookDelivery, 'status' | 'eventIds'>,
  eventsOf: (tx: StoreTx) => Promise<DeliveryEvent[]>,
): Promise<{ status: 'accepted' | 'duplicate'; eventIds: number[]; rowId: number | null }> {
  try {
    const { eventIds, rowId } = await store.transaction(async (tx) => {
      const ids: number[] = [];
      for (const e of await eventsOf(tx)) ids.push((await tx.insertExternalEvent(e, delivery.receivedAt)).id);
      const row = await tx.insertWebhookDelivery({ ...delivery, status: 'accepted', eventIds: ids });
      if (row === undefined) throw new DuplicateDelivery(`delivery ${delivery.deliveryId ?? '?'}`);
      return { eventIds: ids, rowId: row };
    });
    return { status: 'accepted', eventIds, rowId };
  } catch (e) {
    if (!(e instanceof DuplicateDelivery)) throw e;
    await store.insertWebhookDelivery({
      ...delivery,
      status: 'duplicate',
      reason: `delivery ${delivery.deliveryId ?? '?'} was accepted before: nothing changed`,
      eventIds: [],
    });
    return { status: 'duplicate', eventIds: [], rowId: null };
  }
}

/** The workspaces of a repository registered in Baton, else the default workspace. */
export async function workspacesOf(tx: StoreTx, repository: string | null): Promise<string[]> {
  const found = repository === null ? [] : await tx.listRepositoryWorkspaces(repository);
  return found.length ? found : [DEFAULT_WORKSPACE];
}
