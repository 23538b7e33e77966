import type { Kysely } from 'kysely';

/**
 * Which GitHub repository an issue's `github_issue_number` is in (`owner/name`), so a delivery
 * about `owner/name#n` finds its Baton issue without trusting anything written in the GitHub
 * issue, and a defect filed on GitHub under `#n` finds its parent.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('issues').addColumn('github_repository', 'text').execute();
  await db.schema
    .createIndex('issues_github_issue')
    .on('issues')
    .columns(['github_repository', 'github_issue_number'])
    .execute();
}
