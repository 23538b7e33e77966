import type { Repository } from '../../../accounts/accountTypes.ts';
import { repositoryFromRow } from './accountMappers.ts';
import type { AccountsDb } from './accountsSchema.ts';

export async function getRepository(db: AccountsDb, id: string): Promise<Repository | undefined> {
  const row = await db.selectFrom('repositories').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? repositoryFromRow(row) : undefined;
}
