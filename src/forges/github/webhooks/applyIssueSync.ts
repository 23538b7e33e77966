import { assertExhaustive } from '../../../domain/assertExhaustive.ts';
import { isBatonError } from '../../../domain/errors.ts';
import type { Engine } from '../../../engine/engine.ts';
import type { IssueSyncCommand } from './issueSyncCommand.ts';

type IssueEngine = Pick<Engine, 'getIssue' | 'completeIssue' | 'updateIssue'>;

/**
 * Carries out an `issues` delivery on the Baton issue it mirrors, through the engine's rules (a
 * parent with open work under it is not completed; reopening reopens its done ancestors). Acts
 * only when the GitHub issue is the one Baton recorded for it, in a workspace that registered the
 * repository: a marker copied into another issue changes nothing. Returns what was done, in words.
 */
export async function applyIssueSync(
  engine: IssueEngine,
  workspacesOf: (repository: string) => Promise<readonly string[]>,
  c: IssueSyncCommand,
): Promise<string> {
  let view;
  try {
    view = await engine.getIssue(c.issueId);
  } catch (e) {
    if (isBatonError(e, 'not_found')) return `issue ${c.issueId} does not exist: nothing to sync`;
    throw e;
  }
  const { issue } = view;
  const where = `${c.repository}#${c.githubNumber}`;
  if (
    issue.githubIssueNumber !== c.githubNumber ||
    !(await workspacesOf(c.repository)).includes(issue.workspaceId)
  )
    return `${where} is not the GitHub issue of Baton issue #${issue.number}: ignored`;
  switch (c.kind) {
    case 'complete':
      if (issue.status === 'done') return `issue #${issue.number} is already done`;
      await engine.completeIssue(issue.id, c.by);
      return `completed issue #${issue.number} (closed as ${where})`;
    case 'reopen':
      if (issue.status !== 'done') return `issue #${issue.number} is not done: nothing to reopen`;
      await engine.updateIssue(issue.id, { status: 'open' }, c.by);
      return `reopened issue #${issue.number} (reopened as ${where})`;
    case 'edit': {
      const edit = {
        ...(c.title.trim() && c.title !== issue.title ? { title: c.title } : {}),
        ...(c.body !== issue.body.trim() ? { body: c.body } : {}),
      };
      if (Object.keys(edit).length === 0) return `issue #${issue.number} already matches ${where}`;
      await engine.updateIssue(issue.id, edit, c.by);
      return `edited issue #${issue.number} (${Object.keys(edit).join(', ')}) from ${where}`;
    }
    default:
      return assertExhaustive(c);
  }
}
