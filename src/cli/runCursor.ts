import { BatonError } from '../domain/errors.ts';

/** Keyset cursor of `runs ls` in local mode: the (created_at, id) of the last row of the page, base64url-encoded. */
export function encodeCursor(createdAt: number, id: string): string {
  return Buffer.from(`${createdAt}.${id}`, 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): { createdAt: number; id: string } {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const m = /^(\d+)\.([0-9a-f-]{36})$/.exec(text);
  if (!m)
    throw new BatonError('invalid_input', `invalid --cursor "${cursor}"`, {
      field: 'cursor',
      hint: 'use the cursor printed by the previous page',
    });
  return { createdAt: Number(m[1]), id: m[2] ?? '' };
}
