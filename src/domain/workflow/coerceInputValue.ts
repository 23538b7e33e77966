import { didYouMeanSuffix } from '../didYouMean.ts';
import type { InputSpec } from './types.ts';

export type CoerceResult = { ok: true; value: unknown } | { ok: false; message: string };

const show = (value: unknown): string =>
  typeof value === 'string' ? JSON.stringify(value) : (JSON.stringify(value) ?? String(value));

/**
 * Checks one input value against its spec. `lenient` (CLI and API values) also accepts strings for
 * numbers (`"3"`), booleans (`"true"`/`"false"`) and json (parsed), and numbers/booleans for strings;
 * strict mode (workflow file defaults) wants the exact type.
 */
export function coerceInputValue(spec: InputSpec, value: unknown, lenient: boolean): CoerceResult {
  switch (spec.type) {
    case 'string':
      if (typeof value === 'string') return { ok: true, value };
      if (lenient && (typeof value === 'number' || typeof value === 'boolean'))
        return { ok: true, value: String(value) };
      return { ok: false, message: `expected a string, got ${show(value)}` };
    case 'number': {
      if (typeof value === 'number' && Number.isFinite(value)) return { ok: true, value };
      const parsed = lenient && typeof value === 'string' && value.trim() !== '' ? Number(value.trim()) : NaN;
      if (Number.isFinite(parsed)) return { ok: true, value: parsed };
      return { ok: false, message: `expected a number, got ${show(value)}` };
    }
    case 'boolean': {
      if (typeof value === 'boolean') return { ok: true, value };
      const text = lenient && typeof value === 'string' ? value.trim().toLowerCase() : undefined;
      if (text === 'true' || text === 'false') return { ok: true, value: text === 'true' };
      return { ok: false, message: `expected a boolean (true or false), got ${show(value)}` };
    }
    case 'choice': {
      const options = spec.options ?? [];
      const text =
        typeof value === 'string' || (lenient && (typeof value === 'number' || typeof value === 'boolean'))
          ? String(value)
          : undefined;
      if (text !== undefined && options.includes(text)) return { ok: true, value: text };
      const suffix = text === undefined ? '' : didYouMeanSuffix(text, options);
      return {
        ok: false,
        message: `must be one of ${options.map((o) => JSON.stringify(o)).join(', ')}, got ${show(value)}${suffix}`,
      };
    }
    case 'json':
      if (!lenient || typeof value !== 'string') return { ok: true, value };
      try {
        return { ok: true, value: JSON.parse(value) as unknown };
      } catch {
        return { ok: false, message: `expected JSON, got ${show(value)}` };
      }
  }
}
