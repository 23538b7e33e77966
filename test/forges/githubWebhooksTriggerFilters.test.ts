/**
 * `github:` triggers: signed GitHub deliveries (GitHub's own example payloads) start exactly the
 * workflows whose event and filters (label, repository glob, branch, tag, draft) match, with their
 * inputs rendered; invalid filters are refused by the API with line and column.
 */
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApiHarness, type ApiHarness } from '../api/apiHarness.ts';
import { DIALECTS } from '../helpers/dialects.ts';
import { githubDelivery } from './githubWebhookRequests.ts';
import { webhookExample } from '../helpers/webhookExamples.ts';
import { until } from '../helpers/until.ts';

const example = webhookExample;

/** issues.labeled of Codertocat/Hello-World#1 (label "bug"), relabelled and moved as asked. */
function labeled(label: string, repository = 'Codertocat/Hello-World') {
  const p = example('issues', (e) => e['action'] === 'labeled');
  (p['label'] as Record<string, unknown>)['name'] = label;
  (p['repository'] as Record<string, unknown>)['full_name'] = repository;
  return p;
}
/** A push of refs/heads/master, to another ref. */
function push(ref: string) {
  return { ...example('push', (e) => e['ref'] === 'refs/heads/master'), ref };
}
/** pull_request.opened #2 (base master, not a draft), onto another base. */
function opened(base = 'master', draft = false) {
  const p = example('pull_request', (e) => e['action'] === 'opened' && e['number'] === 2);
  const pr = p['pull_request'] as Record<string, Record<string, unknown>>;
  pr['base']!['ref'] = base;
  (pr as Record<string, unknown>)['draft'] = draft;
  return p;
}

const STEP = 'steps:\n  - id: s\n    run: echo "{{ inputs }}"\n';
const WORKFLOWS = {
  'on-agent-label': `
inputs:
  number: { type: number, required: true }
  repo: { type: string, required: true }
triggers:
  - github:
      event: issues.labeled
      label: agent
      repository: "codertocat/*"
      inputs: { number: "{{ event.payload.issue.number }}", repo: "{{ event.payload.repository.full_name }}" }
`,
  'on-push-main': `
inputs:
  ref: { type: string, required: true }
triggers:
  - github: { event: push, branch: [main, "release/**"], inputs: { ref: "{{ event.payload.ref }}" } }
`,
  'on-release-tag': `
inputs:
  ref: { type: string, required: true }
triggers:
  - github: { event: push, tag: "v*", inputs: { ref: "{{ event.payload.ref }}" } }
`,
  'on-pr-to-master': `
inputs:
  number: { type: number, required: true }
  base: { type: string, required: true }
triggers:
  - github:
      event: pull_request.opened
      branch: master
      draft: false
      repository: [acme/demo, Codertocat/Hello-World]
      if: event.payload.number > 0
      inputs: { number: "{{ event.payload.number }}", base: "{{ event.payload.pull_request.base.ref }}" }
`,
  'on-acme': `
triggers:
  - github: { event: "issues.*", repository: "acme/*" }
`,
};

