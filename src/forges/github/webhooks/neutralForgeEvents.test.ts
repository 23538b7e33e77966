import { describe, expect, it } from 'vitest';
import { neutralForgeEvents } from './neutralForgeEvents.ts';

const repository = { full_name: 'acme/app' };
const pull_request = {
  number: 7,
  html_url: 'https://github.com/acme/app/pull/7',
  title: 'Add it',
  head: { ref: 'run/1-add', sha: 'a'.repeat(40) },
  base: { ref: 'main' },
  merged: true,
  merge_commit_sha: 'b'.repeat(40),
};

describe('neutralForgeEvents', () => {
  it('turns a merged close into pr.merged with the merge sha, shaped like the local forge', () => {
    expect(neutralForgeEvents('pull_request', { action: 'closed', repository, pull_request })).toEqual([
      {
        type: 'pr.merged',
        payload: {
          forge: 'github',
          repository: 'acme/app',
          number: 7,
          url: 'https://github.com/acme/app/pull/7',
          title: 'Add it',
          head: 'run/1-add',
          base: 'main',
          head_sha: 'a'.repeat(40),
          sha: 'b'.repeat(40),
        },
      },
    ]);
    expect(
      neutralForgeEvents('pull_request', {
        action: 'closed',
        repository,
        pull_request: { ...pull_request, merged: false },
      }).map((e) => e.type),
    ).toEqual(['pr.closed']);
  });
  it('gives a review verdict (and pr.changes_requested), and completed checks', () => {
    const review = { state: 'changes_requested', user: { login: 'ann' }, body: 'no', commit_id: 'c' };
    const ev = neutralForgeEvents('pull_request_review', {
      action: 'submitted',
      repository,
      pull_request,
      review,
    });
    expect(ev.map((e) => e.type)).toEqual(['pr.review_submitted', 'pr.changes_requested']);
    expect(ev[0]?.payload).toMatchObject({ verdict: 'changes_requested', author: 'ann', number: 7 });
    const suite = { conclusion: 'failure', head_sha: 'd', pull_requests: [{ number: 7 }] };
    expect(
      neutralForgeEvents('check_suite', { action: 'completed', repository, check_suite: suite }),
    ).toEqual([
      {
        type: 'checks.completed',
        payload: { forge: 'github', repository: 'acme/app', sha: 'd', state: 'failure', numbers: [7] },
      },
    ]);
  });
  it('ignores what has no neutral meaning', () => {
    expect(neutralForgeEvents('push', { repository })).toEqual([]);
    expect(neutralForgeEvents('pull_request', { action: 'labeled', repository, pull_request })).toEqual([]);
  });
});
