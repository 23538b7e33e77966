import type { CheckRunCompletedEvent } from '@octokit/webhooks-types';
import { hookCheckRun, hookRepo, hookUser } from '../hookShapes.ts';
import {
  fail,
  noContent,
  notFound,
  ok,
  page,
  route,
  str,
  validationFailed,
  type RestCall,
  type Route,
} from '../http.ts';
import type { GithubService } from '../service.ts';
import { checkRunJson, minimalRepoJson, simpleStatusJson, statusJson, type Schemas } from '../shapes.ts';
import {
  stamp,
  type CheckConclusion,
  type CheckStatus,
  type FakeCheckRun,
  type FakeStatus,
  type StatusState,
} from '../state.ts';
import { actor, num, viaApp } from './actor.ts';

const CHECKS_DOCS = 'https://docs.github.com/rest/checks/runs';
const STATUS_DOCS = 'https://docs.github.com/rest/commits/statuses';
const CHECK_STATUSES: CheckStatus[] = [
  'queued',
  'in_progress',
  'completed',
  'waiting',
  'requested',
  'pending',
];
const CONCLUSIONS: CheckConclusion[] = [
  'success',
  'failure',
  'neutral',
  'cancelled',
  'skipped',
  'timed_out',
  'action_required',
];
const STATES: StatusState[] = ['error', 'failure', 'pending', 'success'];

export interface CheckOptions {
  /** GitHub lets only GitHub Apps (installation tokens) write check runs (default true) */
  checksRequireApp: () => boolean;
}

