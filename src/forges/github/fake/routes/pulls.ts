import type { PullRequestOpenedEvent, PullRequestReopenedEvent } from '@octokit/webhooks-types';
import { hookPull, hookRepo, hookUser } from '../hookShapes.ts';
import {
  fail,
  noContent,
  notFound,
  ok,
  page,
  route,
  str,
  unprocessable,
  validationFailed,
  type Answer,
  type RestCall,
  type Route,
} from '../http.ts';
import type { GithubService } from '../service.ts';
import { commitJson, diffEntryJson } from '../gitShapes.ts';
import { pullJson, pullSimpleJson, userJson, type Schemas } from '../shapes.ts';
import { stamp, type FakePull } from '../state.ts';
import { actor, num } from './actor.ts';

const PULLS_DOCS = 'https://docs.github.com/rest/pulls/pulls';

/** Pull requests: create/list/get/update, files, commits, merge, requested reviewers. */
export function pullRoutes(svc: GithubService): Route[] {
  const s = svc.state;
  const g = svc.git;

  const findPull = (c: RestCall): FakePull | undefined => c.repo.issues.get(num(c.params.number))?.pull;
  const withPull = (f: (c: RestCall, p: FakePull) => Promise<Answer> | Answer) => async (c: RestCall) => {
    const p = findPull(c);
    return p ? f(c, p) : notFound(`${PULLS_DOCS}#get-a-pull-request`);
  };
  const full = async (c: RestCall, p: FakePull, status = 200): Promise<Answer> =>
    ok(pullJson(s, c.repo, p, await svc.pullDetails(c.repo, p)), status);
  const envelope = (c: RestCall) => {
    const inst = svc.installationLite(c.repo);
    return {
      repository: hookRepo(s, c.repo),
      sender: hookUser(s, actor(c)),
      ...(inst ? { installation: inst } : {}),
    };
  };
  /** `owner:branch` or `branch` → the branch, when it names this repository. */
  const ownBranch = (c: RestCall, spec: string): string | undefined => {
    const i = spec.indexOf(':');
    if (i < 0) return spec;
    return spec.slice(0, i).toLowerCase() === c.repo.owner.login.toLowerCase()
      ? spec.slice(i + 1)
      : undefined;
  };

  return [
    route('GET', '/repos/:owner/:repo/pulls', async (c) => {
      const state = c.query.get('state') ?? 'open';
      const head = c.query.get('head');
      const base = c.query.get('base');
      const headBranch = head === null ? undefined : ownBranch(c, head);
      let list = svc
        .pulls(c.repo)
        .filter(
          (p) =>
            (state === 'all' || p.issue.state === state) &&
            (head === null || p.head === headBranch) &&
            (base === null || p.base === base),
        );
      for (const p of list) await svc.refreshPull(c.repo, p);
      const sort = c.query.get('sort') ?? 'created';
      const key = (p: FakePull): string => (sort === 'updated' ? p.issue.updatedAt : p.issue.createdAt);
      list = list.sort((a, b) => key(a).localeCompare(key(b)) || a.number - b.number);
      if ((c.query.get('direction') ?? 'desc') === 'desc') list.reverse();
      return page(
        s,
        c,
        list.map((p) => pullSimpleJson(s, c.repo, p)),
      );
    }),

    route('POST', '/repos/:owner/:repo/pulls', async (c) => {
      const docs = `${PULLS_DOCS}#create-a-pull-request`;
      const title = str(c.body.title);
      const headSpec = str(c.body.head);
      const base = str(c.body.base);
      for (const [field, v] of [
        ['head', headSpec],
        ['base', base],
        ['title', title],
      ] as const)
        if (!v) return validationFailed([{ resource: 'PullRequest', code: 'missing_field', field }], docs);
      const head = ownBranch(c, headSpec ?? '');
      const headSha = head === undefined ? undefined : await g.branchSha(c.repo.gitDir, head);
      if (!head || !headSha)
        return validationFailed([{ resource: 'PullRequest', field: 'head', code: 'invalid' }], docs);
      const baseSha = await g.branchSha(c.repo.gitDir, base ?? '');
      if (!base || !baseSha)
        return validationFailed([{ resource: 'PullRequest', field: 'base', code: 'invalid' }], docs);
      if (svc.pulls(c.repo).some((p) => p.issue.state === 'open' && p.head === head && p.base === base))
        return validationFailed(
          [
            {
              resource: 'PullRequest',
              code: 'custom',
              message: `A pull request already exists for ${c.repo.owner.login}:${head}.`,
            },
          ],
          docs,
        );
      if (await g.isAncestor(c.repo.gitDir, headSha, baseSha))
        return validationFailed(
          [{ resource: 'PullRequest', code: 'custom', message: `No commits between ${base} and ${head}` }],
          docs,
        );
      const user = actor(c);
      const issue = svc.newIssue(c.repo, user, title ?? '', str(c.body.body) ?? null);
      const p: FakePull = {
        id: s.id(),
        number: issue.number,
        issue,
        head,
        base,
        headSha,
        baseSha,
        draft: c.body.draft === true,
        maintainerCanModify: c.body.maintainer_can_modify !== false,
        merged: false,
        mergedAt: null,
        mergedBy: null,
        mergeCommitSha: null,
        requestedReviewers: [],
        requestedTeams: [],
        autoMerge: null,
      };
      issue.pull = p;
      const details = await svc.pullDetails(c.repo, p);
      await svc.emit('pull_request', () => {
        const payload: PullRequestOpenedEvent = {
          action: 'opened',
          number: p.number,
          pull_request: {
            ...hookPull(s, c.repo, p, details),
            state: 'open',
            closed_at: null,
            merged_at: null,
            active_lock_reason: null,
            merged_by: null,
          },
          ...envelope(c),
        };
        return payload;
      });
      return ok(pullJson(s, c.repo, p, details), 201);
    }),

    route(
      'GET',
      '/repos/:owner/:repo/pulls/:number',
      withPull((c, p) => full(c, p)),
    ),

    route(
      'PATCH',
      '/repos/:owner/:repo/pulls/:number',
      withPull(async (c, p) => {
        const docs = `${PULLS_DOCS}#update-a-pull-request`;
        const title = str(c.body.title);
        const body = c.body.body;
        const state = str(c.body.state);
        const base = str(c.body.base);
        if (state !== undefined && state !== 'open' && state !== 'closed')
          return validationFailed([{ resource: 'PullRequest', field: 'state', code: 'invalid' }], docs);
        if (base !== undefined && !(await g.branchSha(c.repo.gitDir, base)))
          return validationFailed([{ resource: 'PullRequest', field: 'base', code: 'invalid' }], docs);
        if (title !== undefined) p.issue.title = title;
        if (typeof body === 'string' || body === null) p.issue.body = body;
        if (base !== undefined) p.base = base;
        if (typeof c.body.maintainer_can_modify === 'boolean')
          p.maintainerCanModify = c.body.maintainer_can_modify;
        p.issue.updatedAt = stamp();
        if (state === 'closed' && p.issue.state === 'open') await svc.closePull(c.repo, p, actor(c));
        if (state === 'open' && p.issue.state === 'closed') {
          if (p.merged) return fail(422, 'state cannot be changed. The pull request has been merged.', docs);
          Object.assign(p.issue, { state: 'open', closedAt: null, closedBy: null, stateReason: 'reopened' });
          const details = await svc.pullDetails(c.repo, p);
          await svc.emit('pull_request', () => {
            const payload: PullRequestReopenedEvent = {
              action: 'reopened',
              number: p.number,
              pull_request: {
                ...hookPull(s, c.repo, p, details),
                state: 'open',
                closed_at: null,
                merged_at: null,
                merged: false,
                merged_by: null,
              },
              ...envelope(c),
            };
            return payload;
          });
        }
        return full(c, p);
      }),
    ),

    route(
      'GET',
      '/repos/:owner/:repo/pulls/:number/files',
      withPull(async (c, p) => {
        await svc.refreshPull(c.repo, p);
        const from = p.diffBase ?? (await g.mergeBase(c.repo.gitDir, p.baseSha, p.headSha));
        const files = from ? await g.diff(c.repo.gitDir, from, p.headSha) : [];
        return page(
          s,
          c,
          files.map((f) => diffEntryJson(s, c.repo, p.headSha, f)),
        );
      }),
    ),

    route(
      'GET',
      '/repos/:owner/:repo/pulls/:number/commits',
      withPull(async (c, p) => {
        await svc.refreshPull(c.repo, p);
        const shas = await g.commitsBetween(c.repo.gitDir, p.diffBase ?? p.baseSha, p.headSha);
        const commits = await Promise.all(shas.map((sha) => g.commit(c.repo.gitDir, sha)));
        return page(
          s,
          c,
          commits.map((x) => commitJson(s, c.repo, x)),
        );
      }),
    ),

    route(
      'GET',
      '/repos/:owner/:repo/pulls/:number/merge',
      withPull((_c, p) =>
        p.merged ? noContent() : notFound(`${PULLS_DOCS}#check-if-a-pull-request-has-been-merged`),
      ),
    ),

    route(
      'PUT',
      '/repos/:owner/:repo/pulls/:number/merge',
      withPull(async (c, p) => {
        const sha = str(c.body.sha);
        const title = str(c.body.commit_title);
        const message = str(c.body.commit_message);
        if (p.draft && p.issue.state === 'open')
          return fail(405, 'Pull Request is still a draft', `${PULLS_DOCS}#merge-a-pull-request`);
        return svc.merge(c.repo, p, actor(c), {
          method: str(c.body.merge_method) ?? 'merge',
          ...(sha ? { sha } : {}),
          ...(title ? { title } : {}),
          ...(message ? { message } : {}),
        });
      }),
    ),

    route(
      'GET',
      '/repos/:owner/:repo/pulls/:number/requested_reviewers',
      withPull((_c, p) => {
        const body: Schemas['pull-request-review-request'] = {
          users: p.requestedReviewers.map((u) => userJson(s, u)),
          teams: [],
        };
        return ok(body);
      }),
    ),

    route(
      'POST',
      '/repos/:owner/:repo/pulls/:number/requested_reviewers',
      withPull((c, p) => {
        const docs =
          'https://docs.github.com/rest/pulls/review-requests#request-reviewers-for-a-pull-request';
        const logins = Array.isArray(c.body.reviewers)
          ? c.body.reviewers.filter((x) => typeof x === 'string')
          : [];
        const teams = Array.isArray(c.body.team_reviewers)
          ? c.body.team_reviewers.filter((x) => typeof x === 'string')
          : [];
        if (logins.some((l) => l.toLowerCase() === p.issue.user.login.toLowerCase()))
          return unprocessable(['Review cannot be requested from pull request author.'], docs);
        for (const login of logins) {
          const u = s.user(login);
          if (!p.requestedReviewers.some((x) => x.id === u.id)) p.requestedReviewers.push(u);
        }
        for (const t of teams) if (!p.requestedTeams.includes(t)) p.requestedTeams.push(t);
        p.issue.updatedAt = stamp();
        return ok(pullSimpleJson(s, c.repo, p), 201);
      }),
    ),

    route(
      'DELETE',
      '/repos/:owner/:repo/pulls/:number/requested_reviewers',
      withPull((c, p) => {
        const logins = Array.isArray(c.body.reviewers)
          ? c.body.reviewers.filter((x) => typeof x === 'string').map((x) => x.toLowerCase())
          : [];
        p.requestedReviewers = p.requestedReviewers.filter((u) => !logins.includes(u.login.toLowerCase()));
        return ok(pullSimpleJson(s, c.repo, p));
      }),
    ),
  ];
}
