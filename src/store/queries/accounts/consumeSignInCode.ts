import type { AccountsDb } from './accountsSchema.ts';

/** Marks an unused, unexpired code used (one statement: two concurrent uses cannot both win). */
export async function consumeSignInCode(
  db: AccountsDb,
  codeHash: string,
  now: number,
): Promise<string | undefined> {
  const r = await db
    .updateTable('sign_in_codes')
    .set({ used_at: now })
    .where('code_hash', '=', codeHash)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .returning('user_id')
    .executeTakeFirst();
  return r?.user_id;
}
