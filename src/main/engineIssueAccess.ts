import type { IssueAccess } from '../actions/ActionContext.ts';
import type { Engine } from '../engine/engine.ts';

/** The issue tree for the forge actions, read and written through the engine (its rules apply). */
export function engineIssueAccess(
  engine: () => Pick<Engine, 'issueHierarchy' | 'getIssue' | 'setIssueForgeRefs'>,
): IssueAccess {
  return {
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
  };
}
