import type { Repository } from '../../../accounts/accountTypes.ts';
import type { AccountsDb } from './accountsSchema.ts';

export async function updateRepository(
  db: AccountsDb,
  id: string,
  patch: Partial<Pick<Repository, 'projectId' | 'url' | 'defaultBranch'>>,
  now: number,
): Promise<boolean> {
  const r = await db
    .updateTable('repositories')
    .set({
      ...(patch.projectId === undefined ? {} : { project_id: patch.projectId }),
      ...(patch.url === undefined ? {} : { url: patch.url }),
      ...(patch.defaultBranch === undefined ? {} : { default_branch: patch.defaultBranch }),
      updated_at: now,
    })
    .where('id', '=', id)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}
