import { githubEventMatches } from './githubEvents.ts';
import { matchGlobList } from './matchGlobList.ts';
import type { GithubTrigger } from './types.ts';

type Filter = GithubTrigger['filter'];

const PULL_REQUEST_EVENTS = [
  'pull_request',
  'pull_request_review',
  'pull_request_review_comment',
  'pull_request_review_thread',
];

/** The GitHub events whose payloads carry what a filter reads (the others never pass it). */
export const GITHUB_FILTER_EVENTS: Readonly<
  Record<'labels' | 'branches' | 'tags' | 'draft', readonly string[]>
> = {
  labels: ['issues', 'issue_comment', 'discussion', 'discussion_comment', ...PULL_REQUEST_EVENTS],
  branches: [
    'push',
    'create',
    'delete',
    ...PULL_REQUEST_EVENTS,
    'check_run',
    'check_suite',
    'workflow_run',
    'workflow_job',
    'merge_group',
  ],
  tags: ['push', 'create', 'delete', 'release'],
  draft: PULL_REQUEST_EVENTS,
};

/**
 * Whether an event (`github.<event>[.<action>]` with the webhook payload) starts a `github:`
 * trigger: its type is the trigger's event, and it passes every filter given. A payload without
 * what a filter reads (a label on a push) does not pass. Never throws.
 */
export function githubTriggerMatches(
  trigger: Pick<GithubTrigger, 'event' | 'filter'>,
  event: { type: string; payload: unknown },
): boolean {
  if (!githubEventMatches(trigger.event, event.type)) return false;
  const name = event.type.slice('github.'.length).split('.')[0] ?? '';
  const payload = isObject(event.payload) ? event.payload : {};
  const f: Filter = trigger.filter;
  const passes = (patterns: string[] | undefined, value: string | undefined, ignoreCase = false) =>
    patterns === undefined || (value !== undefined && matchGlobList(patterns, value, { ignoreCase }));
  if (!passes(f.repositories, text(payload, 'repository', 'full_name'), true)) return false;
  if (!passes(f.actors, text(payload, 'sender', 'login'), true)) return false;
  if (f.draft !== undefined && at(payload, 'pull_request', 'draft') !== f.draft) return false;
  if (f.labels !== undefined) {
    const patterns = f.labels;
    if (!labelsOf(payload).some((label) => matchGlobList(patterns, label, { ignoreCase: true })))
      return false;
  }
  if (f.branches === undefined && f.tags === undefined) return true;
  const { branch, tag } = refOf(name, payload);
  // both given: a branch push passes the branches, a tag push the tags (GitHub Actions' `push`)
  return (
    (f.branches !== undefined && branch !== undefined && matchGlobList(f.branches, branch)) ||
    (f.tags !== undefined && tag !== undefined && matchGlobList(f.tags, tag))
  );
}

/** The label added or removed (`*.labeled`, `*.unlabeled`), else the issue's, PR's or discussion's labels. */
function labelsOf(payload: Record<string, unknown>): string[] {
  const action = payload['action'];
  if (action === 'labeled' || action === 'unlabeled') {
    const name = text(payload, 'label', 'name');
    return name === undefined ? [] : [name];
  }
  for (const key of ['pull_request', 'issue', 'discussion']) {
    const labels = at(payload, key, 'labels');
    if (!Array.isArray(labels)) continue;
    return labels.flatMap((l: unknown) => {
      const name = typeof l === 'string' ? l : isObject(l) ? l['name'] : undefined;
      return typeof name === 'string' ? [name] : [];
    });
  }
  return [];
}

/** The branch or tag an event is about, by event. */
function refOf(event: string, p: Record<string, unknown>): { branch?: string; tag?: string } {
  const ref = text(p, 'ref');
  switch (event) {
    case 'push':
      if (ref?.startsWith('refs/heads/')) return { branch: ref.slice('refs/heads/'.length) };
      if (ref?.startsWith('refs/tags/')) return { tag: ref.slice('refs/tags/'.length) };
      return {};
    case 'create':
    case 'delete': {
      const type = text(p, 'ref_type');
      return type === 'branch' ? { branch: ref } : type === 'tag' ? { tag: ref } : {};
    }
    case 'release':
      return { tag: text(p, 'release', 'tag_name') };
    case 'check_run':
      return { branch: text(p, 'check_run', 'check_suite', 'head_branch') };
    case 'check_suite':
    case 'workflow_run':
    case 'workflow_job':
      return { branch: text(p, event, 'head_branch') };
    case 'merge_group':
      return { branch: text(p, 'merge_group', 'base_ref')?.replace(/^refs\/heads\//, '') };
    default:
      return PULL_REQUEST_EVENTS.includes(event) ? { branch: text(p, 'pull_request', 'base', 'ref') } : {};
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function at(root: Record<string, unknown>, ...path: string[]): unknown {
  let node: unknown = root;
  for (const key of path) {
    if (!isObject(node) || !Object.hasOwn(node, key)) return undefined;
    node = node[key];
  }
  return node;
}

function text(root: Record<string, unknown>, ...path: string[]): string | undefined {
  const v = at(root, ...path);
  return typeof v === 'string' ? v : undefined;
}
