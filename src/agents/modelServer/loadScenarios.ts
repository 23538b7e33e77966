import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { BatonError } from '../../domain/errors.ts';
import { checkScenarioSet, parseScenarios } from './parseScenarios.ts';
import type { Scenario } from './scenarioSchema.ts';

const YAML_FILE = /\.ya?ml$/;

/** Reads scenarios from a YAML file, or every `*.yaml` / `*.yml` file in a directory (not recursive). */
export async function loadScenarios(path: string, signal?: AbortSignal): Promise<Scenario[]> {
  const info = await stat(path).catch((e: unknown) => {
    throw new BatonError('invalid_input', `cannot read scenarios at ${path}: ${(e as Error).message}`, {
      cause: e,
      field: 'scenarios',
      hint: 'give --scenarios a YAML file or a directory of YAML files',
    });
  });
  const files = info.isDirectory()
    ? (await readdir(path))
        .filter((f) => YAML_FILE.test(f))
        .sort()
        .map((f) => join(path, f))
    : [path];
  if (files.length === 0)
    throw new BatonError('invalid_input', `no *.yaml scenario files in ${path}`, {
      field: 'scenarios',
      hint: 'add a scenario file (see examples/scenarios/)',
    });
  const scenarios: Scenario[] = [];
  for (const file of files) {
    const text = await readFile(file, { encoding: 'utf8', signal });
    scenarios.push(...parseScenarios(text, file));
  }
  checkScenarioSet(scenarios);
  return scenarios;
}
