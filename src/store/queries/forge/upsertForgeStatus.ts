import type { ForgeStatusesTable } from '../../schema.ts';
import type { Db } from '../db.ts';

/** The status of a commit for one context: the latest write wins. */
export async function upsertForgeStatus(db: Db, row: ForgeStatusesTable): Promise<void> {
  await db
    .insertInto('forge_statuses')
    .values(row)
    .onConflict((oc) =>
      oc.columns(['repository', 'sha', 'context']).doUpdateSet({
        state: row.state,
        description: row.description,
        target_url: row.target_url,
        updated_at: row.updated_at,
      }),
    )
    .execute();
}
