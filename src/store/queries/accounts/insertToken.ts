import type { ApiToken } from '../../../accounts/accountTypes.ts';
import { tokenToRow } from './accountMappers.ts';
import type { AccountsDb } from './accountsSchema.ts';

export async function insertToken(db: AccountsDb, t: ApiToken): Promise<void> {
  await db.insertInto('api_tokens').values(tokenToRow(t)).execute();
}
