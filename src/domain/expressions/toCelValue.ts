/**
 * Converts a JS value from the expression context into what CEL expects: safe integers become `int`
 * (BigInt) so `inputs.count + 1` works, other numbers stay `double`; arrays and plain objects are
 * converted deeply (keys whose value is `undefined` are dropped, so they count as missing);
 * Dates (timestamps), Maps, BigInts, strings, booleans and null pass through.
 */
export function toCelValue(value: unknown): unknown {
  if (typeof value === 'number') return Number.isSafeInteger(value) ? BigInt(value) : value;
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(toCelValue);
  if (value instanceof Date || value instanceof Uint8Array) return value;
  if (value instanceof Map) {
    const out = new Map<unknown, unknown>();
    for (const [k, v] of value) if (v !== undefined) out.set(k, toCelValue(v));
    return out;
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = toCelValue(v);
  return out;
}
