import { pathToFileURL } from 'node:url';
import type { AccountsStore } from '../accounts/accountsStore.ts';
import { ActionExecutor } from '../actions/ActionExecutor.ts';
import type { IssueAccess } from '../actions/ActionContext.ts';
import type { RunLookup } from '../runners/agent/sweepAgentHomes.ts';
import { repoResolver } from '../actions/repoResolver.ts';
import type { GithubConfig } from '../config/configSchema.ts';
import type { Logger } from '../engine/engineDeps.ts';
import type { Store } from '../engine/ports/store.ts';
import { RepoMirror } from '../forges/git/repoMirror.ts';
import { createGithubForge } from '../forges/github/githubForge.ts';
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
  /** kill tests: crash windows of the action executor */
  fault?: (point: string) => void;
  /** disk retention of worktrees (the runs' ends) */
  getRun?: RunLookup;
  /** the issue tree (the forge actions' `issue:` input) */
  issues?: IssueAccess;
  /** the GitHub forge's settings (absent: repositories on GitHub are refused with a clear error) */
  github?: Readonly<GithubConfig> | undefined;
}

/**
 * The executor of `uses:` steps: git workspaces under `<dataDir>/git`, the local forge over
 * Baton's database (its events become external events: `pr.opened`, `pr.merged`, …), and the
 * GitHub forge when `BATON_GITHUB_*` configure an App or a token (its events arrive by webhook).
 */
export function openActions(o: OpenActionsOptions): ActionExecutor {
  const local = createLocalForge({
    store: createLocalForgeStore(o.db),
    events: {
      async emit(type, payload) {
        // the event belongs to the workspaces that registered the repository (none: instance-wide)
        const path = typeof payload.repository === 'string' ? payload.repository : '';
        const repos = path ? await o.accounts().findRepositoriesByUrl([path, pathToFileURL(path).href]) : [];
        const workspaces = [...new Set(repos.map((r) => r.workspaceId))];
        for (const workspaceId of workspaces.length ? workspaces : [undefined])
          await o.store.insertExternalEvent(
            { type, payload, ...(workspaceId ? { workspaceId } : {}) },
            Date.now(),
          );
        o.poke();
      },
    },
    tmpDir: `${o.dataDir}/git/tmp`,
    onEmitError: (e) =>
      o.logger.warn({ err: e }, 'a local forge event was not emitted yet (retried on the next change)'),
  });
  const github = o.github
    ? createGithubForge({ apiUrl: o.github.apiUrl, gitUrl: o.github.gitUrl, auth: o.github.auth })
    : undefined;
  const mirrors = new Map<string, RepoMirror>();
  return new ActionExecutor({
    repos: repoResolver({
      findRepositories: (ref, ws) => o.accounts().findRepositories(ref, ws),
      local,
      ...(github ? { github } : {}),
      ...(o.github?.gitUrl ? { githubHost: new URL(o.github.gitUrl).host } : {}),
    }),
    mirrors: async (repo, signal) => {
      const remote = await repo.forge.remote(repo.ref, signal);
      // one mirror object per repository: its credentials are that repository's (an App installation's)
      const key = `${repo.forge.kind}:${repo.name}`;
      let mirror = mirrors.get(key);
      if (!mirror)
        mirrors.set(key, (mirror = new RepoMirror({ dataDir: o.dataDir, credentials: remote.credentials })));
      const m = await mirror.ensure({ name: repo.name, url: remote.url }, signal);
      return { mirror, dir: m.dir };
    },
    worktrees: new Worktrees({ dataDir: o.dataDir }),
    ...(o.issues ? { issues: o.issues } : {}),
    ...(o.fault ? { fault: o.fault } : {}),
    ...(o.getRun ? { getRun: o.getRun } : {}),
  });
}
