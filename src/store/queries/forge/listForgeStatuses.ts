import type { Selectable } from 'kysely';
import type { ForgeStatusesTable } from '../../schema.ts';
import type { Db } from '../db.ts';

/** The statuses of a commit, one per context, by context. */
export async function listForgeStatuses(
  db: Db,
  repository: string,
  sha: string,
): Promise<Selectable<ForgeStatusesTable>[]> {
  return db
    .selectFrom('forge_statuses')
    .selectAll()
    .where('repository', '=', repository)
    .where('sha', '=', sha)
    .orderBy('context')
    .execute();
}
