import { stripMarkers } from '../githubMarkers.ts';

/**
 * What a GitHub `issues` delivery asks of the Baton issue tree. The Baton issue is found by the
 * GitHub issue Baton recorded for it (`owner/name#n`), never by anything written in the issue:
 * closed on GitHub (as completed) → complete it, reopened → reopen it, title or text edited → edit
 * it; a new issue labelled `defect` (or `bug`) that says `Part of #<n>` → a defect under the Baton
 * issue of `#<n>`.
 */
export type IssueSyncCommand =
  | { kind: 'complete' | 'reopen'; githubNumber: number; repository: string; by: string }
  | { kind: 'edit'; githubNumber: number; repository: string; by: string; title: string; body: string }
  | {
      kind: 'defect';
      githubNumber: number;
      parentNumber: number;
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

/** GitHub's `author_association` values of users with write access to the repository. */
const WRITERS: ReadonlySet<string> = new Set(['OWNER', 'MEMBER', 'COLLABORATOR']);
/** labels that make a new issue filed under a mirrored one a defect */
const DEFECT_LABELS: ReadonlySet<string> = new Set(['defect', 'bug']);
const PART_OF = /^Part of #(\d+)\s*$/m;

/** The GitHub issue `#n` a body says it is part of (`Part of #n` on a line of its own), or null. */
export function partOf(body: unknown): number | null {
  const m = PART_OF.exec(str(body) ?? '');
  return m?.[1] === undefined ? null : Number(m[1]);
}

/**
 * What a reader wrote in a mirrored issue's body: without Baton's markers, the `Part of #<n>`
 * lines and the trailing `Order: <i> of <n>` that `forge/issues` adds.
 */
export function readerBody(body: unknown): string {
  const lines = stripMarkers(str(body) ?? '')
    .replace(/\r\n/g, '\n')
    .split('\n')
    .filter((l) => !/^Part of #\d+\s*$/.test(l));
  while (lines.length && /^(Order: \d+ of \d+|\s*)$/.test(lines.at(-1) ?? '')) lines.pop();
  return lines.join('\n').trim();
}

const labelNames = (issue: Obj): string[] =>
  (Array.isArray(issue['labels']) ? (issue['labels'] as unknown[]) : []).flatMap((l) => {
    const name = str(obj(l)?.['name']) ?? str(l);
    return name === undefined ? [] : [name.toLowerCase()];
  });

/**
 * An `issues` delivery (opened, closed, reopened, edited) from a person; Baton's own writes (a
 * sender of type `Bot`: the App) are not echoed back. Whether it concerns an issue Baton mirrored
 * to that repository is `applyIssueSync`'s lookup.
 */
export function parseIssueSync(payload: Obj): ParsedIssueSync {
  const action = str(payload['action']);
  if (action !== 'opened' && action !== 'closed' && action !== 'reopened' && action !== 'edited')
    return { kind: 'none', reason: `action ${action ?? '?'} is not synced` };
  const issue = obj(payload['issue']);
  if (!issue) return { kind: 'none', reason: 'no issue' };
  if (obj(issue['pull_request'])) return { kind: 'none', reason: 'a pull request, not an issue' };
  const sender = obj(payload['sender']);
  if (str(sender?.['type']) === 'Bot') return { kind: 'none', reason: "Baton's own change" };
  const githubNumber = issue['number'];
  const repository = str(obj(payload['repository'])?.['full_name']);
  if (typeof githubNumber !== 'number' || repository === undefined)
    return { kind: 'none', reason: 'no issue number or repository' };
  const base = { githubNumber, repository, by: `github:${str(sender?.['login']) ?? 'unknown'}` };
  const title = str(issue['title']) ?? '';
  switch (action) {
    case 'opened': {
      const parentNumber = partOf(issue['body']);
      if (parentNumber === null) return { kind: 'none', reason: 'not part of another issue' };
      if (!labelNames(issue).some((l) => DEFECT_LABELS.has(l)))
        return { kind: 'none', reason: 'not labelled defect or bug' };
      const association = str(issue['author_association']) ?? 'NONE';
      if (!WRITERS.has(association))
        return { kind: 'none', reason: `filed by ${association}: only users with write access file defects` };
      return {
        kind: 'command',
        command: { kind: 'defect', ...base, parentNumber, title, body: readerBody(issue['body']) },
      };
    }
    case 'closed':
      // "closed as not planned" is not "done"
      if (str(issue['state_reason']) === 'not_planned')
        return { kind: 'none', reason: 'closed as not planned' };
      return { kind: 'command', command: { kind: 'complete', ...base } };
    case 'reopened':
      return { kind: 'command', command: { kind: 'reopen', ...base } };
    case 'edited':
      return { kind: 'command', command: { kind: 'edit', ...base, title, body: readerBody(issue['body']) } };
  }
}
