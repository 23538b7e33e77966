import type { z } from 'zod';
import { BatonError } from '../../domain/errors.ts';

/** Opaque keyset cursors: base64url of the keyset's JSON. Clients must not build or parse them. */
export function encodeCursor(keyset: unknown): string {
  return Buffer.from(JSON.stringify(keyset), 'utf8').toString('base64url');
}

export function decodeCursor<T>(cursor: string, schema: z.ZodType<T>): T {
  let raw: unknown;
  try {
    raw = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    raw = undefined;
  }
  const r = schema.safeParse(raw);
  if (!r.success) {
    throw new BatonError('invalid_input', 'the cursor is not one this API issued', {
      field: 'cursor',
      hint: 'pass next_cursor from the previous page unchanged, or omit it to start from the first page',
    });
  }
  return r.data;
}

/**
 * One page from `limit + 1` rows read: the first `limit` as items, and a cursor after the last of
 * them when the extra row shows there is more.
 */
export function toPage<T, U>(
  rows: readonly T[],
  limit: number,
  out: (row: T) => U,
  keysetOf: (last: T) => unknown,
): { items: U[]; next_cursor: string | null } {
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    items: page.map(out),
    next_cursor: rows.length > limit && last !== undefined ? encodeCursor(keysetOf(last)) : null,
  };
}
