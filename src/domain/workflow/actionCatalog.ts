import { z } from 'zod';

/** A boolean given as a boolean or as the text a template renders (`"true"`, `"false"`). */
const flag = z.union([z.boolean(), z.enum(['true', 'false']).transform((v) => v === 'true')]);
/** A positive integer given as a number or as rendered text. */
const count = z.coerce.number().int().positive();
const text = z.string().min(1);
const repository = text.describe(
  'a repository registered in the workspace (owner/name), or a git URL or path',
);

/**
 * The actions `uses:` steps can run (DESIGN §2: git and forge operations, dispatch). Each declares
 * the `with:` keys it takes, validated again once the templates are rendered. Side effects carry the
 * step's idempotency key: a step that runs twice opens one pull request.
 */
export const ACTION_CATALOG = {
  'git/workspace': {
    description:
      "A worktree of the repository's bare mirror on a branch (default run/<run id>-<slug>) from a base ref; outputs path, branch, base, sha",
    with: z
      .object({
        repository,
        branch: text.optional(),
        base: text.optional(),
        slug: text.optional(),
        key: text.optional().describe('one worktree per key within the run (default: the run)'),
        issue: text.optional().describe('an issue of the tree: its branch, base and PR target'),
      })
      .strict(),
  },
  'git/commit': {
    description:
      'Stage everything in a worktree, commit with the message (an agent result), and push the branch host-side; outputs sha, committed, pushed',
    with: z
      .object({
        path: text,
        repository: repository
          .optional()
          .describe('whose forge credentials push the branch (local: none needed)'),
        message: text,
        push: flag.default(true),
        force: flag.default(false),
        author_name: text.optional(),
        author_email: text.optional(),
      })
      .strict(),
  },
  'git/update': {
    description:
      "Bring a worktree's branch up to date with another branch of the remote (from, or the issue's pull request target), fetched first: a merge host-side, pushed unless push: false. Conflicts fail the step naming the files (output conflicts) and leave the branch as it was; outputs merged, sha, pushed, from",
    with: z
      .object({
        path: text,
        repository,
        from: text.optional().describe("the branch merged in (default: the issue's pull request target)"),
        issue: text.optional().describe('an issue of the tree: its pull request target is merged in'),
        push: flag.default(true),
      })
      .strict(),
  },
  'git/cleanup': {
    description: "Remove the run's worktree (the branch stays on the remote)",
    with: z.object({ path: text }).strict(),
  },
  'forge/pull-request': {
    description:
      'Open (or find, for a step that runs twice) the pull request of a branch, with the body template (plan, changes, tests, risks), then request reviews; when the review request fails for good, the pull request this step opened is closed with a comment saying why (outputs failed_stage, compensated). Outputs number, url, created',
    with: z
      .object({
        repository,
        head: text.optional().describe("default: the issue's branch"),
        base: text.optional(),
        title: text,
        plan: z.string().optional(),
        changes: z.string().optional(),
        tests: z.string().optional(),
        risks: z.string().optional(),
        draft: flag.default(false),
        reviewers: z.string().optional().describe('comma-separated logins to request a review from'),
        issue: text.optional().describe('an issue of the tree: its branch, base and PR target'),
      })
      .strict(),
  },
  'forge/propose': {
    description:
      "Commit a git/workspace worktree, push its branch, open the pull request (forge/pull-request's body template) and request reviews, as one operation. A stage that fails for good undoes what the step did, newest first: its pull request closed with a comment, the branch it created deleted if still at the pushed commit (a branch that existed before or moved since is kept); a failure a retry will resume undoes nothing. Outputs number, url, head, base, head_sha, sha, committed, branch_created, created; on failure failed_stage, compensated",
    with: z
      .object({
        path: text.describe('the worktree: {{ steps.<id>.outputs.path }} of a git/workspace step'),
        repository,
        message: text.describe('the commit message (an agent result: summary line, then body)'),
        title: text,
        plan: z.string().optional(),
        changes: z.string().optional(),
        tests: z.string().optional(),
        risks: z.string().optional(),
        base: text
          .optional()
          .describe("the pull request's target (default: the issue's, else the default branch)"),
        draft: flag.default(false),
        reviewers: z.string().optional().describe('comma-separated logins to request a review from'),
        issue: text
          .optional()
          .describe('an issue of the tree: its PR target, and the pull request recorded on it'),
      })
      .strict(),
  },
  'forge/comment': {
    description:
      'Comment on a pull request or issue; progress: true edits one progress comment in place instead of adding one',
    with: z.object({ repository, number: count, body: text, progress: flag.default(false) }).strict(),
  },
  'forge/review': {
    description:
      'Record a review of a pull request: approve, changes_requested or comment, with inline comments (JSON [{path, line, body}])',
    with: z
      .object({
        repository,
        number: count,
        verdict: z.enum(['approve', 'changes_requested', 'comment']),
        body: z.string().optional(),
        comments: z.string().optional(),
      })
      .strict(),
  },
  'forge/status': {
    description: 'Set a commit status (CI state) on a commit: pending, success, failure or error',
    with: z
      .object({
        repository,
        ref: text.describe('the commit sha, e.g. {{ steps.commit.outputs.sha }}'),
        context: text.default('baton'),
        state: z.enum(['pending', 'success', 'failure', 'error']),
        description: z.string().optional(),
        target_url: z.string().optional(),
      })
      .strict(),
  },
  'forge/checks': {
    description:
      "The CI state of a pull request's head commit (statuses and check runs): outputs state (pending, success, failure), wait: true waits until it is no longer pending",
    with: z
      .object({
        repository,
        number: count,
        wait: flag.default(true),
        poll: z.string().optional().describe('a duration between polls (default 10s)'),
      })
      .strict(),
  },
  'forge/merge': {
    description:
      "Merge a pull request (merge, squash or rebase) once it is approved at its head, its checks are green and it has no conflicts; else it fails naming each blocker. wait: true waits (polling every poll, bounded by the step timeout, logging what it still waits for) until they hold, then merges, failing at once on what waiting cannot fix (checks failed, changes requested at the head, conflicts, closed). auto: true uses the forge's own auto-merge (GitHub: enablePullRequestAutoMerge) and waits for the merge unless wait: false; on the local forge it is Baton's wait-then-merge. Outputs sha, merged, base, auto",
    with: z
      .object({
        repository,
        number: count,
        method: z.enum(['merge', 'squash', 'rebase']).default('merge'),
        require_approval: flag.default(true),
        require_checks: flag.default(true),
        wait: flag
          .optional()
          .describe(
            'wait until the conditions hold, then merge (default false; with auto: wait for the merge, default true)',
          ),
        auto: flag.optional().describe("the forge's auto-merge (GitHub), else Baton's wait-then-merge"),
        poll: z.string().optional().describe('a duration between looks while waiting (default 10s)'),
        issue: text.optional().describe('refused while open defects under the issue block its merge'),
      })
      .strict(),
  },
  'forge/dispatch': {
    description:
      'repository_dispatch (event_type, payload: JSON object) or workflow_dispatch (workflow, ref, payload: JSON inputs) out, with a UUIDv7 dispatch id stable per step key (receivers deduplicate by it); outputs dispatch_id',
    with: z
      .object({
        repository,
        event_type: text.optional(),
        workflow: text.optional(),
        ref: text.optional(),
        payload: z.string().optional(),
      })
      .strict()
      .refine((w) => (w.event_type === undefined) !== (w.workflow === undefined), {
        message: 'give event_type (repository_dispatch) or workflow (workflow_dispatch), not both',
      }),
  },
  'forge/issues': {
    description:
      'Sync an issue of the tree and everything under it to GitHub issues (parents first: title, body with "Part of #<parent>" and "Order: n of m", labels baton, <kind>, order:<n>, closed when done), one per Baton issue; outputs synced, issues (JSON [{id, number, url}])',
    with: z
      .object({
        repository,
        issue: text.describe('the Baton issue whose subtree is synced'),
      })
      .strict(),
  },
  'issues/next': {
    description:
      'The next move of the execution loop over an issue tree, siblings in order, depth first: work (a leaf with nothing open under it, marked in_progress), complete (a parent whose descendants are all done), or done; fails naming the issue when the next one is blocked. Outputs action, issue, number, kind, title, body, branch, base, target',
    with: z.object({ issue: text.describe('the root of the tree (or of the subtree) to walk') }).strict(),
  },
  'issues/complete': {
    description:
      'Complete an issue of the tree (refused while anything under it is not done); with repository, only once the pull request recorded on the issue is merged. Outputs issue, completed, status',
    with: z
      .object({
        issue: text,
        repository: repository
          .optional()
          .describe("where the issue's pull request lives: it must be merged first"),
      })
      .strict(),
  },
} as const satisfies Record<string, { description: string; with: z.ZodType }>;

export type ActionName = keyof typeof ACTION_CATALOG;
export const ACTION_NAMES = Object.keys(ACTION_CATALOG) as ActionName[];

export function isActionName(name: string): name is ActionName {
  return Object.hasOwn(ACTION_CATALOG, name);
}

/** The rendered `with:` of an action, checked: the values, or a message naming each bad key. */
export function parseActionInput<N extends ActionName>(
  name: N,
  input: Record<string, unknown>,
): { ok: true; value: z.output<(typeof ACTION_CATALOG)[N]['with']> } | { ok: false; message: string } {
  const r = ACTION_CATALOG[name].with.safeParse(input);
  if (r.success) return { ok: true, value: r.data as z.output<(typeof ACTION_CATALOG)[N]['with']> };
  const message = r.error.issues.map((i) => `with.${i.path.join('.') || '(all)'}: ${i.message}`).join('; ');
  return { ok: false, message: `${name}: ${message}` };
}
