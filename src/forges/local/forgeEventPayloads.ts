import type { BareRepo } from './bareRepo.ts';
import type { NewForgeEvent, PullRequestRecord } from './localForgeStore.ts';
import type { LocalForgeEventType } from './localForgeTypes.ts';

/** `baton://<repository name>/pulls/<n>`: local pull requests have no web page of their own. */
export function pullRequestUrl(repo: BareRepo, number: number): string {
  return `baton://${encodeURIComponent(repo.name)}/pulls/${number}`;
}

/**
 * An event about a pull request: repository, number, url, head, base and head_sha (the fields the
 * GitHub deliveries' neutral events carry too), plus `extra`.
 */
export function prEvent(
  type: LocalForgeEventType,
  repo: BareRepo,
  pr: PullRequestRecord,
  extra: Record<string, unknown> = {},
): NewForgeEvent {
  return {
    type,
    payload: {
      forge: 'local',
      repository: repo.path,
      repositoryName: repo.name,
      number: pr.number,
      url: pullRequestUrl(repo, pr.number),
      title: pr.title,
      head: pr.head,
      base: pr.base,
      /** as GitHub's neutral events name it */
      head_sha: pr.headSha,
      ...extra,
    },
  };
}
