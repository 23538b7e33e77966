import { callJson } from '../../run/http/callJson.ts';
import type { JulesSource } from './julesTypes.ts';

/** `owner/repo` out of `owner/repo`, `github.com/owner/repo` or `https://github.com/owner/repo(.git)`. */
export function ownerRepo(repository: string): { owner: string; repo: string } | undefined {
  const m = /^(?:https?:\/\/)?(?:www\.)?(?:github\.com\/)?([\w.-]+)\/([\w.-]+?)(?:\.git)?\/?$/.exec(
    repository,
  );
  return m?.[1] !== undefined && m[2] !== undefined ? { owner: m[1], repo: m[2] } : undefined;
}

/**
 * The Jules source name for a repository: a `sources/…` name is used as is; otherwise `GET /sources`
 * (all pages) is searched for the GitHub repo, so Baton does not guess how Jules spells the name.
 */
export async function resolveJulesSource(
  repository: string,
  baseUrl: string,
  headers: Record<string, string>,
  signal: AbortSignal,
): Promise<string> {
  if (repository.startsWith('sources/')) return repository;
  const wanted = ownerRepo(repository);
  if (wanted === undefined) {
    throw new Error(
      `"${repository}" is not a GitHub repository: give owner/repo, its URL, or a Jules sources/… name`,
    );
  }
  let token: string | undefined;
  do {
    const q = token === undefined ? '' : `?pageToken=${encodeURIComponent(token)}`;
    const page = (await callJson({
      api: 'Jules',
      method: 'GET',
      url: `${baseUrl}/sources${q}`,
      headers,
      signal,
    })) as {
      sources?: JulesSource[];
      nextPageToken?: string;
    };
    const hit = page.sources?.find(
      (s) =>
        s.githubRepo?.owner.toLowerCase() === wanted.owner.toLowerCase() &&
        s.githubRepo.repo.toLowerCase() === wanted.repo.toLowerCase(),
    );
    if (hit) return hit.name;
    token = page.nextPageToken || undefined;
  } while (token !== undefined);
  throw new Error(
    `Jules has no source for ${wanted.owner}/${wanted.repo}: install the Jules GitHub app on that repository (jules.google.com) and try again`,
  );
}
