import type { RunRecord } from '../domain/records.ts';
import type { RunDetails } from '../engine/engine.ts';

/** A run for `--json` output: everything but the (large) workflow definition it was created from. */
export function runJson(run: RunRecord): Omit<RunRecord, 'definition'> {
  const { definition: _definition, ...rest } = run;
  return rest;
}

export function detailsJson(d: RunDetails): Omit<RunDetails, 'run'> & { run: Omit<RunRecord, 'definition'> } {
  return { ...d, run: runJson(d.run) };
}
