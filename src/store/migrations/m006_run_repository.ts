import type { Kysely } from 'kysely';
import type { DialectName } from './columnTypes.ts';

/** The repository a run works on (registered in its workspace), to filter runs by repository. */
export async function up(db: Kysely<unknown>, _dialect: DialectName): Promise<void> {
  await db.schema.alterTable('runs').addColumn('repository_id', 'text').execute();
  await db.schema
    .createIndex('runs_repository')
    .on('runs')
    .columns(['repository_id', 'created_at', 'id'])
    .execute();
}
