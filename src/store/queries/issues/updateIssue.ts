import type { IssuePatch } from '../../../domain/issues/issueRecord.ts';
import type { Db } from '../db.ts';
import { issuePatchToRow } from './issueRow.ts';

/** Changes the fields of `patch`; false when there is no such issue. */
export async function updateIssue(db: Db, id: string, patch: IssuePatch): Promise<boolean> {
  const r = await db
    .updateTable('issues')
    .set(issuePatchToRow(patch))
    .where('id', '=', id)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}
