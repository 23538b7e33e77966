import type { ActionName } from '../domain/workflow/actionCatalog.ts';
import type { ActionHandler } from './ActionContext.ts';
import { forgeChecks } from './forge/forgeChecks.ts';
import { forgeComment } from './forge/forgeComment.ts';
import { forgeDispatch } from './forge/forgeDispatch.ts';
import { forgeIssues } from './forge/forgeIssues.ts';
import { forgeMerge } from './forge/forgeMerge.ts';
import { forgePropose } from './forge/forgePropose.ts';
import { forgePullRequest } from './forge/forgePullRequest.ts';
import { forgeReview } from './forge/forgeReview.ts';
import { forgeStatus } from './forge/forgeStatus.ts';
import { gitCleanup } from './git/gitCleanup.ts';
import { gitCommit } from './git/gitCommit.ts';
import { gitUpdate } from './git/gitUpdate.ts';
import { gitWorkspace } from './git/gitWorkspace.ts';
import { issuesComplete } from './issues/issuesComplete.ts';
import { issuesNext } from './issues/issuesNext.ts';

/** Every action of the catalog, by name (the input types are checked by the catalog's schemas). */
export const ACTION_HANDLERS: { readonly [N in ActionName]: ActionHandler<never> } = {
  'git/workspace': gitWorkspace,
  'git/commit': gitCommit,
  'git/update': gitUpdate,
  'git/cleanup': gitCleanup,
  'forge/pull-request': forgePullRequest,
  'forge/propose': forgePropose,
  'forge/comment': forgeComment,
  'forge/review': forgeReview,
  'forge/status': forgeStatus,
  'forge/checks': forgeChecks,
  'forge/merge': forgeMerge,
  'forge/dispatch': forgeDispatch,
  'forge/issues': forgeIssues,
  'issues/next': issuesNext,
  'issues/complete': issuesComplete,
};
