import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { githubTriggerMatches } from './githubTriggerFilter.ts';
import type { GithubTrigger } from './types.ts';

interface Definition {
  name: string;
  examples: Array<Record<string, unknown>>;
}
const definitions = createRequire(import.meta.url)(
  '@octokit/webhooks-examples/api.github.com/index.json',
) as Definition[];

/** A real example payload of GitHub's (@octokit/webhooks-examples), as the receiver routes it. */
function delivery(event: string, pick: (e: Record<string, unknown>) => boolean = () => true) {
  const payload = definitions.find((d) => d.name === event)!.examples.find(pick)!;
  const action = typeof payload['action'] === 'string' ? `.${payload['action']}` : '';
  return { type: `github.${event}${action}`, payload: { ...payload, delivery: 'd-1' } };
}
const withAction = (action: string) => (e: Record<string, unknown>) => e['action'] === action;
const withRef = (ref: string) => (e: Record<string, unknown>) => e['ref'] === ref;

const matches = (event: string, filter: GithubTrigger['filter'], e: { type: string; payload: unknown }) =>
  githubTriggerMatches({ event, filter }, e);

describe('githubTriggerMatches', () => {
  const labeled = delivery('issues', withAction('labeled')); // label "bug" on Codertocat/Hello-World
  const opened = delivery('pull_request', (e) => e['action'] === 'opened' && e['number'] === 2);
  const pushMaster = delivery('push', withRef('refs/heads/master'));
  const pushTag = delivery('push', withRef('refs/tags/simple-tag'));

  it('matches the event and action, any action, or nothing else', () => {
    expect(matches('issues.labeled', {}, labeled)).toBe(true);
    expect(matches('issues', {}, labeled)).toBe(true);
    expect(matches('issues.*', {}, labeled)).toBe(true);
    expect(matches('issues.unlabeled', {}, labeled)).toBe(false);
    expect(matches('issue_comment', {}, labeled)).toBe(false);
    expect(matches('pull_request', {}, delivery('pull_request_review'))).toBe(false);
    expect(matches('push', {}, pushMaster)).toBe(true);
    expect(matches('push.*', {}, pushMaster)).toBe(true);
  });

  it('reads the label added or removed on *.labeled / *.unlabeled, else the current labels', () => {
    expect(matches('issues.labeled', { labels: ['bug'] }, labeled)).toBe(true);
    expect(matches('issues.labeled', { labels: ['BUG'] }, labeled)).toBe(true);
    expect(matches('issues.labeled', { labels: ['agent'] }, labeled)).toBe(false);
    expect(matches('issues.labeled', { labels: ['agent', 'b*'] }, labeled)).toBe(true);
    // a labeled event for another label, on an issue that already carries the filtered one
    const other = { ...labeled, payload: { ...labeled.payload, label: { name: 'docs' } } };
    expect(matches('issues.labeled', { labels: ['bug'] }, other)).toBe(false);
    expect(
      matches('issues.unlabeled', { labels: ['bug'] }, delivery('issues', withAction('unlabeled'))),
    ).toBe(true);
    // other actions: the issue's / pull request's current labels
    expect(matches('issues.opened', { labels: ['bug'] }, delivery('issues', withAction('opened')))).toBe(
      true,
    );
    expect(matches('issue_comment', { labels: ['bug'] }, delivery('issue_comment'))).toBe(true);
    expect(matches('pull_request', { labels: ['bug'] }, delivery('pull_request', withAction('closed')))).toBe(
      true,
    );
    expect(matches('pull_request.opened', { labels: ['bug'] }, opened)).toBe(false); // no labels
    expect(
      matches('discussion.labeled', { labels: ['bug'] }, delivery('discussion', withAction('labeled'))),
    ).toBe(true);
  });

  it('filters repositories by name or glob, case-insensitively, with exclusions', () => {
    expect(matches('push', { repositories: ['codertocat/hello-world'] }, pushMaster)).toBe(true);
    expect(matches('push', { repositories: ['Codertocat/*'] }, pushMaster)).toBe(true);
    expect(matches('push', { repositories: ['acme/*', 'other/x'] }, pushMaster)).toBe(false);
    expect(matches('push', { repositories: ['*/*', '!Codertocat/Hello-*'] }, pushMaster)).toBe(false);
    expect(matches('push', { repositories: ['!acme/*'] }, pushMaster)).toBe(true);
  });

  it('filters branches: push refs/heads, pull request base, check and workflow head branches', () => {
    expect(matches('push', { branches: ['master'] }, pushMaster)).toBe(true);
    expect(matches('push', { branches: ['main'] }, pushMaster)).toBe(false);
    expect(matches('push', { branches: ['ma*'] }, pushMaster)).toBe(true);
    expect(matches('push', { branches: ['**'] }, pushTag)).toBe(false); // a tag push has no branch
    expect(matches('pull_request.opened', { branches: ['master'] }, opened)).toBe(true);
    expect(matches('pull_request.opened', { branches: ['release/*'] }, opened)).toBe(false);
    expect(matches('pull_request_review', { branches: ['master'] }, delivery('pull_request_review'))).toBe(
      true,
    );
    expect(matches('check_suite', { branches: ['changes'] }, delivery('check_suite'))).toBe(true);
    expect(matches('check_run', { branches: ['changes'] }, delivery('check_run'))).toBe(true);
    expect(matches('workflow_run', { branches: ['main'] }, delivery('workflow_run'))).toBe(true);
    expect(matches('merge_group', { branches: ['main'] }, delivery('merge_group'))).toBe(true);
    const renovate = delivery('workflow_job', (e) => JSON.stringify(e).includes('renovate/got'));
    expect(matches('workflow_job', { branches: ['renovate/*'] }, renovate)).toBe(true);
    expect(matches('workflow_job', { branches: ['renovate'] }, renovate)).toBe(false);
    expect(matches('workflow_job', { branches: ['*', '!renovate/**'] }, renovate)).toBe(false);
  });

  it('filters tags: push refs/tags, created tags, releases; with branches, either passes', () => {
    expect(matches('push', { tags: ['simple-*'] }, pushTag)).toBe(true);
    expect(matches('push', { tags: ['v*'] }, pushTag)).toBe(false);
    expect(matches('push', { tags: ['**'] }, pushMaster)).toBe(false);
    expect(matches('push', { branches: ['master'], tags: ['simple-tag'] }, pushMaster)).toBe(true);
    expect(matches('push', { branches: ['master'], tags: ['simple-tag'] }, pushTag)).toBe(true);
    expect(matches('push', { branches: ['main'], tags: ['v*'] }, pushTag)).toBe(false);
    expect(matches('create', { tags: ['simple-tag'] }, delivery('create'))).toBe(true);
    expect(matches('create', { branches: ['simple-tag'] }, delivery('create'))).toBe(false);
    expect(
      matches('release.published', { tags: ['0.*'] }, delivery('release', withAction('published'))),
    ).toBe(true);
  });

  it('filters actors (sender.login) and draft pull requests', () => {
    expect(matches('push', { actors: ['codertocat'] }, pushMaster)).toBe(true);
    expect(matches('push', { actors: ['!*[bot]'] }, pushMaster)).toBe(true);
    const bot = delivery('workflow_job', (e) => JSON.stringify(e['sender']).includes('renovate[bot]'));
    expect(matches('workflow_job', { actors: ['!*[bot]'] }, bot)).toBe(false);
    expect(matches('workflow_job', { actors: ['renovate[bot]'] }, bot)).toBe(true);
    expect(matches('pull_request.opened', { draft: false }, opened)).toBe(true);
    expect(matches('pull_request.opened', { draft: true }, opened)).toBe(false);
    const draft = delivery('pull_request', withAction('converted_to_draft'));
    expect(matches('pull_request', { draft: true }, draft)).toBe(true);
  });

  it('does not match (and never throws) when the payload lacks what a filter reads', () => {
    const odd: Array<{ type: string; payload: unknown }> = [
      { type: 'github.push', payload: null },
      { type: 'github.push', payload: [] },
      { type: 'github.push', payload: { ref: 42, repository: 'x', sender: { login: null } } },
      {
        type: 'github.issues.labeled',
        payload: { action: 'labeled', label: null, issue: { labels: 'bug' } },
      },
      { type: 'github.pull_request.opened', payload: { pull_request: { base: [], labels: [null, 3] } } },
      { type: 'github.push', payload: Object.create(null) as unknown },
    ];
    const filters: GithubTrigger['filter'][] = [
      { labels: ['*'] },
      { repositories: ['*/*'] },
      { branches: ['**'] },
      { tags: ['**'] },
      { actors: ['*'] },
      { draft: false },
    ];
    for (const e of odd) {
      for (const filter of filters) {
        const event = e.type.slice('github.'.length);
        expect(matches(event, filter, e), `${e.type} ${JSON.stringify(filter)}`).toBe(false);
      }
      expect(matches(e.type.slice('github.'.length), {}, e)).toBe(true);
    }
    // a label filter on a push: never
    expect(matches('push', { labels: ['bug'] }, pushMaster)).toBe(false);
  });
});
