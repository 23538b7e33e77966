import { Optional } from '@marcbachmann/cel-js';
import { Duration, UnsignedInt } from '@marcbachmann/cel-js/evaluator';

/**
 * Normalises a CEL result to plain JSON-friendly JS: BigInt/uint → number when safe (otherwise its
 * decimal string, to stay lossless), Map → object (keys stringified), list → array, timestamp (Date)
 * → ISO-8601 string, duration → CEL string form (`"3600s"`), bytes → UTF-8 string, optional → its
 * value or null. Anything else (string, bool, double, null) is returned unchanged.
 */
export function fromCelValue(value: unknown): unknown {
  if (typeof value === 'bigint') return fromBigInt(value);
  if (value === null || value === undefined) return null;
  if (typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(fromCelValue);
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Uint8Array) return new TextDecoder().decode(value);
  if (value instanceof Optional) return value.hasValue() ? fromCelValue(value.value()) : null;
  if (value instanceof UnsignedInt) return fromBigInt(value.value);
  if (value instanceof Duration) return value.toString();
  if (value instanceof Map) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of value) out[String(k)] = fromCelValue(v);
    return out;
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = fromCelValue(v);
  return out;
}

function fromBigInt(value: bigint): number | string {
  const n = Number(value);
  return Number.isSafeInteger(n) ? n : value.toString();
}
