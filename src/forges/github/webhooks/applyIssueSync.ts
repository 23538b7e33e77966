import { assertExhaustive } from '../../../domain/assertExhaustive.ts';
import type { IssueRecord } from '../../../domain/issues/issueRecord.ts';
import type { Engine } from '../../../engine/engine.ts';
import type { IssueSyncCommand } from './issueSyncCommand.ts';

type IssueEngine = Pick<
  Engine,
  'findIssueByGithubIssue' | 'fileGithubDefect' | 'completeIssue' | 'updateIssue'
>;

/**
 * Carries out an `issues` delivery on the Baton issue tree, through the engine's rules (a parent
 * with open work under it is not completed; reopening reopens its done ancestors; a defect reopens
 * the issues above it). Acts only on issues Baton recorded as mirrored to (or filed from) that
 * repository's issue, in a workspace that registered the repository: a marker copied into another
 * issue changes nothing. Returns what was done, in words.
 */
export async function applyIssueSync(
  engine: IssueEngine,
  workspacesOf: (repository: string) => Promise<readonly string[]>,
  c: IssueSyncCommand,
): Promise<string> {
  const workspaceIds = await workspacesOf(c.repository);
  const where = `${c.repository}#${c.githubNumber}`;
  if (c.kind === 'defect') {
    const r = await engine.fileGithubDefect({
      workspaceIds,
      repository: c.repository,
      parentNumber: c.parentNumber,
      number: c.githubNumber,
      title: c.title,
      body: c.body,
      by: c.by,
    });
    if (r === null) return `${c.repository}#${c.parentNumber} mirrors no Baton issue: ${where} ignored`;
    return r.created
      ? `filed ${where} as defect #${r.issue.number} (reopened ${r.reopened.length} issue(s) above it)`
      : `${where} was filed before as defect #${r.issue.number}`;
  }
  const issue = await engine.findIssueByGithubIssue(workspaceIds, c.repository, c.githubNumber);
  if (!issue) return `${where} mirrors no Baton issue: ignored`;
  return applyToIssue(engine, issue, where, c);
}

async function applyToIssue(
  engine: IssueEngine,
  issue: IssueRecord,
  where: string,
  c: Exclude<IssueSyncCommand, { kind: 'defect' }>,
): Promise<string> {
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
