import { stripMarkers } from '../githubMarkers.ts';

/**
 * What a GitHub `issues` delivery asks of the Baton issue it mirrors (found by the hidden
 * `<!-- baton:issue=<id> -->` marker `forge/issues` writes): closed on GitHub → complete it,
 * reopened → reopen it, title or text edited → edit it.
 */
export type IssueSyncCommand =
  | { kind: 'complete' | 'reopen'; issueId: string; githubNumber: number; repository: string; by: string }
  | {
      kind: 'edit';
      issueId: string;
      githubNumber: number;
      repository: string;
      by: string;
      title: string;
      body: string;
    };

export type ParsedIssueSync =
  { kind: 'none'; reason: string } | { kind: 'command'; command: IssueSyncCommand };

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj | undefined =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : undefined;
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** The Baton issue id in a GitHub issue's body, or null. */
export function mirroredIssueId(body: unknown): string | null {
  const m = /<!-- baton:issue=([0-9A-Za-z_-]{1,100}) -->/.exec(str(body) ?? '');
  return m?.[1] ?? null;
}

/**
 * What a reader wrote in a mirrored issue's body: without Baton's markers and the trailing lines
 * `forge/issues` adds (`Part of #<n>`, `Order: <i> of <n>`).
 */
export function readerBody(body: unknown): string {
  const lines = stripMarkers(str(body) ?? '')
    .replace(/\r\n/g, '\n')
    .split('\n');
  while (lines.length && /^(Part of #\d+|Order: \d+ of \d+|\s*)$/.test(lines.at(-1) ?? '')) lines.pop();
  return lines.join('\n').trim();
}

/**
 * An `issues` delivery (closed, reopened or edited) of an issue mirroring a Baton issue. Baton's
 * own writes (a sender of type `Bot`: the App) are not echoed back. Whether the delivery may act on
 * that Baton issue (same workspace, the GitHub number Baton recorded) is `applyIssueSync`'s check.
 */
export function parseIssueSync(payload: Obj): ParsedIssueSync {
  const action = str(payload['action']);
  if (action !== 'closed' && action !== 'reopened' && action !== 'edited')
    return { kind: 'none', reason: `action ${action ?? '?'} is not synced` };
  const issue = obj(payload['issue']);
  const issueId = mirroredIssueId(issue?.['body']);
  if (!issue || issueId === null) return { kind: 'none', reason: 'not an issue mirroring a Baton issue' };
  if (obj(issue['pull_request'])) return { kind: 'none', reason: 'a pull request, not an issue' };
  const sender = obj(payload['sender']);
  if (str(sender?.['type']) === 'Bot') return { kind: 'none', reason: "Baton's own change" };
  const githubNumber = issue['number'];
  const repository = str(obj(payload['repository'])?.['full_name']);
  if (typeof githubNumber !== 'number' || repository === undefined)
    return { kind: 'none', reason: 'no issue number or repository' };
  const base = { issueId, githubNumber, repository, by: `github:${str(sender?.['login']) ?? 'unknown'}` };
  if (action === 'closed') {
    // "closed as not planned" is not "done"
    if (str(issue['state_reason']) === 'not_planned')
      return { kind: 'none', reason: 'closed as not planned' };
    return { kind: 'command', command: { kind: 'complete', ...base } };
  }
  if (action === 'reopened') return { kind: 'command', command: { kind: 'reopen', ...base } };
  return {
    kind: 'command',
    command: { kind: 'edit', ...base, title: str(issue['title']) ?? '', body: readerBody(issue['body']) },
  };
}
