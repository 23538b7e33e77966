import type { PullRequestReviewSubmittedEvent } from '@octokit/webhooks-types';
import { locateInPatch } from '../diffPosition.ts';
import { hookRepo, hookReview, hookSimplePull, hookUser } from '../hookShapes.ts';
import {
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
import { reviewCommentJson, reviewJson } from '../shapes.ts';
import { stamp, type FakePull, type FakeReview, type FakeReviewComment, type ReviewState } from '../state.ts';
import { actor, num } from './actor.ts';

const DOCS = 'https://docs.github.com/rest/pulls/reviews';
const EVENTS: Record<string, ReviewState> = {
  APPROVE: 'APPROVED',
  REQUEST_CHANGES: 'CHANGES_REQUESTED',
  COMMENT: 'COMMENTED',
};

interface DraftComment {
  path?: unknown;
  position?: unknown;
  line?: unknown;
  side?: unknown;
  start_line?: unknown;
  body?: unknown;
}

/** Reviews (with inline comments) and review comments. */
export function reviewRoutes(svc: GithubService): Route[] {
  const s = svc.state;
  const g = svc.git;

  const withPull = (f: (c: RestCall, p: FakePull) => Promise<Answer> | Answer) => async (c: RestCall) => {
    const p = c.repo.issues.get(num(c.params.number))?.pull;
    return p ? f(c, p) : notFound(`${DOCS}#list-reviews-for-a-pull-request`);
  };

  /** The checks GitHub makes before a review is submitted with `event`. */
  const refuse = (
    p: FakePull,
    c: RestCall,
    event: string,
    body: string,
    comments: number,
  ): Answer | undefined => {
    const docs = `${DOCS}#create-a-review-for-a-pull-request`;
    if (!(event in EVENTS))
      return validationFailed([{ resource: 'PullRequestReview', field: 'event', code: 'invalid' }], docs);
    const own = actor(c).id === p.issue.user.id;
    if (own && event === 'APPROVE') return unprocessable(['Can not approve your own pull request'], docs);
    if (own && event === 'REQUEST_CHANGES')
      return unprocessable(['Can not request changes on your own pull request'], docs);
    if (body === '' && (event === 'REQUEST_CHANGES' || (event === 'COMMENT' && comments === 0)))
      return unprocessable([`Review body can't be blank when using ${event}`], docs);
    return undefined;
  };

  const submitted = async (c: RestCall, p: FakePull, v: FakeReview): Promise<void> => {
    p.requestedReviewers = p.requestedReviewers.filter((u) => u.id !== v.user.id);
    p.issue.updatedAt = stamp();
    await svc.emit('pull_request_review', () => {
      const inst = svc.installationLite(c.repo);
      const payload: PullRequestReviewSubmittedEvent = {
        action: 'submitted',
        review: hookReview(s, c.repo, v),
        pull_request: hookSimplePull(s, c.repo, p),
        repository: hookRepo(s, c.repo),
        sender: hookUser(s, v.user),
        ...(inst ? { installation: inst } : {}),
      };
      return payload;
    });
  };

  return [
    route(
      'POST',
      '/repos/:owner/:repo/pulls/:number/reviews',
      withPull(async (c, p) => {
        const docs = `${DOCS}#create-a-review-for-a-pull-request`;
        await svc.refreshPull(c.repo, p);
        const user = actor(c);
        const event = str(c.body.event);
        const body = str(c.body.body) ?? '';
        const drafts = (Array.isArray(c.body.comments) ? c.body.comments : []) as DraftComment[];
        if (event !== undefined) {
          const no = refuse(p, c, event, body, drafts.length);
          if (no) return no;
        } else if (
          c.repo.reviews.some(
            (v) => v.pullNumber === p.number && v.user.id === user.id && v.state === 'PENDING',
          )
        )
          return unprocessable(['User can only have one pending review per pull request'], docs);
        const commitId = str(c.body.commit_id) ?? p.headSha;
        if (!(await g.resolve(c.repo.gitDir, commitId)))
          return validationFailed(
            [{ resource: 'PullRequestReview', field: 'commit_id', code: 'invalid' }],
            docs,
          );
        // place the inline comments before anything is stored
        const placed: Omit<FakeReviewComment, 'id' | 'reviewId'>[] = [];
        if (drafts.length > 0) {
          const mb = p.diffBase ?? (await g.mergeBase(c.repo.gitDir, p.baseSha, commitId));
          const files = mb ? await g.diff(c.repo.gitDir, mb, commitId) : [];
          for (const d of drafts) {
            const path = str(d.path);
            const text = str(d.body);
            const file = files.find((f) => f.filename === path);
            if (!path || !text || !file?.patch) return unprocessable(['Path could not be resolved'], docs);
            const spot = locateInPatch(file.patch, {
              ...(typeof d.position === 'number' ? { position: d.position } : {}),
              ...(typeof d.line === 'number' ? { line: d.line } : {}),
              ...(d.side === 'LEFT' || d.side === 'RIGHT' ? { side: d.side } : {}),
            });
            if (!spot)
              return unprocessable(['Pull request review thread line must be part of the diff'], docs);
            const now = stamp();
            placed.push({
              pullNumber: p.number,
              path,
              position: spot.position,
              line: spot.line,
              side: spot.side,
              startLine: typeof d.start_line === 'number' ? d.start_line : null,
              body: text,
              user,
              commitId,
              diffHunk: spot.diffHunk,
              createdAt: now,
              updatedAt: now,
            });
          }
        }
        const v: FakeReview = {
          id: s.id(),
          pullNumber: p.number,
          user,
          body,
          state: event === undefined ? 'PENDING' : (EVENTS[event] ?? 'COMMENTED'),
          commitId,
          submittedAt: event === undefined ? null : stamp(),
        };
        c.repo.reviews.push(v);
        for (const x of placed) c.repo.reviewComments.push({ ...x, id: s.id(), reviewId: v.id });
        if (v.state !== 'PENDING') await submitted(c, p, v);
        return ok(reviewJson(s, c.repo, v));
      }),
    ),

    route(
      'GET',
      '/repos/:owner/:repo/pulls/:number/reviews',
      withPull((c, p) =>
        page(
          s,
          c,
          c.repo.reviews
            .filter((v) => v.pullNumber === p.number && (v.state !== 'PENDING' || isCaller(c, v.user.id)))
            .map((v) => reviewJson(s, c.repo, v)),
        ),
      ),
    ),

    route(
      'GET',
      '/repos/:owner/:repo/pulls/:number/reviews/:id',
      withPull((c, p) => {
        const v = c.repo.reviews.find((x) => x.id === num(c.params.id) && x.pullNumber === p.number);
        return v ? ok(reviewJson(s, c.repo, v)) : notFound(`${DOCS}#get-a-review-for-a-pull-request`);
      }),
    ),

    route(
      'POST',
      '/repos/:owner/:repo/pulls/:number/reviews/:id/events',
      withPull(async (c, p) => {
        const v = c.repo.reviews.find((x) => x.id === num(c.params.id) && x.pullNumber === p.number);
        if (!v || v.user.id !== actor(c).id) return notFound(`${DOCS}#submit-a-review-for-a-pull-request`);
        if (v.state !== 'PENDING')
          return unprocessable(
            ['Can not submit a review that is not pending'],
            `${DOCS}#submit-a-review-for-a-pull-request`,
          );
        const event = str(c.body.event) ?? '';
        const body = str(c.body.body) ?? v.body;
        const comments = c.repo.reviewComments.filter((x) => x.reviewId === v.id).length;
        const no = refuse(p, c, event, body, comments);
        if (no) return no;
        Object.assign(v, { state: EVENTS[event] ?? 'COMMENTED', body, submittedAt: stamp() });
        await submitted(c, p, v);
        return ok(reviewJson(s, c.repo, v));
      }),
    ),

    route(
      'GET',
      '/repos/:owner/:repo/pulls/:number/comments',
      withPull((c, p) => {
        const visible = (x: FakeReviewComment): boolean => {
          const v = c.repo.reviews.find((r) => r.id === x.reviewId);
          return v?.state !== 'PENDING' || isCaller(c, x.user.id);
        };
        return page(
          s,
          c,
          c.repo.reviewComments
            .filter((x) => x.pullNumber === p.number && visible(x))
            .map((x) => reviewCommentJson(s, c.repo, x)),
        );
      }),
    ),
  ];
}

const isCaller = (c: RestCall, userId: number): boolean =>
  (c.principal.kind === 'user' || c.principal.kind === 'installation') && c.principal.user.id === userId;
