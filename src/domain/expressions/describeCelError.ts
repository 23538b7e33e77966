/** A one-line description of a cel-js error (its summary plus `at column N`), and that column (1-based). */
export function describeCelError(error: unknown): { message: string; column?: number } {
  if (!(error instanceof Error)) return { message: String(error) };
  const e = error as Error & { summary?: unknown; range?: { start: number } };
  const summary =
    typeof e.summary === 'string' && e.summary !== '' ? e.summary : (e.message.split('\n')[0] ?? e.message);
  const start = e.range?.start;
  if (typeof start !== 'number') return { message: lowerFirst(summary) };
  const column = start + 1;
  return { message: `${lowerFirst(summary)} at column ${column}`, column };
}

function lowerFirst(text: string): string {
  return /^[A-Z][a-z]/.test(text) ? text[0]?.toLowerCase() + text.slice(1) : text;
}
