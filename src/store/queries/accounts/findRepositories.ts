import type { Repository } from '../../../accounts/accountTypes.ts';
import { repositoryFromRow } from './accountMappers.ts';
import type { AccountsDb } from './accountsSchema.ts';

/** Repositories by id or by `owner/name`, in the given workspaces (undefined: any). */
export async function findRepositories(
  db: AccountsDb,
  ref: string,
  workspaceIds: readonly string[] | undefined,
): Promise<Repository[]> {
  let q = db
    .selectFrom('repositories')
    .selectAll()
    .where((eb) => eb.or([eb('id', '=', ref), eb('name', '=', ref)]));
  if (workspaceIds) q = q.where('workspace_id', 'in', workspaceIds.length ? workspaceIds : ['']);
  const rows = await q.limit(100).execute();
  return rows.map(repositoryFromRow);
}
