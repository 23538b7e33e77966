import type { GithubConfig } from '../../config/configSchema.ts';
import { BatonError } from '../../domain/errors.ts';
import { GithubClient, type GhOctokit } from './githubClient.ts';
import { isRequestError, toBatonError } from './githubErrors.ts';

/** One installation of the GitHub App (`GET /app/installations/{id}`). */
export interface GithubInstallation {
  id: number;
  /** the user or organization login it is installed on (null: an enterprise installation) */
  account: string | null;
  repositorySelection: 'all' | 'selected';
}

/** A repository an installation (or token) can reach. */
export interface GithubRepoSummary {
  fullName: string;
  private: boolean;
  defaultBranch: string;
  installationId: number;
}

export interface GithubRepoList {
  repos: GithubRepoSummary[];
  /** more repositories exist than `max` */
  truncated: boolean;
}

/** The most repositories one listing returns (a few pages of 100). */
export const MAX_LISTED_REPOS = 300;
const MAX_INSTALLATIONS = 100;

// one client per configuration: installation tokens are cached by the client
const clients = new WeakMap<Readonly<GithubConfig>, GithubClient>();

function clientOf(config: Readonly<GithubConfig>): GithubClient {
  let c = clients.get(config);
  if (!c) {
    c = new GithubClient({ apiUrl: config.apiUrl, auth: config.auth });
    clients.set(config, c);
  }
  return c;
}

/** GitHub refusing Baton's own credentials is a server-side state, not the API caller's 401/403. */
function failure(e: unknown, what: string): unknown {
  const b = toBatonError(e, what);
  if (b instanceof BatonError && (b.code === 'unauthenticated' || b.code === 'forbidden'))
    return new BatonError('invalid_state', b.message, {
      cause: e,
      ...(b.hint ? { hint: b.hint } : {}),
    });
  return b;
}

function accountLogin(a: unknown): string | null {
  if (typeof a !== 'object' || a === null) return null;
  const r = a as { login?: unknown; slug?: unknown; name?: unknown };
  for (const v of [r.login, r.slug, r.name]) if (typeof v === 'string' && v !== '') return v;
  return null;
}

function installationOf(d: {
  id: number;
  account: unknown;
  repository_selection: string;
}): GithubInstallation {
  return {
    id: d.id,
    account: accountLogin(d.account),
    repositorySelection: d.repository_selection === 'selected' ? 'selected' : 'all',
  };
}

/** One installation of the App, verified with the App's JWT; unknown → `not_found`. */
export async function getInstallation(
  config: Readonly<GithubConfig>,
  installationId: number,
  signal: AbortSignal,
): Promise<GithubInstallation> {
  try {
    const r = await clientOf(config)
      .appClient()
      .rest.apps.getInstallation({ installation_id: installationId, request: { signal } });
    return installationOf(r.data);
  } catch (e) {
    if (isRequestError(e) && e.status === 404)
      throw new BatonError('not_found', `the GitHub App has no installation ${installationId}`, {
        cause: e,
        field: 'installation_id',
        hint: 'install the App on an account or organization, then retry with the id GitHub redirected with',
      });
    throw failure(e, `look up the GitHub App's installation ${installationId}`);
  }
}

/** The repositories one installation can reach (`GET /installation/repositories`), at most `max`. */
export async function installationRepositories(
  config: Readonly<GithubConfig>,
  installationId: number,
  signal: AbortSignal,
  max = MAX_LISTED_REPOS,
): Promise<GithubRepoList> {
  const octokit: GhOctokit = clientOf(config).forInstallation(installationId);
  const repos: GithubRepoSummary[] = [];
  try {
    const pages = octokit.paginate.iterator(octokit.rest.apps.listReposAccessibleToInstallation, {
      per_page: 100,
      request: { signal },
    });
    for await (const page of pages) {
      for (const r of page.data) {
        if (repos.length >= max) return { repos, truncated: true };
        repos.push({
          fullName: r.full_name,
          private: r.private,
          defaultBranch: r.default_branch,
          installationId,
        });
      }
    }
  } catch (e) {
    throw failure(e, `list the repositories of the GitHub App's installation ${installationId}`);
  }
  return { repos, truncated: false };
}

/** Every installation of the App (`GET /app/installations`) and the repositories they reach, at most `max`. */
export async function appRepositories(
  config: Readonly<GithubConfig>,
  signal: AbortSignal,
  max = MAX_LISTED_REPOS,
): Promise<GithubRepoList & { installations: GithubInstallation[] }> {
  const app = clientOf(config).appClient();
  const installations: GithubInstallation[] = [];
  try {
    const pages = app.paginate.iterator(app.rest.apps.listInstallations, {
      per_page: 100,
      request: { signal },
    });
    for await (const page of pages) {
      for (const i of page.data)
        if (installations.length < MAX_INSTALLATIONS) installations.push(installationOf(i));
      if (installations.length >= MAX_INSTALLATIONS) break;
    }
  } catch (e) {
    throw failure(e, "list the GitHub App's installations");
  }
  const repos: GithubRepoSummary[] = [];
  let truncated = false;
  for (const i of installations) {
    const left = max - repos.length;
    if (left <= 0) {
      truncated = true;
      break;
    }
    const r = await installationRepositories(config, i.id, signal, left);
    repos.push(...r.repos);
    truncated ||= r.truncated;
  }
  return { installations, repos, truncated };
}
