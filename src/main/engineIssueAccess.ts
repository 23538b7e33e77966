import type { IssueAccess, IssueSummary, SubtreeIssue } from '../actions/ActionContext.ts';
import { isBatonError } from '../domain/errors.ts';
import type { IssueRecord } from '../domain/issues/issueRecord.ts';
import type { Engine } from '../engine/engine.ts';

type IssueEngine = Pick<
  Engine,
  'issueHierarchy' | 'getIssue' | 'setIssueForgeRefs' | 'updateIssue' | 'completeIssue'
>;

/** The issue tree for the forge and `issues/*` actions, read and written through the engine (its rules apply). */
export function engineIssueAccess(engine: () => IssueEngine): IssueAccess {
  const summary = async (issue: IssueRecord): Promise<IssueSummary> => {
    const own = (await engine().issueHierarchy(issue.id)).at(-1);
    if (!own) throw new Error(`issue ${issue.id} has no hierarchy`);
    return {
      id: issue.id,
      number: issue.number,
      kind: issue.kind,
      title: issue.title,
      body: issue.body,
      status: issue.status,
      parentId: issue.parentId,
      prNumber: issue.prNumber,
      branch: own.branch,
      base: own.base,
      prTarget: own.prTarget,
    };
  };
  return {
    async next(issueId) {
      const { next } = await engine().getIssue(issueId);
      return next.action === 'done' ? next : { action: next.action, issue: await summary(next.issue) };
    },
    async start(issueId, by) {
      const { issue } = await engine().getIssue(issueId);
      if (issue.status === 'open') await engine().updateIssue(issueId, { status: 'in_progress' }, by);
    },
    async complete(issueId, by) {
      try {
        return { completed: true, issue: await summary(await engine().completeIssue(issueId, by)) };
      } catch (e) {
        // a step that runs again after a crash finds the issue it completed
        const { issue } = await engine().getIssue(issueId);
        if (issue.status === 'done' && isBatonError(e) && e.code === 'invalid_state')
          return { completed: false, issue: await summary(issue) };
        throw e;
      }
    },
    async get(issueId) {
      return summary((await engine().getIssue(issueId)).issue);
    },
    async chain(issueId) {
      return (await engine().issueHierarchy(issueId)).map((h) => ({ branch: h.branch, base: h.base }));
    },
    async plan(issueId) {
      const path = await engine().issueHierarchy(issueId);
      const own = path.at(-1);
      if (!own) throw new Error(`issue ${issueId} has no hierarchy`);
      const view = await engine().getIssue(issueId);
      return {
        branch: own.branch,
        base: own.base,
        prTarget: own.prTarget,
        blockedBy: view.mergeBlockedBy.map((d) => `#${d.number} ${d.title}`),
      };
    },
    async setPullRequest(issueId, number, url) {
      await engine().setIssueForgeRefs(issueId, { prNumber: number, prUrl: url });
    },
    async subtree(issueId) {
      const top = (await engine().getIssue(issueId)).issue;
      const parent = top.parentId === null ? null : await engine().getIssue(top.parentId);
      const at = parent ? parent.children.findIndex((c) => c.id === top.id) : -1;
      const out: SubtreeIssue[] = [];
      // depth-first in sibling order: each issue, then its children (one read per issue)
      const visit = async (
        issue: IssueRecord,
        place: { order: number | null; siblings: number; parentGithub: number | null },
      ): Promise<void> => {
        const { children } = await engine().getIssue(issue.id);
        out.push({
          id: issue.id,
          parentId: issue.parentId,
          kind: issue.kind,
          title: issue.title,
          body: issue.body,
          done: issue.status === 'done',
          order: place.order,
          siblings: place.siblings,
          githubIssueNumber: issue.githubIssueNumber,
          githubRepository: issue.githubRepository,
          parentGithubIssueNumber: place.parentGithub,
        });
        for (const [n, child] of children.entries())
          await visit(child, {
            order: n + 1,
            siblings: children.length,
            parentGithub: issue.githubIssueNumber,
          });
      };
      await visit(top, {
        order: at >= 0 ? at + 1 : null,
        siblings: parent ? parent.children.length : 1,
        parentGithub: parent?.issue.githubIssueNumber ?? null,
      });
      return out;
    },
    async setGithubIssue(issueId, repository, number) {
      await engine().setIssueForgeRefs(issueId, { githubIssueNumber: number, githubRepository: repository });
    },
  };
}
