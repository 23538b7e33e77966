/**
 * Git's reference name rules (`git check-ref-format`, git 2.39), as a pure function. Returns the
 * first broken rule, or null when `name` is valid. `allowOneLevel` accepts names without a `/`
 * (as `--allow-onelevel`); use `branchNameProblem` for branch names (`--branch`).
 */
export function refNameProblem(name: string, opts: { allowOneLevel?: boolean } = {}): string | null {
  if (name === '') return 'is empty';
  if (name === '@') return 'is the single character "@"';
  if (name.startsWith('/') || name.endsWith('/')) return 'begins or ends with "/"';
  if (name.endsWith('.')) return 'ends with "."';
  if (name.includes('..')) return 'contains ".."';
  if (name.includes('@{')) return 'contains "@{"';
  for (const ch of name) {
    const code = ch.codePointAt(0) ?? 0;
    if (code < 0x20 || code === 0x7f) return 'contains a control character';
    if (' ~^:?*[\\'.includes(ch)) return `contains "${ch}"`;
  }
  const parts = name.split('/');
  if (!opts.allowOneLevel && parts.length < 2) return 'has no "/" (a one-level name)';
  for (const part of parts) {
    if (part === '') return 'contains "//"';
    if (part.startsWith('.')) return `has a component starting with "." (${part})`;
    if (part.endsWith('.lock')) return `has a component ending with ".lock" (${part})`;
  }
  return null;
}

export function isValidRefName(name: string, opts: { allowOneLevel?: boolean } = {}): boolean {
  return refNameProblem(name, opts) === null;
}

/** As `git check-ref-format --branch`: `refs/heads/<name>` must be valid, no leading "-", not HEAD. */
export function branchNameProblem(name: string): string | null {
  if (name === '') return 'is empty';
  if (name.startsWith('-')) return 'begins with "-"';
  if (name === 'HEAD') return 'is "HEAD"';
  return refNameProblem(`refs/heads/${name}`);
}

export function isValidBranchName(name: string): boolean {
  return branchNameProblem(name) === null;
}
