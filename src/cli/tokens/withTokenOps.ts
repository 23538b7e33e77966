import type { CliContext } from '../context.ts';
import type { TokenOps } from './tokenOps.ts';

/** The token operations of the server in remote mode, else of the database (accounts bootstrapped). */
export async function withTokenOps<T>(ctx: CliContext, fn: (ops: TokenOps) => Promise<T>): Promise<T> {
  const target = await ctx.remoteTarget();
  if (target) {
    const { withHttpBackend } = await import('../remote/withHttpBackend.ts');
    const { httpTokenOps } = await import('./httpTokenOps.ts');
    return withHttpBackend(ctx, target, (b) => fn(httpTokenOps(b.http)));
  }
  const config = await ctx.config();
  return ctx.withBaton(async () => {
    const { openAccountsStore } = await import('../../accounts/openAccountsStore.ts');
    const { bootstrapAccounts } = await import('../../accounts/bootstrapAccounts.ts');
    const { localTokenOps } = await import('./localTokenOps.ts');
    const accounts = openAccountsStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
    try {
      // the server owns the BATON_ADMIN_TOKEN seed: only make sure the administrator exists
      await bootstrapAccounts(accounts, { adminToken: null, now: Date.now() });
      return await fn(localTokenOps(accounts, Date.now));
    } finally {
      await accounts.close();
    }
  });
}
