import { BatonError } from '../domain/errors.ts';
import type { Engine } from '../engine/engine.ts';
import type { Store } from '../engine/ports/store.ts';

/**
 * A run id from what the user typed: a full id or a unique prefix, in any case, with or without
 * the dashes (`0196f3ab1c` is read as `0196f3ab-1c`).
 */
export async function resolveRunArg(engine: Engine, arg: string): Promise<string> {
  const raw = arg.trim().toLowerCase();
  if (raw === '') throw new BatonError('invalid_input', 'a run id is required', { field: 'run' });
  if (!/^[0-9a-f-]+$/.test(raw)) {
    throw new BatonError('invalid_input', `"${arg}" is not a run id (hex digits and dashes)`, {
      field: 'run',
      hint: 'list runs with `baton runs ls`',
    });
  }
  return engine.resolveRunId(raw.includes('-') ? raw : withDashes(raw));
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

/**
 * The shortest of the id's natural prefixes (8, 13, 18, 23 characters, or all of it) that names
 * only this run now: short enough for a terminal line, still accepted by every command.
 */
export async function uniqueRunPrefix(store: Pick<Store, 'findRunsByIdPrefix'>, id: string): Promise<string> {
  for (const len of [8, 13, 18, 23]) {
    const prefix = id.slice(0, len);
    if ((await store.findRunsByIdPrefix(prefix, 2)).length === 1) return prefix;
  }
  return id;
}
