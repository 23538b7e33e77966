/**
 * A glob as GitHub Actions' branch filters write them: `*` matches any characters but `/`, `**` any
 * characters, `?` one character but `/`; everything else stands for itself.
 */
export function globToRegExp(glob: string, opts: { ignoreCase?: boolean } = {}): RegExp {
  let source = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*' && glob[i + 1] === '*') {
      source += '.*';
      i++;
    } else if (c === '*') source += '[^/]*';
    else if (c === '?') source += '[^/]';
    else source += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`, opts.ignoreCase === true ? 'is' : 's');
}

/**
 * Whether `value` passes a list of globs, as GitHub Actions filters do: a pattern starting with `!`
 * excludes, and the last pattern that matches decides. A list of exclusions only starts from
 * everything (`["!dependabot[bot]"]`: anyone but Dependabot); any other list from nothing.
 */
export function matchGlobList(
  patterns: readonly string[],
  value: string,
  opts: { ignoreCase?: boolean } = {},
): boolean {
  let matched = patterns.every((p) => p.startsWith('!'));
  for (const pattern of patterns) {
    const negated = pattern.startsWith('!');
    if (globToRegExp(negated ? pattern.slice(1) : pattern, opts).test(value)) matched = !negated;
  }
  return matched;
}
