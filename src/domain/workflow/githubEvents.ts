import { didYouMeanSuffix } from '../didYouMean.ts';

/** An event whose action is whatever the sender chose (`repository_dispatch`'s `event_type`). */
const ANY_ACTION = '*';

/**
 * The webhook events GitHub sends, each with its actions (space-separated; none: the event has no
 * action): every event of `@octokit/webhooks-types` (a test keeps them in step) plus newer ones.
 * `ping` is left out: it is recorded and starts nothing.
 */
const TABLE: Readonly<Record<string, string>> = {
  branch_protection_configuration: 'disabled enabled',
  branch_protection_rule: 'created deleted edited',
  check_run: 'completed created requested_action rerequested',
  check_suite: 'completed requested rerequested',
  code_scanning_alert: 'appeared_in_branch closed_by_user created fixed reopened reopened_by_user',
  commit_comment: 'created',
  create: '',
  custom_property: 'created deleted updated',
  custom_property_values: 'updated',
  delete: '',
  dependabot_alert: 'auto_dismissed auto_reopened created dismissed fixed reintroduced reopened',
  deploy_key: 'created deleted',
  deployment: 'created',
  deployment_protection_rule: 'requested',
  deployment_review: 'approved rejected requested',
  deployment_status: 'created',
  discussion:
    'answered category_changed closed created deleted edited labeled locked pinned reopened transferred unanswered unlabeled unlocked unpinned',
  discussion_comment: 'created deleted edited',
  fork: '',
  github_app_authorization: 'revoked',
  gollum: '',
  installation: 'created deleted new_permissions_accepted suspend unsuspend',
  installation_repositories: 'added removed',
  installation_target: 'renamed',
  issue_comment: 'created deleted edited',
  issue_dependencies: 'blocked_by_added blocked_by_removed blocking_added blocking_removed',
  issues:
    'assigned closed deleted demilestoned edited labeled locked milestoned opened pinned reopened transferred typed unassigned unlabeled unlocked unpinned untyped',
  label: 'created deleted edited',
  marketplace_purchase: 'cancelled changed pending_change pending_change_cancelled purchased',
  member: 'added edited removed',
  membership: 'added removed',
  merge_group: 'checks_requested destroyed',
  meta: 'deleted',
  milestone: 'closed created deleted edited opened',
  org_block: 'blocked unblocked',
  organization: 'deleted member_added member_invited member_removed renamed',
  package: 'published updated',
  page_build: '',
  personal_access_token_request: 'approved cancelled created denied',
  project: 'closed created deleted edited reopened',
  project_card: 'converted created deleted edited moved',
  project_column: 'created deleted edited moved',
  projects_v2: 'closed created deleted edited reopened',
  projects_v2_item: 'archived converted created deleted edited reordered restored',
  projects_v2_status_update: 'created deleted edited',
  public: '',
  pull_request:
    'assigned auto_merge_disabled auto_merge_enabled closed converted_to_draft demilestoned dequeued edited enqueued labeled locked milestoned opened ready_for_review reopened review_request_removed review_requested synchronize unassigned unlabeled unlocked',
  pull_request_review: 'dismissed edited submitted',
  pull_request_review_comment: 'created deleted edited',
  pull_request_review_thread: 'resolved unresolved',
  push: '',
  registry_package: 'published updated',
  release: 'created deleted edited prereleased published released unpublished',
  repository: 'archived created deleted edited privatized publicized renamed transferred unarchived',
  repository_advisory: 'published reported',
  repository_dispatch: '*',
  repository_import: '',
  repository_ruleset: 'created deleted edited',
  repository_vulnerability_alert: 'create dismiss reopen resolve',
  secret_scanning_alert: 'created publicly_leaked reopened resolved revoked validated',
  secret_scanning_alert_location: 'created',
  secret_scanning_scan: 'completed',
  security_advisory: 'performed published updated withdrawn',
  security_and_analysis: '',
  sponsorship: 'cancelled created edited pending_cancellation pending_tier_change tier_changed',
  star: 'created deleted',
  status: '',
  sub_issues: 'parent_issue_added parent_issue_removed sub_issue_added sub_issue_removed',
  team: 'added_to_repository created deleted edited removed_from_repository',
  team_add: '',
  watch: 'started',
  workflow_dispatch: '',
  workflow_job: 'completed in_progress queued waiting',
  workflow_run: 'completed in_progress requested',
};

/** The webhook events GitHub sends and their actions (`[]`: the event has none; `["*"]`: any). */
export const GITHUB_EVENT_ACTIONS: Readonly<Record<string, readonly string[]>> = Object.fromEntries(
  Object.entries(TABLE).map(([event, actions]) => [event, actions === '' ? [] : actions.split(' ')]),
);

/** An action as Baton routes it (`github.<event>.<action>`): lower case `[a-z0-9_.:-]`. */
const ACTION = /^[a-z0-9_:-][a-z0-9_.:-]*$/;

/** `<event>`, `<event>.*` (any action) or `<event>.<action>`, split; the action null for any. */
export function splitGithubEvent(spec: string): { event: string; action: string | null } {
  const dot = spec.indexOf('.');
  if (dot < 0) return { event: spec, action: null };
  const action = spec.slice(dot + 1);
  return { event: spec.slice(0, dot), action: action === '*' ? null : action };
}

/**
 * `null` when `spec` names a GitHub webhook event GitHub sends, optionally with one of its actions
 * (`issues.labeled`) or `.*`; else why not, with a suggestion.
 */
export function githubEventProblem(spec: string): string | null {
  const { event, action } = splitGithubEvent(spec);
  const actions = Object.hasOwn(GITHUB_EVENT_ACTIONS, event) ? GITHUB_EVENT_ACTIONS[event] : undefined;
  if (event === 'github' && action !== null)
    return `write the GitHub event without "github." (${JSON.stringify(action)}): a github trigger adds it`;
  if (actions === undefined) {
    const suffix = didYouMeanSuffix(event, Object.keys(GITHUB_EVENT_ACTIONS));
    return `unknown GitHub event ${JSON.stringify(event)}${suffix || ': see the "Webhook events and payloads" page of GitHub\'s documentation'}`;
  }
  if (action === null) return null;
  if (actions.includes(ANY_ACTION)) {
    return ACTION.test(action)
      ? null
      : `invalid action ${JSON.stringify(action)}: Baton routes actions in lower case, [a-z0-9_.:-]`;
  }
  if (actions.includes(action)) return null;
  if (actions.length === 0)
    return `GitHub's ${JSON.stringify(event)} event has no action: write ${JSON.stringify(event)}`;
  if (event === 'pull_request' && action === 'merged') {
    return 'GitHub sends no "merged" action: a merge is "pull_request.closed" with `if: event.payload.pull_request.merged`';
  }
  const suffix = didYouMeanSuffix(action, actions);
  return `unknown action ${JSON.stringify(action)} of GitHub's ${JSON.stringify(event)} event${suffix || ` (one of ${actions.join(', ')}, or "*")`}`;
}

/** The Baton event types (`github.<event>[.<action>]`) the GitHub event spec stands for: does `type` match? */
export function githubEventMatches(spec: string, type: string): boolean {
  const { event, action } = splitGithubEvent(spec);
  const base = `github.${event}`;
  if (action !== null) return type === `${base}.${action}`;
  return type === base || type.startsWith(`${base}.`);
}
