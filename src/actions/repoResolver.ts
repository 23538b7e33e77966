import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Repository } from '../accounts/accountTypes.ts';
import { BatonError } from '../domain/errors.ts';
import type { Forge } from '../forges/Forge.ts';
import type { RepoResolver, ResolvedRepo } from './ActionContext.ts';

export interface RepoResolverOptions {
  /** repositories registered in a workspace, by id or `owner/name` */
  findRepositories(ref: string, workspaceIds: readonly string[]): Promise<Repository[]>;
  /** bare repositories on disk */
  local: Forge;
  /** the GitHub forge (absent when no App or token is configured: GitHub repositories are refused with a clear error) */
  github?: Forge;
  /** another host whose repository URLs pick the GitHub forge (GitHub Enterprise), besides github.com */
  githubHost?: string;
}

/** A local path for `file://` URLs and absolute paths; null for anything remote. */
function localPath(url: string): string | null {
  if (url.startsWith('file://')) return fileURLToPath(url);
  if (isAbsolute(url)) return resolve(url);
  return null;
}

const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** `owner/name` of a repository URL on `host` (https or ssh form), or null. */
export function githubName(url: string, host = 'github.com'): string | null {
  const h = escapeRe(host);
  const re = new RegExp(`^(?:https://${h}/|git@${h}:|ssh://git@${h}/)([^/]+/[^/]+?)(?:\\.git)?/?$`, 'i');
  return re.exec(url)?.[1] ?? null;
}

/**
 * Resolves `with.repository`: a repository registered in the run's workspace (its URL decides the
 * forge), else an absolute path or `file://` URL of a bare repository (the local forge).
 */
export function repoResolver(o: RepoResolverOptions): RepoResolver {
  const byUrl = (name: string, url: string): ResolvedRepo => {
    const path = localPath(url);
    if (path !== null) return { name, ref: path, forge: o.local };
    const gh = githubName(url) ?? (o.githubHost ? githubName(url, o.githubHost) : null);
    if (gh !== null) {
      if (!o.github)
        throw new BatonError(
          'invalid_state',
          `repository ${name} is on GitHub, and no GitHub access is configured`,
          {
            field: 'with.repository',
            hint: 'configure a GitHub App (BATON_GITHUB_APP_ID and BATON_GITHUB_APP_PRIVATE_KEY) or a token (BATON_GITHUB_TOKEN)',
          },
        );
      return { name, ref: gh, forge: o.github };
    }
    throw new BatonError('invalid_input', `repository ${name} has a URL no forge serves: ${url}`, {
      field: 'with.repository',
      hint: 'use an absolute path or file:// URL of a bare repository, or a https://github.com/owner/name URL',
    });
  };
  return {
    async resolve(workspaceId, repository) {
      const registered = await o.findRepositories(repository, [workspaceId]);
      const r = registered[0];
      if (r) return byUrl(r.name, r.url);
      if (localPath(repository) !== null) return byUrl(repository, repository);
      throw new BatonError(
        'not_found',
        `repository "${repository}" is not registered in workspace "${workspaceId}"`,
        {
          field: 'with.repository',
          hint: 'register it (POST /api/v1/workspaces/{ws}/repositories) or give the path of a bare repository',
        },
      );
    },
  };
}
