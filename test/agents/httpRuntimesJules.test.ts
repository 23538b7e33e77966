import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeJules, type FakeJules } from '../../src/agents/fakes/fakeJules.ts';
import type { HttpAgentLaunch, JulesPlan } from '../../src/agents/run/HttpAgentRuntime.ts';
import { julesRuntime } from '../../src/agents/runtimes/jules/julesRuntime.ts';
import { patchFileChanges } from '../../src/agents/runtimes/jules/patchFileChanges.ts';
import type { TranscriptEvent } from '../../src/agents/transcript/transcriptEvent.ts';

const KEY = 'jules-test-key-0123456789';
let fake: FakeJules;
beforeAll(async () => {
  fake = await startFakeJules({
    apiKey: KEY,
    script: (prompt) => (prompt.includes('[fail]') ? { failReason: 'the build is broken' } : {}),
  });
});
afterAll(() => fake.close());

const launch = (prompt = 'add a health route', apiKey = KEY): HttpAgentLaunch => ({
  prompt,
  endpoint: { baseUrl: fake.baseUrl, apiKey },
  source: { repository: 'acme/demo', branch: 'main' },
});

describe('jules HTTP runtime (stateful fake of the v1alpha API)', () => {
  it('asks onPlan, approves, and completes with the PR URL, the patch and file_change events in order', async () => {
    const events: TranscriptEvent[] = [];
    const plans: JulesPlan[] = [];
    const result = await julesRuntime.run(launch(), {
      pollIntervalMs: 5,
      onEvent: (e) => events.push(e),
      onPlan: (plan) => {
        plans.push(plan);
        return Promise.resolve('approved');
      },
    });
    expect(result.status).toBe('succeeded');
    expect(plans).toEqual([
      { id: 'plan-1', steps: [{ title: 'Add the health route' }, { title: 'Document it' }] },
    ]);
    expect(result.outputs.pullRequestUrl).toMatch(/^https:\/\/github\.com\/acme\/demo\/pull\/\d+$/);
    expect(result.outputs.patch).toContain('+++ b/src/health.ts');
    expect(result.summary.files_changed).toEqual([
      { path: 'src/health.ts', change: 'add' },
      { path: 'README.md', change: 'modify' },
    ]);
    expect(result.summary.commands).toEqual([{ command: 'npm test', exit_code: 0 }]);
    expect(result.sessionId).toBe(result.outputs.sessionId);
    const kinds = events.filter((e) => e.kind !== 'status').map((e) => e.kind);
    expect(kinds).toEqual(['session', 'plan', 'command', 'file_change', 'file_change', 'message', 'result']);
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i));
    const create = fake.calls.find((c) => c.method === 'POST' && c.path === '/v1alpha/sessions');
    expect(create?.body).toMatchObject({
      sourceContext: { source: 'sources/github-acme-demo', githubRepoContext: { startingBranch: 'main' } },
      requirePlanApproval: true,
      automationMode: 'AUTO_CREATE_PR',
    });
    expect(fake.calls.some((c) => c.path.endsWith(':approvePlan'))).toBe(true);
    expect(fake.calls.some((c) => c.query.get('pageToken') !== null)).toBe(true);
    expect(JSON.stringify(events)).not.toContain(KEY);
  });

  it('ends a rejected plan as failed with the reason and does not approve it', async () => {
    const before = fake.calls.filter((c) => c.path.endsWith(':approvePlan')).length;
    const result = await julesRuntime.run(launch(), {
      pollIntervalMs: 5,
      onPlan: () => Promise.resolve('rejected'),
    });
    expect(result.status).toBe('failed');
    expect(result.reason).toMatch(/^plan rejected/);
    expect(fake.calls.filter((c) => c.path.endsWith(':approvePlan')).length).toBe(before);
  });

  it('runs without plan approval when no onPlan is given, and reports a failed session', async () => {
    const result = await julesRuntime.run(launch('[fail] add it'), { pollIntervalMs: 5 });
    expect(result.status).toBe('failed');
    expect(result.reason).toContain('the build is broken');
  });

  it('fails on a bad key with a message naming X-Goog-Api-Key, without the key', async () => {
    const result = await julesRuntime.run(launch('x', 'wrong-key-abcdef'), { pollIntervalMs: 5 });
    expect(result.status).toBe('failed');
    expect(result.reason).toContain('Jules rejected the API key (HTTP 401)');
    expect(result.reason).toContain('X-Goog-Api-Key');
    expect(result.reason).not.toContain('wrong-key-abcdef');
  });

  it('ends at the wall-time limit on a slow session', async () => {
    const slow = await startFakeJules({ apiKey: KEY, stepMs: 10_000 });
    try {
      const result = await julesRuntime.run(
        { ...launch(), endpoint: { baseUrl: slow.baseUrl, apiKey: KEY } },
        { pollIntervalMs: 20, limits: { maxWallMs: 300 } },
      );
      expect(result.status).toBe('timed_out');
      expect(result.durationMs).toBeLessThan(3000);
    } finally {
      await slow.close();
    }
  });

  it('ends a 429 as rate_limited with the reset time', async () => {
    const limited = await startFakeJules({ apiKey: KEY, rateLimit: { times: 1, retryAfterSec: 90 } });
    try {
      const before = Date.now();
      const result = await julesRuntime.run({
        ...launch(),
        endpoint: { baseUrl: limited.baseUrl, apiKey: KEY },
      });
      expect(result.status).toBe('rate_limited');
      expect(result.rateLimitResetAt).toBeGreaterThanOrEqual(before + 89_000);
    } finally {
      await limited.close();
    }
  });

  it('reads file paths and kinds out of a unified diff', () => {
    const changes = patchFileChanges(
      [
        '--- a/old.txt',
        '+++ /dev/null',
        '@@ -1 +0,0 @@',
        '-x',
        '--- a/b.txt',
        '+++ b/b.txt',
        '@@ -1 +1 @@',
        '-a',
        '+b',
      ].join('\n'),
    );
    expect(changes.map((c) => [c.path, c.change])).toEqual([
      ['old.txt', 'delete'],
      ['b.txt', 'modify'],
    ]);
  });
});
