import type { TokenKind } from '../domain/access/principal.ts';
import type { Role } from '../domain/access/roles.ts';
import { uuidv7 } from '../domain/ids.ts';
import type { ApiToken } from './accountTypes.ts';
import type { AccountsStore } from './accountsStore.ts';
import { displayPrefix, generateSecret, hashSecret } from './tokenSecret.ts';

export interface IssueTokenRequest {
  userId: string;
  name: string;
  kind: Exclude<TokenKind, 'seed'>;
  expiresAt: number | null;
  workspaceId: string | null;
  role: Role | null;
}

/** Creates a token and returns its secret, which is never stored and cannot be shown again. */
export async function issueToken(
  accounts: Pick<AccountsStore, 'insertToken'>,
  req: IssueTokenRequest,
  now: number,
): Promise<{ token: ApiToken; secret: string }> {
  const secret = generateSecret(req.kind === 'session' ? 'session' : 'personal');
  const token: ApiToken = {
    id: uuidv7(now),
    userId: req.userId,
    name: req.name,
    kind: req.kind,
    tokenHash: hashSecret(secret),
    displayPrefix: displayPrefix(secret),
    workspaceId: req.workspaceId,
    role: req.role,
    createdAt: now,
    expiresAt: req.expiresAt,
    lastUsedAt: null,
    revokedAt: null,
  };
  await accounts.insertToken(token);
  return { token, secret };
}
