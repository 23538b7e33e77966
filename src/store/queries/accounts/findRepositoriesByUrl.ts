import type { Repository } from '../../../accounts/accountTypes.ts';
import { repositoryFromRow } from './accountMappers.ts';
import type { AccountsDb } from './accountsSchema.ts';

/** Repositories registered with one of these URLs, in any workspace (which workspaces a forge event is for). */
export async function findRepositoriesByUrl(db: AccountsDb, urls: readonly string[]): Promise<Repository[]> {
  if (urls.length === 0) return [];
  const rows = await db.selectFrom('repositories').selectAll().where('url', 'in', urls).limit(100).execute();
  return rows.map(repositoryFromRow);
}
