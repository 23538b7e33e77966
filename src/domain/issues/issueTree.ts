import { BatonError } from '../errors.ts';
import type { IssueRecord } from './issueRecord.ts';

/** One or more issue trees, indexed: children in sibling order, parents by id. */
export interface IssueTree {
  readonly byId: ReadonlyMap<string, IssueRecord>;
  /** roots first under `null`, then the children of each parent, by position */
  readonly children: ReadonlyMap<string | null, readonly IssueRecord[]>;
}

const bySiblingOrder = (a: IssueRecord, b: IssueRecord) => a.position - b.position || a.number - b.number;

/** Indexes issues; a node whose parent is not among them counts as a root. */
export function buildIssueTree(issues: readonly IssueRecord[]): IssueTree {
  const byId = new Map(issues.map((i) => [i.id, i]));
  const children = new Map<string | null, IssueRecord[]>();
  for (const i of issues) {
    const parent = i.parentId !== null && byId.has(i.parentId) ? i.parentId : null;
    const list = children.get(parent) ?? [];
    list.push(i);
    children.set(parent, list);
  }
  for (const list of children.values()) list.sort(bySiblingOrder);
  return { byId, children };
}

export function issueIn(tree: IssueTree, id: string): IssueRecord {
  const issue = tree.byId.get(id);
  if (!issue) throw new BatonError('not_found', `issue "${id}" does not exist`, { field: 'id' });
  return issue;
}

/** The children of an issue in order (`null`: the roots). */
export function childrenOf(tree: IssueTree, id: string | null): readonly IssueRecord[] {
  return tree.children.get(id) ?? [];
}

/** The ancestors of an issue, its parent first. */
export function ancestorsOf(tree: IssueTree, id: string): IssueRecord[] {
  const out: IssueRecord[] = [];
  const seen = new Set<string>([id]);
  let parentId = issueIn(tree, id).parentId;
  while (parentId !== null && !seen.has(parentId)) {
    const parent = tree.byId.get(parentId);
    if (!parent) break;
    out.push(parent);
    seen.add(parentId);
    parentId = parent.parentId;
  }
  return out;
}

/** Every issue under `id` (or every issue, for `null`), depth-first in sibling order. */
export function descendantsOf(tree: IssueTree, id: string | null): IssueRecord[] {
  const out: IssueRecord[] = [];
  const stack = [...childrenOf(tree, id)].reverse();
  while (stack.length) {
    const next = stack.pop()!;
    out.push(next);
    stack.push(...[...childrenOf(tree, next.id)].reverse());
  }
  return out;
}
