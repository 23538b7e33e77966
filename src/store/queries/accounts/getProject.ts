import type { Project } from '../../../accounts/accountTypes.ts';
import { projectFromRow } from './accountMappers.ts';
import type { AccountsDb } from './accountsSchema.ts';

export async function getProject(db: AccountsDb, id: string): Promise<Project | undefined> {
  const row = await db.selectFrom('projects').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? projectFromRow(row) : undefined;
}
