/**
 * Why `requested` is not a new order of the children `current`, or undefined when it is a
 * permutation of them (every child once, nothing else).
 */
export function reorderError(current: readonly string[], requested: readonly string[]): string | undefined {
  const known = new Set(current);
  const seen = new Set<string>();
  for (const id of requested) {
    if (!known.has(id)) return `"${id}" is not a child of this issue`;
    if (seen.has(id)) return `"${id}" is listed twice`;
    seen.add(id);
  }
  const missing = current.filter((id) => !seen.has(id));
  if (missing.length) return `the new order leaves out ${missing.map((id) => `"${id}"`).join(', ')}`;
  return undefined;
}
