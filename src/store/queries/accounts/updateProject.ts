import type { Project } from '../../../accounts/accountTypes.ts';
import type { AccountsDb } from './accountsSchema.ts';

export async function updateProject(
  db: AccountsDb,
  id: string,
  patch: Partial<Pick<Project, 'name' | 'description'>>,
  now: number,
): Promise<boolean> {
  const r = await db
    .updateTable('projects')
    .set({
      ...(patch.name === undefined ? {} : { name: patch.name }),
      ...(patch.description === undefined ? {} : { description: patch.description }),
      updated_at: now,
    })
    .where('id', '=', id)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}
