import { assertExhaustive } from '../../domain/assertExhaustive.ts';
import { BatonError } from '../../domain/errors.ts';
import { canComplete, describeIssue } from '../../domain/issues/canComplete.ts';
import type { IssuePatch, IssueRecord } from '../../domain/issues/issueRecord.ts';
import { transitionError, type IssueStatus } from '../../domain/issues/issueStatus.ts';
import { reopenedPath } from '../../domain/issues/reopenedPath.ts';
import type { EngineDeps } from '../engineDeps.ts';
import type { StoreTx } from '../ports/store.ts';
import { emitIssueEvents, lockedIssueTree, reopenIssues, type IssueChange } from './lockedIssueTree.ts';

export interface IssueEdit {
  title?: string;
  body?: string;
  status?: IssueStatus;
}

/** Completes an issue: refused while anything under it is not done (no parent closes by itself). */
export async function completeIssue(
  deps: EngineDeps,
  tx: StoreTx,
  id: string,
  by: string,
): Promise<IssueRecord> {
  const { tree, issue } = await lockedIssueTree(tx, id);
  const check = canComplete(tree, id);
  if (!check.ok) {
    switch (check.reason) {
      case 'already_done':
        throw new BatonError('invalid_state', `issue ${describeIssue(issue)} is already done`, {
          field: 'status',
        });
      case 'blocked':
        throw new BatonError('invalid_state', `issue ${describeIssue(issue)} is blocked: unblock it first`, {
          field: 'status',
        });
      case 'open_descendants': {
        const listed = check.open.slice(0, 5).map(describeIssue).join(', ');
        const more = check.open.length > 5 ? ` and ${check.open.length - 5} more` : '';
        throw new BatonError(
          'invalid_state',
          `issue #${issue.number} cannot complete: ${check.open.length} issue(s) under it are not done: ${listed}${more}`,
          {
            field: 'status',
            hint: 'complete the issues under it first, in order',
            details: { open: check.open.map((o) => o.id) },
          },
        );
      }
      default:
        return assertExhaustive(check, 'completion check');
    }
  }
  const now = deps.clock.now();
  await tx.updateIssue(id, { status: 'done', updatedAt: now });
  const done = { ...issue, status: 'done' as const, updatedAt: now };
  await emitIssueEvents(deps, tx, 'issue.completed', [done], { by });
  return done;
}

/**
 * Edits title, body and status. `done` goes through the completion rules; reopening a done issue
 * reopens its done ancestors too (a done parent never has open work under it).
 */
export async function updateIssue(
  deps: EngineDeps,
  tx: StoreTx,
  id: string,
  edit: IssueEdit,
  by: string,
): Promise<IssueChange> {
  const { tree, issue } = await lockedIssueTree(tx, id);
  const title = edit.title?.trim();
  if (title === '') throw new BatonError('invalid_input', 'an issue needs a title', { field: 'title' });
  const to = edit.status ?? issue.status;
  const invalid = transitionError(issue.status, to);
  if (invalid) throw new BatonError('invalid_state', invalid, { field: 'status' });
  const now = deps.clock.now();
  const patch: IssuePatch = { updatedAt: now };
  if (title !== undefined && title !== issue.title) patch.title = title;
  if (edit.body !== undefined && edit.body !== issue.body) patch.body = edit.body;
  let reopened: IssueRecord[] = [];
  let current = issue;
  if (patch.title !== undefined || patch.body !== undefined) {
    await tx.updateIssue(id, patch);
    current = { ...issue, ...patch };
    await emitIssueEvents(deps, tx, 'issue.updated', [current], { by });
  }
  if (to !== issue.status) {
    if (to === 'done') return { issue: await completeIssue(deps, tx, id, by), reopened };
    if (issue.status === 'done') {
      reopened = await reopenIssues(deps, tx, reopenedPath(tree, id), `reopened by ${by}`);
      current = { ...current, status: 'open', updatedAt: now };
    } else {
      await tx.updateIssue(id, { status: to, updatedAt: now });
      current = { ...current, status: to, updatedAt: now };
      await emitIssueEvents(deps, tx, 'issue.updated', [current], { by, from: issue.status });
    }
  }
  return { issue: current, reopened };
}
