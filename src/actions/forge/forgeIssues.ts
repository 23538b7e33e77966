import { BatonError } from '../../domain/errors.ts';
import { issuesOf, type ActionHandler, type SubtreeIssue } from '../ActionContext.ts';

/** The GitHub issue of a Baton issue: its body with where it sits in the tree, and its labels. */
export function githubIssueOf(
  i: SubtreeIssue,
  parentNumber: number | null,
): { title: string; body: string; labels: string[]; state: 'open' | 'closed' } {
  const place = [
    ...(parentNumber === null ? [] : [`Part of #${parentNumber}`]),
    ...(i.order === null ? [] : [`Order: ${i.order} of ${i.siblings}`]),
  ];
  const body = [i.body.trim(), place.join('\n')].filter(Boolean).join('\n\n');
  return {
    title: i.title,
    body,
    labels: ['baton', i.kind, ...(i.order === null ? [] : [`order:${i.order}`])],
    state: i.done ? 'closed' : 'open',
  };
}

/**
 * `forge/issues`: mirrors a Baton issue and everything under it as GitHub issues, parents first (so
 * a child names its parent's number), one GitHub issue per Baton issue (found again by a marker of
 * its id): a second sync edits them (titles, order labels, closed when done), never duplicates.
 */
export const forgeIssues: ActionHandler<{ repository: string; issue: string }> = async (input, ctx) => {
  const repo = await ctx.repos.resolve(ctx.job.uses.workspaceId, input.repository, ctx.signal);
  const forge = repo.forge;
  if (!forge.upsertIssue)
    throw new BatonError(
      'invalid_input',
      `issue sync needs a GitHub repository: ${repo.name} is on the ${forge.kind} forge`,
      { field: 'with.repository', hint: 'name a repository registered with a https://github.com/… URL' },
    );
  const issues = issuesOf(ctx);
  const tree = await issues.subtree(input.issue);
  const numbers = new Map<string, number>();
  const synced: Array<{ id: string; number: number; url: string }> = [];
  for (const i of tree) {
    const parentNumber = i.parentId === null ? null : (numbers.get(i.parentId) ?? i.parentGithubIssueNumber);
    // an issue already in this repository (synced before, or filed here by hand) is edited in place
    const known =
      i.githubIssueNumber !== null && i.githubRepository?.toLowerCase() === repo.ref.toLowerCase()
        ? { number: i.githubIssueNumber }
        : {};
    const gi = await forge.upsertIssue(
      repo.ref,
      { key: i.id, ...known, ...githubIssueOf(i, parentNumber) },
      ctx.signal,
    );
    numbers.set(i.id, gi.number);
    if (i.githubIssueNumber !== gi.number || i.githubRepository !== repo.ref)
      await issues.setGithubIssue(i.id, repo.ref, gi.number);
    synced.push({ id: i.id, number: gi.number, url: gi.url });
    await ctx.log(
      `${gi.created ? 'created' : 'synced'} issue #${gi.number} ${gi.url} (${i.kind} ${i.title})`,
    );
  }
  return { synced: String(synced.length), issues: JSON.stringify(synced) };
};
