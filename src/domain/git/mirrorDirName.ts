import { BatonError } from '../errors.ts';

const KEEP = /[A-Za-z0-9_-]/;

/**
 * The directory name of a repository's bare mirror, `<escaped name>.git`. Injective and readable:
 * letters, digits, `_` and `-` are kept, every other UTF-8 byte becomes `%HH` (`acme/widgets` →
 * `acme%2Fwidgets.git`), so two repository names never share a mirror.
 */
export function mirrorDirName(repoName: string): string {
  if (repoName === '') throw new BatonError('invalid_input', 'a repository name is required for its mirror');
  let out = '';
  for (const ch of repoName) {
    if (KEEP.test(ch)) {
      out += ch;
      continue;
    }
    for (const b of new TextEncoder().encode(ch)) out += `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  if (out.length > 200) {
    throw new BatonError(
      'invalid_input',
      `repository name "${repoName.slice(0, 40)}…" is too long for a mirror directory`,
      {
        hint: 'use a shorter repository key (at most about 60 characters)',
      },
    );
  }
  return `${out}.git`;
}
