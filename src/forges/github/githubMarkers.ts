/**
 * Hidden markers Baton appends to what it writes on GitHub (pull request bodies, comments, review
 * bodies) so a step that runs again finds what its first run created: `<!-- baton:key=<key> -->`
 * for an idempotency key, `<!-- baton:progress=<key> -->` for a progress comment edited in place,
 * `<!-- baton:issue=<key> -->` for an issue mirroring a Baton issue.
 */
const safe = (key: string): string => key.replace(/--+>?|[\r\n<>]/g, '_');

export const keyMarker = (key: string): string => `<!-- baton:key=${safe(key)} -->`;
export const progressMarker = (key: string): string => `<!-- baton:progress=${safe(key)} -->`;
/** an issue mirroring something of Baton's (a Baton issue, by its id) */
export const issueMarker = (key: string): string => `<!-- baton:issue=${safe(key)} -->`;

/** `body` with the markers appended (after a blank line). */
export function withMarkers(body: string, ...markers: string[]): string {
  return `${body.replace(/\s+$/, '')}\n\n${markers.join('\n')}`;
}

export const hasMarker = (body: string | null | undefined, marker: string): boolean =>
  (body ?? '').includes(marker);

/** `body` without Baton's markers (what a reader wrote). */
export function stripMarkers(body: string | null | undefined): string {
  return (body ?? '').replace(/\n*<!-- baton:(?:key|progress|issue)=[^>]*-->/g, '').replace(/\s+$/, '');
}
