import type { Store } from '../engine/ports/store.ts';

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
