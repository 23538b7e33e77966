import { randomBytes } from 'node:crypto';
import { DEFAULT_WORKSPACE } from '../domain/access/defaultWorkspace.ts';
import { uuidv7 } from '../domain/ids.ts';
import type { User } from './accountTypes.ts';
import type { AccountsStore } from './accountsStore.ts';
import { displayPrefix, hashSecret } from './tokenSecret.ts';

/** The login of the instance administrator created at first start. */
export const OWNER_LOGIN = 'admin';
/** How long the start-up sign-in link works. */
export const SIGN_IN_CODE_TTL_MS = 15 * 60_000;

/**
 * At start-up: the first instance administrator (`admin`, an admin of the default workspace) exists,
 * and `BATON_ADMIN_TOKEN`, when set, is one of its tokens (a changed value revokes the old seed).
 */
export async function bootstrapAccounts(
  accounts: AccountsStore,
  /** `adminToken: null`: leave the seed tokens alone (the CLI on the server's database) */
  opts: { adminToken: string | undefined | null; now: number },
): Promise<User> {
  const { now } = opts;
  return accounts.transaction(async (tx) => {
    let owner = await tx.getUser({ login: OWNER_LOGIN });
    if (!owner) {
      owner = {
        id: uuidv7(now),
        login: OWNER_LOGIN,
        name: 'Administrator',
        email: null,
        isAdmin: true,
        disabledAt: null,
        createdAt: now,
        updatedAt: now,
      };
      await tx.insertUser(owner);
      await tx.upsertMember({
        workspaceId: DEFAULT_WORKSPACE,
        userId: owner.id,
        role: 'admin',
        createdAt: now,
        updatedAt: now,
      });
    }
    if (opts.adminToken === null) return owner;
    const hash = opts.adminToken === undefined ? null : hashSecret(opts.adminToken);
    await tx.revokeSeedTokens(hash, now);
    if (opts.adminToken !== undefined && hash !== null) {
      const existing = await tx.getToken({ hash });
      if (!existing) {
        await tx.insertToken({
          id: uuidv7(now),
          userId: owner.id,
          name: 'BATON_ADMIN_TOKEN',
          kind: 'seed',
          tokenHash: hash,
          displayPrefix: displayPrefix(opts.adminToken),
          workspaceId: null,
          role: null,
          createdAt: now,
          expiresAt: null,
          lastUsedAt: null,
          revokedAt: null,
        });
      }
    }
    return owner;
  });
}

/** A one-time sign-in code for `userId` (stored hashed, valid for 15 minutes). */
export async function createSignInCode(
  accounts: Pick<AccountsStore, 'insertSignInCode'>,
  userId: string,
  now: number,
): Promise<string> {
  const code = randomBytes(24).toString('base64url');
  await accounts.insertSignInCode({
    codeHash: hashSecret(code),
    userId,
    createdAt: now,
    expiresAt: now + SIGN_IN_CODE_TTL_MS,
  });
  return code;
}
