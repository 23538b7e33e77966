/** Splits text into streaming deltas of at most `size` characters (code points), at least one. */
export function chunkText(text: string, size = 24): string[] {
  const chars = Array.from(text);
  if (chars.length === 0) return [''];
  const out: string[] = [];
  for (let i = 0; i < chars.length; i += size) out.push(chars.slice(i, i + size).join(''));
  return out;
}
