import type { AccountsDb } from './accountsSchema.ts';

export async function insertSignInCode(
  db: AccountsDb,
  c: { codeHash: string; userId: string; createdAt: number; expiresAt: number },
): Promise<void> {
  await db
    .insertInto('sign_in_codes')
    .values({
      code_hash: c.codeHash,
      user_id: c.userId,
      created_at: c.createdAt,
      expires_at: c.expiresAt,
      used_at: null,
    })
    .execute();
}
