/**
 * The JSON object an agent ends its answer with (the agent contract): a fenced ```json block, else
 * the last balanced `{…}` that parses. Undefined when there is none.
 */
export function extractFinalJson(text: string): Record<string, unknown> | undefined {
  const fenced = [...text.matchAll(/```(?:json)?\s*\n([\s\S]*?)\n```/g)].map((m) => m[1]!);
  for (const candidate of fenced.reverse()) {
    const v = tryObject(candidate);
    if (v) return v;
  }
  // scan back from the last closing brace for the opening one that makes a parseable object
  const end = text.lastIndexOf('}');
  if (end < 0) return undefined;
  for (let start = text.lastIndexOf('{', end); start >= 0; start = text.lastIndexOf('{', start - 1)) {
    const v = tryObject(text.slice(start, end + 1));
    if (v) return v;
    if (start === 0) break;
  }
  return undefined;
}

function tryObject(s: string): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(s.trim());
    return typeof v === 'object' && v !== null && !Array.isArray(v)
      ? (v as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
