import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { BatonError } from '../domain/errors.ts';

/** `--input k=v` values, collected by commander (repeatable). */
export function collectInput(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/**
 * The raw inputs of a run: the `--inputs-file` (JSON or YAML mapping) first, then each `--input k=v`
 * on top. Values from `--input` stay strings; the engine coerces them to the declared types.
 */
export async function parseInputs(
  pairs: readonly string[],
  file: string | undefined,
  cwd: string,
  signal?: AbortSignal,
): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  if (file !== undefined) Object.assign(out, await readInputsFile(resolve(cwd, file), file, signal));
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    const key = eq < 0 ? '' : pair.slice(0, eq).trim();
    if (eq < 0 || key === '') {
      throw new BatonError('invalid_input', `--input "${pair}" is not of the form name=value`, {
        field: 'input',
        hint: 'e.g. --input env=staging --input count=3',
      });
    }
    out[key] = pair.slice(eq + 1);
  }
  return out;
}

async function readInputsFile(
  path: string,
  shown: string,
  signal?: AbortSignal,
): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await readFile(path, { encoding: 'utf8', ...(signal ? { signal } : {}) });
  } catch (e) {
    throw new BatonError('invalid_input', `cannot read inputs file ${shown}: ${(e as Error).message}`, {
      field: 'inputs-file',
      cause: e,
    });
  }
  let parsed: unknown;
  try {
    parsed = parseYaml(text);
  } catch (e) {
    throw new BatonError(
      'invalid_input',
      `inputs file ${shown} is not valid JSON or YAML: ${(e as Error).message.split('\n')[0]}`,
      { field: 'inputs-file', cause: e },
    );
  }
  if (parsed === null || parsed === undefined) return {};
  if (typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new BatonError(
      'invalid_input',
      `inputs file ${shown} must hold a mapping of input names to values`,
      { field: 'inputs-file' },
    );
  }
  return parsed as Record<string, unknown>;
}
