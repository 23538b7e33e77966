export type PathSegment = string | number;

/** `['steps', 2, 'needs']` → `steps[2].needs`; keys that are not plain names are quoted: `env["A B"]`. */
export function formatIssuePath(path: readonly PathSegment[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(segment)) out += out === '' ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}

/** An issue before it is located in the file: `at` is where to point when it differs from `path`. */
export interface PathIssue {
  path: PathSegment[];
  message: string;
  /** point at the key of the last segment (unknown keys) rather than at its value */
  atKey?: boolean;
  at?: PathSegment[];
}
