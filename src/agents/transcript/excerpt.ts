/** Default size of output excerpts kept in events (characters). */
export const EXCERPT_CHARS = 4000;

/**
 * Keeps the head and the tail of a long text (the end of a test run matters as much as its start),
 * with a marker saying how much was left out.
 */
export function excerpt(text: string, max = EXCERPT_CHARS): string {
  if (text.length <= max) return text;
  const head = Math.ceil(max / 2);
  const tail = max - head;
  const omitted = text.length - head - tail;
  return `${text.slice(0, head)}\n… [${omitted} chars omitted] …\n${tail > 0 ? text.slice(-tail) : ''}`;
}
