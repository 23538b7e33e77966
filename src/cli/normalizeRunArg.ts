import { BatonError } from '../domain/errors.ts';

/**
 * A run id or prefix as the engine and the API read it, from what the user typed: any case, with
 * or without the dashes (`0196f3ab1c` is read as `0196f3ab-1c`).
 */
export function normalizeRunArg(arg: string): string {
  const raw = arg.trim().toLowerCase();
  if (raw === '') throw new BatonError('invalid_input', 'a run id is required', { field: 'run' });
  if (!/^[0-9a-f-]+$/.test(raw)) {
    throw new BatonError('invalid_input', `"${arg}" is not a run id (hex digits and dashes)`, {
      field: 'run',
      hint: 'list runs with `baton runs ls`',
    });
  }
  return raw.includes('-') ? raw : withDashes(raw);
}

/** Inserts the UUID dashes (after 8, 12, 16 and 20 hex digits) into a dash-less prefix. */
function withDashes(hex: string): string {
  const cuts = [8, 12, 16, 20];
  let out = '';
  let from = 0;
  for (const cut of cuts) {
    if (hex.length <= cut) break;
    out += `${hex.slice(from, cut)}-`;
    from = cut;
  }
  return out + hex.slice(from);
}
