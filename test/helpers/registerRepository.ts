import { openAccountsStore } from '../../src/accounts/openAccountsStore.ts';
import { uuidv7 } from '../../src/domain/ids.ts';

/** Registers a repository (`name` → `url`, default branch main) in a workspace of the SQLite Baton in `dataDir`. */
export async function registerRepository(
  dataDir: string,
  name: string,
  url: string,
  workspaceId = 'default',
): Promise<void> {
  const accounts = openAccountsStore({ databaseUrl: undefined, dataDir });
  try {
    const now = Date.now();
    await accounts.insertRepository({
      id: uuidv7(),
      workspaceId,
      projectId: null,
      name,
      url,
      defaultBranch: 'main',
      createdAt: now,
      updatedAt: now,
    });
  } finally {
    await accounts.close();
  }
}
