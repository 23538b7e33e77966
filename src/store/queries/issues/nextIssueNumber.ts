import type { Db } from '../db.ts';

/** The next issue number of a workspace (the caller holds the workspace's issue lock). */
export async function nextIssueNumber(db: Db, workspaceId: string): Promise<number> {
  const row = await db
    .selectFrom('issues')
    .select((eb) => eb.fn.max('number').as('n'))
    .where('workspace_id', '=', workspaceId)
    .executeTakeFirst();
  return Number(row?.n ?? 0) + 1;
}
