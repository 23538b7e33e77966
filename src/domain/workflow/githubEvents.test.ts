import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { GITHUB_ROUTED_EVENTS } from '../../forges/github/webhooks/routeGithubEvent.ts';
import { GITHUB_EVENT_ACTIONS, githubEventMatches, githubEventProblem } from './githubEvents.ts';

const require = createRequire(import.meta.url);

describe('GITHUB_EVENT_ACTIONS', () => {
  it('has every event of @octokit/webhooks-types and of the webhook receiver (but ping)', () => {
    const types = readFileSync(require.resolve('@octokit/webhooks-types/schema.d.ts'), 'utf8');
    const map = /export interface EventPayloadMap \{([^}]*)\}/.exec(types)?.[1] ?? '';
    const names = [...map.matchAll(/^\s*(\w+):/gm)].map((m) => m[1]!);
    expect(names.length).toBeGreaterThan(60);
    const known = Object.keys(GITHUB_EVENT_ACTIONS);
    expect(names.filter((n) => n !== 'ping' && !known.includes(n))).toEqual([]);
    expect(GITHUB_ROUTED_EVENTS.filter((n) => !known.includes(n))).toEqual([]);
    expect(known).not.toContain('ping');
  });

  it('accepts the event and action of every example payload GitHub documents', () => {
    const definitions = require('@octokit/webhooks-examples/api.github.com/index.json') as Array<{
      name: string;
      examples: Array<Record<string, unknown>>;
    }>;
    const refused = definitions
      .filter((d) => d.name !== 'ping')
      .flatMap((d) =>
        d.examples.map((e) => (typeof e['action'] === 'string' ? `${d.name}.${e['action']}` : d.name)),
      )
      .filter((spec) => githubEventProblem(spec) !== null);
    expect(refused).toEqual([]);
  });
});

describe('githubEventProblem', () => {
  it('accepts events, their actions, "<event>.*" and any repository_dispatch action', () => {
    for (const ok of [
      'push',
      'issues.labeled',
      'pull_request.*',
      'pull_request',
      'repository_dispatch.deploy-prod',
    ])
      expect(githubEventProblem(ok), ok).toBeNull();
  });

  it('refuses unknown events and actions with a suggestion', () => {
    expect(githubEventProblem('pull_requests.opened')).toBe(
      'unknown GitHub event "pull_requests"; did you mean "pull_request"?',
    );
    expect(githubEventProblem('isues')).toBe('unknown GitHub event "isues"; did you mean "issues"?');
    expect(githubEventProblem('Push')).toBe('unknown GitHub event "Push"; did you mean "push"?');
    expect(githubEventProblem('xyzzy')).toMatch(/^unknown GitHub event "xyzzy": see the "Webhook events/);
    expect(githubEventProblem('issues.labled')).toBe(
      'unknown action "labled" of GitHub\'s "issues" event; did you mean "labeled"?',
    );
    expect(githubEventProblem('check_suite.zzz')).toBe(
      'unknown action "zzz" of GitHub\'s "check_suite" event (one of completed, requested, rerequested, or "*")',
    );
    expect(githubEventProblem('push.created')).toBe('GitHub\'s "push" event has no action: write "push"');
    expect(githubEventProblem('pull_request.merged')).toMatch(
      /"pull_request.closed" with `if: event\.payload\.pull_request\.merged`/,
    );
    expect(githubEventProblem('github.issues.opened')).toMatch(/without "github\." \("issues.opened"\)/);
    expect(githubEventProblem('repository_dispatch.Deploy')).toMatch(/lower case/);
    expect(githubEventProblem('ping')).toMatch(/unknown GitHub event "ping"/);
    expect(githubEventProblem('toString')).toMatch(/unknown GitHub event/);
  });
});

describe('githubEventMatches', () => {
  it('maps a GitHub event spec onto the github.<event>[.<action>] event types', () => {
    expect(githubEventMatches('issues.labeled', 'github.issues.labeled')).toBe(true);
    expect(githubEventMatches('issues.labeled', 'github.issues.unlabeled')).toBe(false);
    expect(githubEventMatches('issues', 'github.issues.opened')).toBe(true);
    expect(githubEventMatches('issues.*', 'github.issues.opened')).toBe(true);
    expect(githubEventMatches('issues', 'github.issue_comment.created')).toBe(false);
    expect(githubEventMatches('pull_request', 'github.pull_request_review.submitted')).toBe(false);
    expect(githubEventMatches('push', 'github.push')).toBe(true);
    expect(githubEventMatches('push', 'push')).toBe(false);
    expect(githubEventMatches('repository_dispatch', 'github.orchestrator.status')).toBe(false);
  });
});
