import { BatonError } from '../domain/errors.ts';
import { parseIsoTime, toIso } from './parseTime.ts';
import type { TaskKey } from './ledgerTypes.ts';

/** `next_cursor`: base64 (URL-safe alphabet) of `{"started_at": ISO, "id": …}` of the last row. */
export function encodeTaskCursor(k: TaskKey): string {
  return Buffer.from(JSON.stringify({ started_at: toIso(k.startedAt), id: k.id }), 'utf8').toString(
    'base64url',
  );
}

/** Accepts either base64 alphabet, with or without padding; `started_at` as ISO or epoch ms. */
export function decodeTaskCursor(cursor: string): TaskKey {
  let raw: unknown;
  try {
    raw = JSON.parse(Buffer.from(cursor, 'base64').toString('utf8'));
  } catch {
    raw = undefined;
  }
  const o = (raw ?? {}) as { started_at?: unknown; id?: unknown };
  const startedAt =
    typeof o.started_at === 'string'
      ? parseIsoTime(o.started_at)
      : typeof o.started_at === 'number' && Number.isSafeInteger(o.started_at)
        ? o.started_at
        : undefined;
  if (startedAt === undefined || typeof o.id !== 'string' || o.id.length === 0) {
    throw new BatonError('invalid_input', 'the cursor is not one this API issued', {
      field: 'cursor',
      hint: 'pass next_cursor from the previous page unchanged, or omit it to start from the first page',
    });
  }
  return { startedAt, id: o.id };
}
