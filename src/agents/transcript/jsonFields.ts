/** Safe reads of parsed JSON whose shape is not trusted: a wrong type reads as absent. */
export type JsonRecord = Record<string, unknown>;

export function asRecord(value: unknown): JsonRecord | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as JsonRecord)
    : undefined;
}

export function asString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

export function asNumber(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

export function asBoolean(value: unknown): boolean | undefined {
  return typeof value === 'boolean' ? value : undefined;
}

export function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? (value as unknown[]) : [];
}

/** Array elements that are objects. */
export function asRecords(value: unknown): JsonRecord[] {
  return asArray(value).flatMap((v) => {
    const r = asRecord(v);
    return r ? [r] : [];
  });
}

/** A non-negative count, 0 when absent. */
export function count(value: unknown): number {
  const n = asNumber(value);
  return n !== undefined && n > 0 ? n : 0;
}

/** Strings of an array, skipping the rest. */
export function asStrings(value: unknown): string[] {
  return asArray(value).filter((v): v is string => typeof v === 'string');
}

/** `{ key: value }` when the value is defined, else nothing (optional fields stay absent). */
export function opt<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
