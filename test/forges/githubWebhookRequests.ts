import { createHmac, randomUUID } from 'node:crypto';
import { sign } from '@octokit/webhooks-methods';
import { TEST_GITHUB_SECRET, TEST_SECURITY_SECRET } from '../api/apiHarness.ts';

export interface WebhookRequest {
  url: string;
  payload: string;
  headers: Record<string, string>;
}

/**
 * A GitHub delivery as GitHub sends it, signed with Octokit's own `sign` (not Baton's code).
 * `signature: null` leaves the header out; `body` replaces the signed body (a truncated one).
 */
export async function githubDelivery(
  event: string,
  payload: unknown,
  opts: { id?: string; secret?: string; signature?: string | null; body?: string } = {},
): Promise<WebhookRequest> {
  const json = JSON.stringify(payload);
  const signature =
    opts.signature === undefined ? await sign(opts.secret ?? TEST_GITHUB_SECRET, json) : opts.signature;
  return {
    url: '/webhooks/github',
    payload: opts.body ?? json,
    headers: {
      'content-type': 'application/json',
      'user-agent': 'GitHub-Hookshot/test',
      'x-github-event': event,
      'x-github-delivery': opts.id ?? randomUUID(),
      'x-github-hook-id': '1',
      ...(signature === null ? {} : { 'x-hub-signature-256': signature }),
    },
  };
}

/** A security-scanner delivery signed over `timestamp.body` (computed here, independently of Baton). */
export function securityDelivery(
  body: unknown,
  opts: { timestamp?: number; secret?: string; id?: string; signature?: string } = {},
): WebhookRequest {
  const json = JSON.stringify(body);
  const ts = String(opts.timestamp ?? Math.floor(Date.now() / 1000));
  const hmac = createHmac('sha256', opts.secret ?? TEST_SECURITY_SECRET)
    .update(`${ts}.${json}`)
    .digest('hex');
  return {
    url: '/webhooks/security',
    payload: json,
    headers: {
      'content-type': 'application/json',
      'x-baton-timestamp': ts,
      'x-baton-signature': opts.signature ?? `sha256=${hmac}`,
      ...(opts.id === undefined ? {} : { 'x-baton-delivery': opts.id }),
    },
  };
}

export const SAMPLE_FINDINGS = {
  scanner: 'trivy',
  findings: [
    {
      severity: 'HIGH',
      title: 'lodash prototype pollution',
      repository: 'octo-org/octo-repo',
      cve: 'CVE-2020-8203',
    },
    { severity: 'low', title: 'outdated base image', repository: 'octo-org/octo-repo' },
  ],
};

/** An `issue_comment.created` payload: `login` (with `association`) comments on pull request #12 Baton opened for `runId`. */
export const runPullRequestComment = (runId: string, body: string, association: string, login: string) => ({
  action: 'created',
  repository: { full_name: 'acme/app', name: 'app', owner: { login: 'acme' } },
  issue: {
    number: 12,
    html_url: 'https://github.com/acme/app/pull/12',
    pull_request: { url: 'https://api.github.com/repos/acme/app/pulls/12' },
    body: `## Plan\n\nx\n\n---\nOpened by Baton (run ${runId}, step pr).\n`,
  },
  comment: { body, author_association: association, user: { login } },
});
