import type { ForgeCommentsTable } from '../../schema.ts';
import type { Db } from '../db.ts';

export async function insertForgeComment(db: Db, row: ForgeCommentsTable): Promise<void> {
  await db.insertInto('forge_comments').values(row).execute();
}
