import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { BatonError } from '../../domain/errors.ts';
import { type Scenario, scenarioListSchema, scenarioSchema } from './scenarioSchema.ts';

/** `turns[2].write_file.path` */
function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : `${out === '' ? '' : '.'}${String(p)}`;
  return out;
}

function invalid(source: string, error: z.ZodError): BatonError {
  const lines = error.issues.map((i) => `  ${formatPath(i.path) || '(top level)'}: ${i.message}`);
  const first = error.issues[0];
  return new BatonError('invalid_input', `invalid scenario in ${source}:\n${lines.join('\n')}`, {
    field: first === undefined ? undefined : formatPath(first.path),
    hint: 'see examples/scenarios/*.yaml for the format (turns of say / think / write_file / shell / tool / final / error)',
  });
}

/** Validates a parsed document: one scenario, or `{scenarios: [...]}`. */
export function validateScenarios(doc: unknown, source: string): Scenario[] {
  const isList = doc !== null && typeof doc === 'object' && 'scenarios' in doc;
  if (isList) {
    const r = scenarioListSchema.safeParse(doc);
    if (!r.success) throw invalid(source, r.error);
    return r.data.scenarios;
  }
  const r = scenarioSchema.safeParse(doc);
  if (!r.success) throw invalid(source, r.error);
  return [r.data];
}

/** Parses YAML text holding one scenario or `scenarios: [...]`; errors name the file and the field. */
export function parseScenarios(text: string, source: string): Scenario[] {
  let doc: unknown;
  try {
    doc = parseYaml(text, { prettyErrors: true });
  } catch (e) {
    throw new BatonError('invalid_input', `${source} is not valid YAML: ${(e as Error).message}`, {
      cause: e,
      hint: 'fix the YAML syntax (indentation, quoting) at the position shown',
    });
  }
  return validateScenarios(doc, source);
}

/** Names must be unique across all loaded files, and at most one scenario is the default. */
export function checkScenarioSet(scenarios: readonly Scenario[]): void {
  const seen = new Set<string>();
  for (const s of scenarios) {
    if (seen.has(s.name))
      throw new BatonError('invalid_input', `two scenarios are named "${s.name}"`, {
        field: 'name',
        hint: 'give every scenario a unique name',
      });
    seen.add(s.name);
  }
  const defaults = scenarios.filter((s) => s.default === true).map((s) => s.name);
  if (defaults.length > 1)
    throw new BatonError('invalid_input', `several default scenarios: ${defaults.join(', ')}`, {
      field: 'default',
      hint: 'mark at most one scenario `default: true`',
    });
}
