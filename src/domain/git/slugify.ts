/** The slug used when a title has no ASCII letter or digit at all. */
export const EMPTY_SLUG = 'change';

/**
 * A branch-safe slug of a title: ASCII lowercase letters and digits separated by single dashes,
 * accents folded (`Café` → `cafe`), at most `maxLength` (default 40) characters, cut at a dash
 * when possible, never empty (`change`).
 */
export function slugify(title: string, maxLength = 40): string {
  const words = title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w !== '');
  let slug = '';
  for (const word of words) {
    const next = slug === '' ? word : `${slug}-${word}`;
    if (next.length <= maxLength) {
      slug = next;
      continue;
    }
    if (slug === '') slug = word.slice(0, maxLength);
    break;
  }
  return slug === '' ? EMPTY_SLUG.slice(0, Math.max(1, maxLength)) : slug;
}
