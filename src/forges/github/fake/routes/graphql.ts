import { mergeRulesHold, setAutoMerge, sweepAutoMerge } from '../autoMerge.ts';
import { ok, route, type Answer, type RestCall, type Route } from '../http.ts';
import type { GithubService } from '../service.ts';
import { nodeId, stamp, type FakePull, type FakeRepo, type MergeMethod } from '../state.ts';
import { actor } from './actor.ts';

const MUTATION = /\b(enablePullRequestAutoMerge|disablePullRequestAutoMerge)\s*\(/;
const METHODS: Record<string, MergeMethod> = { MERGE: 'merge', SQUASH: 'squash', REBASE: 'rebase' };

/** A GraphQL answer with one error, as GitHub words them (HTTP 200). */
const gqlError = (field: string | null, type: string, message: string): Answer =>
  ok({
    ...(field ? { data: { [field]: null } } : {}),
    errors: [{ type, ...(field ? { path: [field] } : {}), locations: [{ line: 2, column: 3 }], message }],
  });

/** An argument given as a variable (`$name`) or inline (`name: "…"` / `name: ENUM`). */
function argument(query: string, variables: Record<string, unknown>, name: string): string | undefined {
  const inline = new RegExp(`\\b${name}\\s*:\\s*(?:"([^"]*)"|\\$(\\w+)|([A-Z_]+))`).exec(query);
  if (!inline) return undefined;
  if (inline[1] !== undefined) return inline[1];
  if (inline[3] !== undefined) return inline[3];
  const v = variables[inline[2] ?? ''];
  return typeof v === 'string' ? v : undefined;
}

/**
 * `POST /graphql`: the two mutations of GitHub's auto-merge, `enablePullRequestAutoMerge(input:
 * {pullRequestId, mergeMethod})` and `disablePullRequestAutoMerge(input: {pullRequestId})`, with
 * arguments as variables or inline. Enabling on a pull request that can be merged right now is
 * refused like GitHub ("Pull request is in clean status"). Other queries answer a GraphQL error.
 */
export function graphqlRoutes(svc: GithubService): Route[] {
  const s = svc.state;
  const findPull = (c: RestCall, id: string): { r: FakeRepo; p: FakePull } | undefined => {
    for (const r of s.repos.values()) {
      if (!s.canSee(c.principal, r)) continue;
      const p = svc.pulls(r).find((x) => nodeId('PR', x.id) === id);
      if (p) return { r, p };
    }
    return undefined;
  };
  const answer = (field: string, p: FakePull): Answer =>
    ok({
      data: {
        [field]: {
          pullRequest: {
            id: nodeId('PR', p.id),
            number: p.number,
            autoMergeRequest: p.autoMerge
              ? {
                  enabledAt: stamp(),
                  mergeMethod: p.autoMerge.mergeMethod.toUpperCase(),
                  enabledBy: { login: p.autoMerge.enabledBy.login },
                }
              : null,
          },
        },
      },
    });

  return [
    route('POST', '/graphql', async (c) => {
      const query = typeof c.body.query === 'string' ? c.body.query : '';
      const variables =
        typeof c.body.variables === 'object' && c.body.variables !== null
          ? (c.body.variables as Record<string, unknown>)
          : {};
      const hitField = MUTATION.exec(query);
      const field = hitField?.[1];
      if (!hitField || !field)
        return gqlError(null, 'NOT_SUPPORTED', 'The fake GitHub answers only the auto-merge mutations');
      // the field's own arguments (not the operation's `$variable: Type` declarations)
      const args = query.slice(hitField.index + hitField[0].length);
      const id = argument(args, variables, 'pullRequestId') ?? '';
      const hit = findPull(c, id);
      if (!hit)
        return gqlError(field, 'NOT_FOUND', `Could not resolve to a node with the global id of '${id}'.`);
      const { r, p } = hit;
      if (field === 'disablePullRequestAutoMerge') {
        setAutoMerge(p, null, actor(c));
        return answer(field, p);
      }
      const method = METHODS[argument(args, variables, 'mergeMethod') ?? 'MERGE'];
      if (!method) return gqlError(field, 'INVALID', 'mergeMethod must be MERGE, SQUASH or REBASE');
      if (p.issue.state !== 'open' || p.merged)
        return gqlError(
          field,
          'UNPROCESSABLE',
          'Pull request is not in the correct state to enable auto-merge',
        );
      if (await mergeRulesHold(svc, r, p))
        return gqlError(field, 'UNPROCESSABLE', 'Pull request is in clean status');
      setAutoMerge(p, method, actor(c));
      const a = answer(field, p);
      await sweepAutoMerge(svc, r);
      return a;
    }),
  ];
}
