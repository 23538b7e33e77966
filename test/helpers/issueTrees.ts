import type { IssueKind } from '../../src/domain/issues/issueKind.ts';
import type { IssueRecord } from '../../src/domain/issues/issueRecord.ts';
import type { IssueStatus } from '../../src/domain/issues/issueStatus.ts';
import { issueBranchName } from '../../src/domain/issues/branchPlan.ts';
import { buildIssueTree, type IssueTree } from '../../src/domain/issues/issueTree.ts';

/** A node of a sample tree: titles are unique and name the issue in assertions. */
export interface IssueSpec {
  kind: IssueKind;
  title: string;
  status?: IssueStatus;
  children?: IssueSpec[];
}

export interface SampleTree {
  tree: IssueTree;
  issues: IssueRecord[];
  /** the issue with this title */
  get(title: string): IssueRecord;
  /** titles of issues */
  titles(issues: readonly IssueRecord[]): string[];
}

/** In-memory issue trees for the pure rules (numbers follow depth-first order, from 1). */
export function sampleTree(roots: IssueSpec[], patch: Partial<IssueRecord> = {}): SampleTree {
  const issues: IssueRecord[] = [];
  const add = (spec: IssueSpec, parent: IssueRecord | null, position: number) => {
    const number = issues.length + 1;
    const issue: IssueRecord = {
      id: `i${number}`,
      workspaceId: 'default',
      runId: null,
      rootId: parent?.rootId ?? `i${number}`,
      parentId: parent?.id ?? null,
      position,
      number,
      kind: spec.kind,
      title: spec.title,
      body: '',
      status: spec.status ?? 'open',
      branch: issueBranchName({ kind: spec.kind, number, title: spec.title }),
      prNumber: null,
      prUrl: null,
      githubIssueNumber: null,
      githubRepository: null,
      createdBy: null,
      createdAt: 0,
      updatedAt: 0,
      ...patch,
    };
    issues.push(issue);
    (spec.children ?? []).forEach((c, i) => add(c, issue, i));
  };
  roots.forEach((r, i) => add(r, null, i));
  const tree = buildIssueTree(issues);
  return {
    tree,
    issues,
    get(title) {
      const found = issues.find((i) => i.title === title);
      if (!found) throw new Error(`no issue "${title}"`);
      return found;
    },
    titles: (list) => list.map((i) => i.title),
  };
}