/** Check runs, commit statuses (and their combined view), and dispatch events. */
export function checkRoutes(svc: GithubService, o: CheckOptions): Route[] {
  const s = svc.state;
  const g = svc.git;

  const runJson = (c: RestCall, run: FakeCheckRun): Schemas['check-run'] =>
    checkRunJson(s, c.repo, run, svc.pullsAt(c.repo, run.headSha));

  const completed = async (c: RestCall, run: FakeCheckRun): Promise<void> => {
    const branch = svc.pullsAt(c.repo, run.headSha)[0]?.head ?? null;
    await svc.emit('check_run', () => {
      const inst = svc.installationLite(c.repo);
      const payload: CheckRunCompletedEvent = {
        action: 'completed',
        check_run: hookCheckRun(s, c.repo, run, svc.pullsAt(c.repo, run.headSha), branch),
        repository: hookRepo(s, c.repo),
        sender: hookUser(s, actor(c)),
        ...(inst ? { installation: inst } : {}),
      };
      return payload;
    });
  };

  /** Applies the writable fields of a create/update body; an error message when invalid. */
  const apply = (run: FakeCheckRun, b: Record<string, unknown>): string | undefined => {
    const status = str(b.status);
    const conclusion = str(b.conclusion);
    if (status !== undefined && !CHECK_STATUSES.includes(status as CheckStatus)) return 'status';
    if (conclusion !== undefined && !CONCLUSIONS.includes(conclusion as CheckConclusion)) return 'conclusion';
    if (typeof b.name === 'string') run.name = b.name;
    if (typeof b.details_url === 'string') run.detailsUrl = b.details_url;
    if (typeof b.external_id === 'string') run.externalId = b.external_id;
    if (typeof b.started_at === 'string') run.startedAt = b.started_at;
    if (typeof b.output === 'object' && b.output !== null) {
      const out = b.output as Record<string, unknown>;
      run.output = {
        title: str(out.title) ?? run.output.title,
        summary: str(out.summary) ?? run.output.summary,
        text: str(out.text) ?? run.output.text,
      };
    }
    if (status !== undefined) run.status = status as CheckStatus;
    if (conclusion !== undefined) {
      run.conclusion = conclusion as CheckConclusion;
      run.status = 'completed';
    }
    if (typeof b.completed_at === 'string') run.completedAt = b.completed_at;
    if (run.status === 'completed') {
      if (run.conclusion === null) return 'conclusion';
      run.completedAt ??= stamp();
    }
    return undefined;
  };

  const combinedState = (latest: FakeStatus[]): string =>
    latest.some((x) => x.state === 'error' || x.state === 'failure')
      ? 'failure'
      : latest.length === 0 || latest.some((x) => x.state === 'pending')
        ? 'pending'
        : 'success';

  return [
    route('POST', '/repos/:owner/:repo/check-runs', async (c) => {
      const docs = `${CHECKS_DOCS}#create-a-check-run`;
      if (o.checksRequireApp() && c.principal.kind !== 'installation')
        return fail(403, 'You must authenticate via a GitHub App.', docs);
      const name = str(c.body.name);
      const headSha = str(c.body.head_sha);
      if (!name || !headSha)
        return validationFailed(
          [{ resource: 'CheckRun', code: 'missing_field', field: name ? 'head_sha' : 'name' }],
          docs,
        );
      const sha = await g.resolve(c.repo.gitDir, headSha);
      if (!sha || sha !== headSha) return fail(422, `No commit found for SHA: ${headSha}`, docs);
      const app = viaApp(c);
      const sibling = c.repo.checkRuns.find((x) => x.headSha === sha && x.app?.id === app?.id);
      const run: FakeCheckRun = {
        id: s.id(),
        suiteId: sibling?.suiteId ?? s.id(),
        headSha: sha,
        name,
        status: 'queued',
        conclusion: null,
        startedAt: stamp(),
        completedAt: null,
        externalId: null,
        detailsUrl: null,
        output: { title: null, summary: null, text: null },
        app,
      };
      const bad = apply(run, c.body);
      if (bad) return validationFailed([{ resource: 'CheckRun', code: 'invalid', field: bad }], docs);
      c.repo.checkRuns.push(run);
      if (run.status === 'completed') await completed(c, run);
      return ok(runJson(c, run), 201);
    }),

    route('PATCH', '/repos/:owner/:repo/check-runs/:id', async (c) => {
      const docs = `${CHECKS_DOCS}#update-a-check-run`;
      const run = c.repo.checkRuns.find((x) => x.id === num(c.params.id));
      if (!run) return notFound(docs);
      const app = viaApp(c);
      if (o.checksRequireApp() && (app === null || run.app?.id !== app.id))
        return fail(403, 'You must authenticate via a GitHub App.', docs);
      const was = run.status;
      const copy = { ...run, output: { ...run.output } };
      const bad = apply(copy, c.body);
      if (bad) return validationFailed([{ resource: 'CheckRun', code: 'invalid', field: bad }], docs);
      Object.assign(run, copy);
      if (run.status === 'completed' && was !== 'completed') await completed(c, run);
      return ok(runJson(c, run));
    }),

    route('GET', '/repos/:owner/:repo/check-runs/:id', (c) => {
      const run = c.repo.checkRuns.find((x) => x.id === num(c.params.id));
      return run ? ok(runJson(c, run)) : notFound(`${CHECKS_DOCS}#get-a-check-run`);
    }),

    route('GET', '/repos/:owner/:repo/commits/:ref/check-runs', async (c) => {
      const sha = await g.resolve(c.repo.gitDir, c.params.ref ?? '');
      if (!sha)
        return fail(
          422,
          `No commit found for SHA: ${c.params.ref}`,
          `${CHECKS_DOCS}#list-check-runs-for-a-git-reference`,
        );
      const name = c.query.get('check_name');
      const status = c.query.get('status');
      let runs = c.repo.checkRuns.filter(
        (x) =>
          x.headSha === sha && (name === null || x.name === name) && (status === null || x.status === status),
      );
      if ((c.query.get('filter') ?? 'latest') === 'latest') {
        const newest = new Map<string, FakeCheckRun>();
        for (const r of runs) newest.set(`${r.app?.id ?? 0}:${r.name}`, r);
        runs = [...newest.values()];
      }
      runs = [...runs].reverse();
      const body: { total_count: number; check_runs: Schemas['check-run'][] } = {
        total_count: runs.length,
        check_runs: runs.map((r) => runJson(c, r)),
      };
      return ok(body);
    }),

    route('POST', '/repos/:owner/:repo/statuses/:sha', async (c) => {
      const docs = `${STATUS_DOCS}#create-a-commit-status`;
      const given = c.params.sha ?? '';
      const sha = await g.resolve(c.repo.gitDir, given);
      if (!sha || sha !== given.toLowerCase()) return fail(422, `No commit found for SHA: ${given}`, docs);
      const state = str(c.body.state);
      if (!state || !STATES.includes(state as StatusState))
        return validationFailed(
          [{ resource: 'Status', code: state ? 'invalid' : 'missing_field', field: 'state' }],
          docs,
        );
      const now = stamp();
      const st: FakeStatus = {
        id: s.id(),
        sha,
        state: state as StatusState,
        context: str(c.body.context) ?? 'default',
        description: str(c.body.description) ?? null,
        targetUrl: str(c.body.target_url) ?? null,
        creator: actor(c),
        createdAt: now,
        updatedAt: now,
      };
      c.repo.statuses.push(st);
      return ok(statusJson(s, c.repo, st), 201);
    }),

    route('GET', '/repos/:owner/:repo/commits/:ref/statuses', async (c) => {
      const sha = await g.resolve(c.repo.gitDir, c.params.ref ?? '');
      if (!sha) return notFound(`${STATUS_DOCS}#list-commit-statuses-for-a-reference`);
      const list = c.repo.statuses.filter((x) => x.sha === sha).reverse();
      return page(
        s,
        c,
        list.map((x) => statusJson(s, c.repo, x)),
      );
    }),

    route('GET', '/repos/:owner/:repo/commits/:ref/status', async (c) => {
      const sha = await g.resolve(c.repo.gitDir, c.params.ref ?? '');
      if (!sha) return notFound(`${STATUS_DOCS}#get-the-combined-status-for-a-specific-reference`);
      const latest = new Map<string, FakeStatus>();
      for (const x of c.repo.statuses) if (x.sha === sha) latest.set(x.context, x);
      const statuses = [...latest.values()];
      const api = `${s.baseUrl}/repos/${s.fullName(c.repo)}`;
      const body: Schemas['combined-commit-status'] = {
        state: combinedState(statuses),
        statuses: statuses.map((x) => simpleStatusJson(s, c.repo, x)),
        sha,
        total_count: statuses.length,
        repository: minimalRepoJson(s, c.repo),
        commit_url: `${api}/commits/${sha}`,
        url: `${api}/commits/${sha}/status`,
      };
      return ok(body);
    }),

    route('POST', '/repos/:owner/:repo/dispatches', (c) => {
      const docs = 'https://docs.github.com/rest/repos/repos#create-a-repository-dispatch-event';
      const eventType = str(c.body.event_type);
      if (!eventType)
        return validationFailed(
          [{ resource: 'Repository', code: 'missing_field', field: 'event_type' }],
          docs,
        );
      const payload = c.body.client_payload;
      if (typeof payload === 'object' && payload !== null && Object.keys(payload).length > 10)
        return fail(422, 'client_payload can have at most 10 top-level properties', docs);
      c.repo.dispatches.push({
        kind: 'repository_dispatch',
        eventType,
        clientPayload: payload ?? {},
        sender: actor(c),
        at: stamp(),
      });
      return noContent();
    }),

    route('POST', '/repos/:owner/:repo/actions/workflows/:workflow/dispatches', async (c) => {
      const docs = 'https://docs.github.com/rest/actions/workflows#create-a-workflow-dispatch-event';
      const ref = str(c.body.ref);
      if (!ref)
        return validationFailed([{ resource: 'Workflow', code: 'missing_field', field: 'ref' }], docs);
      if (!(await g.resolve(c.repo.gitDir, ref))) return fail(422, `No ref found for: ${ref}`, docs);
      c.repo.dispatches.push({
        kind: 'workflow_dispatch',
        workflowId: c.params.workflow ?? '',
        ref,
        inputs: c.body.inputs ?? {},
        sender: actor(c),
        at: stamp(),
      });
      return noContent();
    }),
  ];
}
