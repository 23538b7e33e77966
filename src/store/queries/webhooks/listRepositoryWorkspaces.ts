import type { Kysely } from 'kysely';
import type { Db } from '../db.ts';

/** The columns of the accounts' `repositories` table (migration 004) this query reads. */
interface RepositoryNames {
  repositories: { workspace_id: string; name: string };
}

/**
 * The workspaces that registered a repository `owner/name`, by workspace id. GitHub names are
 * case-insensitive (`Octo-Org/Hello` is `octo-org/hello`), so the match is too.
 */
export async function listRepositoryWorkspaces(db: Db, fullName: string): Promise<string[]> {
  const rows = await (db as unknown as Kysely<RepositoryNames>)
    .selectFrom('repositories')
    .select('workspace_id')
    .where((eb) => eb(eb.fn('lower', ['name']), '=', fullName.toLowerCase()))
    .distinct()
    .orderBy('workspace_id')
    .limit(100)
    .execute();
  return rows.map((r) => r.workspace_id);
}
