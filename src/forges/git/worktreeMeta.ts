import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** What Baton records beside git's own files in a worktree's admin dir (`baton.json`). */
export interface WorktreeMeta {
  run: string;
  key: string;
  branch: string;
  /** ISO times */
  createdAt: string;
  releasedAt?: string;
}

export async function readWorktreeMeta(adminDir: string): Promise<WorktreeMeta | null> {
  try {
    return JSON.parse(await readFile(join(adminDir, 'baton.json'), 'utf8')) as WorktreeMeta;
  } catch {
    return null;
  }
}

export async function writeWorktreeMeta(adminDir: string, meta: WorktreeMeta): Promise<void> {
  await writeFile(join(adminDir, 'baton.json'), `${JSON.stringify(meta)}\n`);
}
