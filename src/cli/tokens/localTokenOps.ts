import type { AccountsStore } from '../../accounts/accountsStore.ts';
import { OWNER_LOGIN } from '../../accounts/bootstrapAccounts.ts';
import { issueToken } from '../../accounts/issueToken.ts';
import { tokenOut } from '../../api/schemas/accounts.ts';
import { BatonError } from '../../domain/errors.ts';
import type { TokenOps } from './tokenOps.ts';

/**
 * `baton token` on the database itself (no `--server`): whoever can open the database is its
 * administrator already, so tokens are created for `--user` (default `admin`) — the way to make the
 * first token on the server's machine.
 */
export function localTokenOps(accounts: AccountsStore, now: () => number): TokenOps {
  async function userId(login: string): Promise<string> {
    const u = await accounts.getUser({ login });
    if (!u) {
      throw new BatonError('not_found', `user "${login}" does not exist`, {
        field: 'user',
        hint: 'create it with POST /api/v1/users, or omit --user for the administrator',
      });
    }
    return u.id;
  }
  return {
    async create(t) {
      if (t.workspace !== undefined && !(await accounts.getWorkspace(t.workspace))) {
        throw new BatonError('not_found', `workspace "${t.workspace}" does not exist`, {
          field: 'workspace',
        });
      }
      const at = now();
      const { token, secret } = await issueToken(
        accounts,
        {
          userId: await userId(t.user ?? OWNER_LOGIN),
          name: t.name,
          kind: 'personal',
          expiresAt: t.expiresInDays === null ? null : at + t.expiresInDays * 86_400_000,
          workspaceId: t.workspace ?? null,
          role: t.role ?? null,
        },
        at,
      );
      return { ...tokenOut(token), secret };
    },
    async list(o) {
      const id = o.all ? undefined : await userId(o.user ?? OWNER_LOGIN);
      return (await accounts.listTokens(id, undefined, 10_000)).map(tokenOut);
    },
    async revoke(id) {
      const t = await accounts.getToken({ id });
      if (!t) throw new BatonError('not_found', `token ${id} does not exist`, { field: 'id' });
      if (!(await accounts.revokeToken(id, now()))) {
        throw new BatonError('conflict', `token ${id} is already revoked`, { field: 'id' });
      }
      return tokenOut((await accounts.getToken({ id }))!);
    },
  };
}
