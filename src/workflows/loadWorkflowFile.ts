import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { BatonError } from '../domain/errors.ts';
import { parseWorkflow, type ParseResult } from '../domain/workflow/parseWorkflow.ts';

/** File extensions read as workflows. */
export const WORKFLOW_EXTENSIONS = ['.yaml', '.yml', '.json'] as const;

export type LoadResult = ParseResult & { file: string; source: string };

/**
 * Reads and parses one workflow file (`.yaml`, `.yml` or `.json`, chosen by extension). Problems in
 * the file are returned as issues (`ok: false`); an unreadable file or another extension throws
 * `BatonError('invalid_workflow')`.
 */
export function loadWorkflowFile(path: string): LoadResult {
  const ext = extname(path).toLowerCase();
  if (!(WORKFLOW_EXTENSIONS as readonly string[]).includes(ext)) {
    throw new BatonError(
      'invalid_workflow',
      `${path}: not a workflow file (expected ${WORKFLOW_EXTENSIONS.join(', ')})`,
      { field: path },
    );
  }
  let source: string;
  try {
    source = readFileSync(path, 'utf8');
  } catch (e) {
    throw new BatonError('invalid_workflow', `${path}: cannot read: ${(e as Error).message}`, {
      cause: e,
      field: path,
    });
  }
  const result = parseWorkflow(source, { file: path, format: ext === '.json' ? 'json' : 'yaml' });
  return { ...result, file: path, source };
}