describe.each(DIALECTS)('github: triggers with filters (%s)', (dialect) => {
  let h: ApiHarness;
  beforeEach(async () => {
    h = await createApiHarness(dialect);
    for (const [name, body] of Object.entries(WORKFLOWS)) await h.register(`name: ${name}\n${body}${STEP}`);
  });
  afterEach(async () => h.close());

  const deliver = async (event: string, payload: unknown) => {
    const res = await h.app.inject({ method: 'POST', ...(await githubDelivery(event, payload)) });
    expect(res.statusCode).toBe(202);
    return res.json<{ event_ids: number[] }>().event_ids[0]!;
  };
  /** The inputs of the runs each workflow got (sorted), once every event is dispatched. */
  const started = async () => {
    await until(
      () => h.store.hasUndispatchedEvents(),
      (pending) => !pending,
    );
    const out: Record<string, unknown[]> = {};
    for (const name of Object.keys(WORKFLOWS)) {
      const runs = await h.store.listRuns({ workflowName: name, limit: 20 });
      const inputs = runs.map((r) => JSON.stringify(r.inputs)).sort();
      if (runs.length > 0) out[name] = inputs.map((i) => JSON.parse(i) as unknown);
    }
    return out;
  };

  it('starts a labeled workflow only for its label and repositories, with its inputs', async () => {
    const agent = await deliver('issues', labeled('agent'));
    await deliver('issues', labeled('bug'));
    await deliver('issues', labeled('agent', 'someone/else'));
    await deliver('issues', labeled('AGENT', 'Codertocat/Other')); // names and globs: case-insensitive
    expect(await started()).toEqual({
      'on-agent-label': [
        { number: 1, repo: 'Codertocat/Hello-World' },
        { number: 1, repo: 'Codertocat/Other' },
      ],
    });
    const runs = await h.store.listRuns({ workflowName: 'on-agent-label', limit: 20 });
    const first = runs.find((r) => r.createdBy === `event:${agent}`)!;
    expect(first.trigger).toBe('event');
    const done = await h.finish(first.id);
    expect(done.run.status).toBe('succeeded');
  });

  it('filters pushes by branch and tag', async () => {
    await deliver('push', push('refs/heads/master'));
    await deliver('push', push('refs/heads/main'));
    await deliver('push', push('refs/heads/release/1.0/rc'));
    await deliver('push', push('refs/heads/feature/main'));
    await deliver('push', push('refs/tags/v1.2.0'));
    await deliver('push', push('refs/tags/simple-tag'));
    expect(await started()).toEqual({
      'on-push-main': [{ ref: 'refs/heads/main' }, { ref: 'refs/heads/release/1.0/rc' }],
      'on-release-tag': [{ ref: 'refs/tags/v1.2.0' }],
    });
  });

  it('filters pull requests by action, base branch, draft and repository', async () => {
    await deliver('pull_request', opened());
    await deliver('pull_request', opened('develop'));
    await deliver('pull_request', opened('master', true));
    await deliver(
      'pull_request',
      example('pull_request', (e) => e['action'] === 'converted_to_draft'),
    );
    expect(await started()).toEqual({ 'on-pr-to-master': [{ number: 2, base: 'master' }] });
  });

  it('runs examples/github-triage.yaml from a labeled issue of acme/*', async () => {
    await h.register(readFileSync(new URL('../../examples/github-triage.yaml', import.meta.url), 'utf8'));
    await deliver('issues', labeled('agent', 'acme/demo'));
    await deliver('issues', labeled('agent', 'elsewhere/demo'));
    await started();
    const [run, ...more] = await h.store.listRuns({ workflowName: 'github-triage', limit: 10 });
    expect(more).toEqual([]);
    expect(run!.inputs).toEqual({ kind: 'issue', number: 1, repository: 'acme/demo' });
    expect((await h.finish(run!.id)).run.status).toBe('succeeded');
    expect(await h.logs(run!.id, 'triage')).toContain('triaging issue acme/demo#1');
  });

  it('refuses invalid filters with their line and column', async () => {
    const source = `name: bad
triggers:
  - github:
      event: isues.labeled
      lable: agent
  - github: { event: push, branch: "main[" }
steps:
  - id: s
    run: echo
`;
    const res = await h.app.inject({ method: 'PUT', url: '/api/v1/workflows/bad', payload: { source } });
    expect(res.statusCode).toBe(422);
    expect(res.json<{ errors: unknown[] }>().errors).toEqual([
      {
        line: 4,
        column: 14,
        path: 'triggers[0].github.event',
        message: 'unknown GitHub event "isues"; did you mean "issues"?',
      },
      { line: 5, column: 7, path: 'triggers[0].github.lable', message: 'unknown key; did you mean "label"?' },
      {
        line: 6,
        column: 36,
        path: 'triggers[1].github.branch',
        message: 'invalid branch pattern "main[": not a valid git branch name or glob',
      },
    ]);
  });
});
