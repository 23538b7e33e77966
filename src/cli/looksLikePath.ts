import { existsSync, statSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import { WORKFLOW_EXTENSIONS } from '../workflows/loadWorkflowFile.ts';

/** Whether the `<workflow>` argument names a file rather than a registered workflow. */
export function looksLikePath(arg: string, cwd: string): boolean {
  if (arg.includes('/') || arg.includes('\\')) return true;
  if ((WORKFLOW_EXTENSIONS as readonly string[]).includes(extname(arg).toLowerCase())) return true;
  const p = resolve(cwd, arg);
  return existsSync(p) && statSync(p).isFile();
}
