import type { WorkflowRecord } from '../../domain/records.ts';
import { workflowToRow } from '../mappers.ts';
import type { Db } from './db.ts';

export async function upsertWorkflow(db: Db, w: WorkflowRecord): Promise<void> {
  const row = workflowToRow(w);
  await db
    .insertInto('workflows')
    .values(row)
    .onConflict((oc) =>
      oc.column('name').doUpdateSet({
        workspace_id: row.workspace_id,
        version: row.version,
        definition: row.definition,
        source: row.source,
        origin: row.origin,
        source_path: row.source_path,
        base_dir: row.base_dir,
        updated_at: row.updated_at,
      }),
    )
    .execute();
}
