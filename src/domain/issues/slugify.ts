/**
 * A branch-safe slug of a title: lowercase ASCII letters and digits joined by single dashes, at
 * most `max` characters, never empty (`issue`). Accents are dropped, not the letters they sit on.
 * (A local helper: the git layer's branch-name validation lives apart from the issue rules.)
 */
export function slugify(title: string, max = 40): string {
  const slug = title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, max)
    .replace(/-+$/, '');
  return slug || 'issue';
}
