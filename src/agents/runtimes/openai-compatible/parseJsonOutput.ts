/**
 * The JSON a model answered: the whole text, else a fenced ```json block, else the outermost `{…}` /
 * `[…]`. `undefined` when none of them parses (the caller says what it expected).
 */
export function parseJsonOutput(text: string): unknown {
  const candidates = [text.trim()];
  const fence = /```(?:json)?\s*\n([\s\S]*?)\n?```/i.exec(text);
  if (fence?.[1] !== undefined) candidates.push(fence[1].trim());
  for (const [open, close] of [
    ['{', '}'],
    ['[', ']'],
  ] as const) {
    const start = text.indexOf(open);
    const end = text.lastIndexOf(close);
    if (start >= 0 && end > start) candidates.push(text.slice(start, end + 1));
  }
  for (const c of candidates) {
    try {
      return JSON.parse(c) as unknown;
    } catch {
      // try the next one
    }
  }
  return undefined;
}
