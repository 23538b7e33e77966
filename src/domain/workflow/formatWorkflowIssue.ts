/** A problem in a workflow file. `path` uses the file's own keys: `steps[2].needs`. Lines/columns are 1-based. */
export interface WorkflowIssue {
  file?: string;
  line?: number;
  column?: number;
  path: string;
  message: string;
}

/** `examples/x.yaml:12:7: steps[2].needs: step "bulid" does not exist; did you mean "build"?` */
export function formatWorkflowIssue(issue: WorkflowIssue): string {
  const where: string[] = [];
  if (issue.file !== undefined) where.push(issue.file);
  if (issue.line !== undefined) {
    where.push(String(issue.line));
    if (issue.column !== undefined) where.push(String(issue.column));
  }
  const prefix = where.length === 0 ? '' : `${where.join(':')}: `;
  return `${prefix}${issue.path === '' ? '' : `${issue.path}: `}${issue.message}`;
}
