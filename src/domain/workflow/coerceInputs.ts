import { didYouMeanSuffix } from '../didYouMean.ts';
import { BatonError } from '../errors.ts';
import { coerceInputValue } from './coerceInputValue.ts';
import type { InputSpec } from './types.ts';

export interface InputIssue {
  field: string;
  message: string;
}

/**
 * Validates and completes run inputs: unknown names are errors (with did-you-mean), missing ones take
 * their default, a missing required input is an error, an optional input without default becomes
 * `null` (so templates render it empty and `inputs.x == null` works). Strings from the CLI are
 * coerced: `"3"` → 3, `"true"` → true, json parsed; choice values must be among the options.
 * All problems are reported in one `BatonError('invalid_input')` with `details.issues`.
 */
export function coerceInputs(
  specs: Record<string, InputSpec>,
  raw: Record<string, unknown>,
): Record<string, unknown> {
  const issues: InputIssue[] = [];
  const out: Record<string, unknown> = {};
  const names = Object.keys(specs);
  for (const name of Object.keys(raw)) {
    if (!Object.hasOwn(specs, name))
      issues.push({
        field: `inputs.${name}`,
        message: `unknown input "${name}"${didYouMeanSuffix(name, names)}`,
      });
  }
  for (const [name, spec] of Object.entries(specs)) {
    const given = raw[name];
    if (given === undefined || given === null) {
      if (spec.default !== undefined) out[name] = structuredClone(spec.default);
      else if (spec.required)
        issues.push({ field: `inputs.${name}`, message: `input "${name}" is required` });
      else out[name] = null;
      continue;
    }
    const result = coerceInputValue(spec, given, true);
    if (result.ok) out[name] = result.value;
    else issues.push({ field: `inputs.${name}`, message: `input "${name}": ${result.message}` });
  }
  if (issues.length > 0) {
    const [first] = issues;
    const message =
      issues.length === 1
        ? (first?.message ?? '')
        : `${issues.length} invalid inputs: ${issues.map((i) => i.message).join('; ')}`;
    throw new BatonError('invalid_input', message, {
      ...(first === undefined ? {} : { field: first.field }),
      details: { issues },
    });
  }
  return out;
}
