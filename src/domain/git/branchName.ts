import { BatonError } from '../errors.ts';
import { branchNameProblem } from './refFormat.ts';
import { slugify } from './slugify.ts';

/** The issue-tree node kinds, each with its own branch prefix (`epic/12-login`). */
export const ISSUE_KINDS = ['epic', 'feature', 'task', 'defect'] as const;
export type IssueKind = (typeof ISSUE_KINDS)[number];

const MAX_ID_LENGTH = 64;

/**
 * An id as a branch name part: letters, digits, `_` and `-` kept, anything else (`.`, `/`,
 * spaces…) becomes `-`; dashes collapsed and trimmed. Throws when nothing is left.
 */
export function branchIdPart(id: string): string {
  const part = id
    .replace(/[^A-Za-z0-9_-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, MAX_ID_LENGTH);
  if (part === '') {
    throw new BatonError(
      'invalid_input',
      `cannot build a branch name from id "${id}": it has no letter, digit or "_"; pass the run or issue id`,
    );
  }
  return part;
}

function checked(name: string): string {
  const problem = branchNameProblem(name);
  // Unreachable by construction (property-tested); kept so a regression fails loudly.
  if (problem !== null) throw new Error(`internal: built an invalid branch name "${name}": ${problem}`);
  return name;
}

/** `run/<run_id>-<slug>`: the default branch of a run (DESIGN §1, platform blueprint). */
export function runBranchName(runId: string, title: string): string {
  return checked(`run/${branchIdPart(runId)}-${slugify(title)}`);
}

/** `epic/<id>-<slug>`, `feature/…`, `task/…`, `defect/…`: the hierarchical issue-tree branches. */
export function issueBranchName(kind: IssueKind, id: string, title: string): string {
  return checked(`${kind}/${branchIdPart(id)}-${slugify(title)}`);
}
