import type { IssueCommentCreatedEvent } from '@octokit/webhooks-types';
import { hookComment, hookIssue, hookRepo, hookUser } from '../hookShapes.ts';
import {
  noContent,
  notFound,
  ok,
  page,
  route,
  str,
  validationFailed,
  type Answer,
  type RestCall,
  type Route,
} from '../http.ts';
import type { GithubService } from '../service.ts';
import { commentJson, issueJson, issueLabels, labelJson } from '../shapes.ts';
import { stamp, type FakeIssue, type FakeRepo } from '../state.ts';
import { actor, num, viaApp } from './actor.ts';

const DOCS = 'https://docs.github.com/rest/issues';
const COLORS = ['d73a4a', '0075ca', 'a2eeef', '7057ff', '008672', 'e4e669', 'd876e3', 'cfd3d7'];

const strings = (v: unknown): string[] | undefined =>
  Array.isArray(v)
    ? (v as unknown[]).flatMap((x) => {
        if (typeof x === 'string') return [x];
        if (typeof x === 'object' && x !== null && 'name' in x && typeof x.name === 'string') return [x.name];
        return [];
      })
    : undefined;

/** Issues (pull requests are issues too), issue comments, and labels. */
export function issueRoutes(svc: GithubService): Route[] {
  const s = svc.state;

  const ensureLabels = (r: FakeRepo, names: string[]): string[] =>
    names.map((name) => {
      let l = r.labels.get(name.toLowerCase());
      if (!l) {
        l = { id: s.id(), name, color: COLORS[r.labels.size % COLORS.length] ?? 'ededed', description: null };
        r.labels.set(name.toLowerCase(), l);
      }
      return l.name;
    });
  const withIssue = (f: (c: RestCall, i: FakeIssue) => Promise<Answer> | Answer) => async (c: RestCall) => {
    const i = c.repo.issues.get(num(c.params.number));
    return i ? f(c, i) : notFound(`${DOCS}/issues#get-an-issue`);
  };
  /** an `issues` delivery (opened, closed, reopened, edited) of a plain issue, from its actor */
  const emitIssue = (c: RestCall, i: FakeIssue, action: string, extra: object = {}) =>
    svc.emit('issues', () => ({
      action,
      issue: hookIssue(s, c.repo, i),
      ...extra,
      ...svc.envelope(c.repo, actor(c)),
    }));
  const labelsOf = (c: RestCall, i: FakeIssue): Answer =>
    ok(issueLabels(c.repo, i).map((l) => labelJson(s, c.repo, l)));

  return [
    route('GET', '/repos/:owner/:repo/issues', (c) => {
      const state = c.query.get('state') ?? 'open';
      const labels = (c.query.get('labels') ?? '')
        .split(',')
        .filter(Boolean)
        .map((x) => x.toLowerCase());
      let list = [...c.repo.issues.values()].filter(
        (i) =>
          (state === 'all' || i.state === state) &&
          labels.every((l) => i.labels.some((x) => x.toLowerCase() === l)),
      );
      const sort = c.query.get('sort') ?? 'created';
      const key = (i: FakeIssue): string => (sort === 'updated' ? i.updatedAt : i.createdAt);
      list = list.sort((a, b) => key(a).localeCompare(key(b)) || a.number - b.number);
      if ((c.query.get('direction') ?? 'desc') === 'desc') list.reverse();
      return page(
        s,
        c,
        list.map((i) => issueJson(s, c.repo, i)),
      );
    }),

    route('POST', '/repos/:owner/:repo/issues', async (c) => {
      const title = str(c.body.title);
      if (!title)
        return validationFailed(
          [{ resource: 'Issue', code: 'missing_field', field: 'title' }],
          `${DOCS}/issues#create-an-issue`,
        );
      const i = svc.newIssue(c.repo, actor(c), title, str(c.body.body) ?? null);
      i.labels = ensureLabels(c.repo, strings(c.body.labels) ?? []);
      i.assignees = (strings(c.body.assignees) ?? []).map((l) => s.user(l));
      await emitIssue(c, i, 'opened');
      return ok(issueJson(s, c.repo, i), 201);
    }),

    route(
      'GET',
      '/repos/:owner/:repo/issues/:number',
      withIssue((c, i) => ok(issueJson(s, c.repo, i))),
    ),

    route(
      'PATCH',
      '/repos/:owner/:repo/issues/:number',
      withIssue(async (c, i) => {
        const title = str(c.body.title);
        const state = str(c.body.state);
        if (state !== undefined && state !== 'open' && state !== 'closed')
          return validationFailed(
            [{ resource: 'Issue', field: 'state', code: 'invalid' }],
            `${DOCS}/issues#update-an-issue`,
          );
        const before = { title: i.title, body: i.body };
        if (title !== undefined) i.title = title;
        if (typeof c.body.body === 'string' || c.body.body === null) i.body = c.body.body;
        const labels = strings(c.body.labels);
        if (labels) i.labels = ensureLabels(c.repo, labels);
        const assignees = strings(c.body.assignees);
        if (assignees) i.assignees = assignees.map((l) => s.user(l));
        i.updatedAt = stamp();
        if (state === 'closed' && i.state === 'open') {
          if (i.pull) await svc.closePull(c.repo, i.pull, actor(c));
          else Object.assign(i, { state: 'closed', closedAt: stamp(), closedBy: actor(c) });
          const reason = str(c.body.state_reason);
          i.stateReason = i.pull ? null : reason === 'not_planned' ? 'not_planned' : 'completed';
          if (!i.pull) await emitIssue(c, i, 'closed');
        } else if (state === 'open' && i.state === 'closed' && !i.pull?.merged) {
          Object.assign(i, { state: 'open', closedAt: null, closedBy: null, stateReason: 'reopened' });
          if (!i.pull) await emitIssue(c, i, 'reopened');
        }
        const changes = {
          ...(i.title !== before.title ? { title: { from: before.title } } : {}),
          ...(i.body !== before.body ? { body: { from: before.body ?? '' } } : {}),
        };
        if (!i.pull && Object.keys(changes).length) await emitIssue(c, i, 'edited', { changes });
        return ok(issueJson(s, c.repo, i));
      }),
    ),

    route(
      'GET',
      '/repos/:owner/:repo/issues/:number/comments',
      withIssue((c, i) =>
        page(
          s,
          c,
          c.repo.comments.filter((x) => x.issueNumber === i.number).map((x) => commentJson(s, c.repo, x)),
        ),
      ),
    ),

    route(
      'POST',
      '/repos/:owner/:repo/issues/:number/comments',
      withIssue(async (c, i) => {
        const body = str(c.body.body);
        if (!body)
          return validationFailed(
            [{ resource: 'IssueComment', code: 'missing_field', field: 'body' }],
            `${DOCS}/comments#create-an-issue-comment`,
          );
        const now = stamp();
        const comment = {
          id: s.id(),
          issueNumber: i.number,
          body,
          user: actor(c),
          app: viaApp(c),
          createdAt: now,
          updatedAt: now,
        };
        c.repo.comments.push(comment);
        i.updatedAt = now;
        await svc.emit('issue_comment', () => {
          const inst = svc.installationLite(c.repo);
          const payload: IssueCommentCreatedEvent = {
            action: 'created',
            issue: hookIssue(s, c.repo, i),
            comment: hookComment(s, c.repo, comment),
            repository: hookRepo(s, c.repo),
            sender: hookUser(s, comment.user),
            ...(inst ? { installation: inst } : {}),
          };
          return payload;
        });
        return ok(commentJson(s, c.repo, comment), 201);
      }),
    ),

    route('GET', '/repos/:owner/:repo/issues/comments', (c) =>
      page(
        s,
        c,
        c.repo.comments.map((x) => commentJson(s, c.repo, x)),
      ),
    ),

    route('GET', '/repos/:owner/:repo/issues/comments/:id', (c) => {
      const comment = c.repo.comments.find((x) => x.id === num(c.params.id));
      return comment
        ? ok(commentJson(s, c.repo, comment))
        : notFound(`${DOCS}/comments#get-an-issue-comment`);
    }),

    route('PATCH', '/repos/:owner/:repo/issues/comments/:id', (c) => {
      const docs = `${DOCS}/comments#update-an-issue-comment`;
      const comment = c.repo.comments.find((x) => x.id === num(c.params.id));
      if (!comment) return notFound(docs);
      const body = str(c.body.body);
      if (!body)
        return validationFailed([{ resource: 'IssueComment', code: 'missing_field', field: 'body' }], docs);
      comment.body = body;
      comment.updatedAt = stamp();
      return ok(commentJson(s, c.repo, comment));
    }),

    route('DELETE', '/repos/:owner/:repo/issues/comments/:id', (c) => {
      const at = c.repo.comments.findIndex((x) => x.id === num(c.params.id));
      if (at < 0) return notFound(`${DOCS}/comments#delete-an-issue-comment`);
      c.repo.comments.splice(at, 1);
      return noContent();
    }),

    route(
      'GET',
      '/repos/:owner/:repo/issues/:number/labels',
      withIssue((c, i) => labelsOf(c, i)),
    ),

    route(
      'POST',
      '/repos/:owner/:repo/issues/:number/labels',
      withIssue((c, i) => {
        const names = strings(Array.isArray(c.rawBody) ? c.rawBody : c.body.labels) ?? [];
        for (const n of ensureLabels(c.repo, names))
          if (!i.labels.some((x) => x.toLowerCase() === n.toLowerCase())) i.labels.push(n);
        i.updatedAt = stamp();
        return labelsOf(c, i);
      }),
    ),

    route(
      'PUT',
      '/repos/:owner/:repo/issues/:number/labels',
      withIssue((c, i) => {
        i.labels = ensureLabels(c.repo, strings(Array.isArray(c.rawBody) ? c.rawBody : c.body.labels) ?? []);
        i.updatedAt = stamp();
        return labelsOf(c, i);
      }),
    ),

    route(
      'DELETE',
      '/repos/:owner/:repo/issues/:number/labels/:name',
      withIssue((c, i) => {
        const name = (c.params.name ?? '').toLowerCase();
        if (!i.labels.some((x) => x.toLowerCase() === name))
          return {
            status: 404,
            body: {
              message: 'Label does not exist',
              documentation_url: `${DOCS}/labels#remove-a-label-from-an-issue`,
              status: '404',
            },
          };
        i.labels = i.labels.filter((x) => x.toLowerCase() !== name);
        return labelsOf(c, i);
      }),
    ),
  ];
}
