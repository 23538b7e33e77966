import type { AccountsStore } from '../accounts/accountsStore.ts';
import { ActionExecutor } from '../actions/ActionExecutor.ts';
import { repoResolver } from '../actions/repoResolver.ts';
import type { Logger } from '../engine/engineDeps.ts';
import type { Store } from '../engine/ports/store.ts';
import { RepoMirror } from '../forges/git/repoMirror.ts';
import { Worktrees } from '../forges/git/worktrees.ts';
import { createLocalForge } from '../forges/local/localForge.ts';
import { createLocalForgeStore } from '../forges/local/createLocalForgeStore.ts';
import type { Db } from '../store/queries/db.ts';

export interface OpenActionsOptions {
  dataDir: string;
  /** Baton's database (the store's own Kysely instance: the local forge keeps its tables there) */
  db: Db;
  store: Pick<Store, 'insertExternalEvent'>;
  accounts: () => AccountsStore;
  /** events were written: dispatch them (event triggers, `wait: { event }` steps) */
  poke: () => void;
  logger: Logger;
}

/**
 * The executor of `uses:` steps: git workspaces under `<dataDir>/git`, the local forge over
 * Baton's database (its events become external events: `pr.opened`, `pr.merged`, …).
 */
export function openActions(o: OpenActionsOptions): ActionExecutor {
  const local = createLocalForge({
    store: createLocalForgeStore(o.db),
    events: {
      async emit(type, payload) {
        await o.store.insertExternalEvent({ type, payload }, Date.now());
        o.poke();
      },
    },
    tmpDir: `${o.dataDir}/git/tmp`,
    onEmitError: (e) =>
      o.logger.warn({ err: e }, 'a local forge event was not emitted yet (retried on the next change)'),
  });
  const mirrors = new Map<string, RepoMirror>();
  return new ActionExecutor({
    repos: repoResolver({
      findRepositories: (ref, ws) => o.accounts().findRepositories(ref, ws),
      local,
    }),
    mirrors: async (repo, signal) => {
      const remote = await repo.forge.remote(repo.ref, signal);
      let mirror = mirrors.get(repo.forge.kind);
      if (!mirror)
        mirrors.set(
          repo.forge.kind,
          (mirror = new RepoMirror({ dataDir: o.dataDir, credentials: remote.credentials })),
        );
      const m = await mirror.ensure({ name: repo.name, url: remote.url }, signal);
      return { mirror, dir: m.dir };
    },
    worktrees: new Worktrees({ dataDir: o.dataDir }),
  });
}
