import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Which remote branches a step created, kept beside the worktree (in its git admin dir, gone with
 * it): a later attempt of the same step, which finds the branch already there, still knows the
 * branch is its own to delete when the operation fails for good. Written right after the push that
 * created the branch (a crash in between leaves the branch unclaimed: kept, never wrongly deleted).
 */
interface Entry {
  key: string;
  branch: string;
}

const FILE = 'baton-created-branches.json';

async function read(adminDir: string): Promise<Entry[]> {
  try {
    const v: unknown = JSON.parse(await readFile(join(adminDir, FILE), 'utf8'));
    return Array.isArray(v) ? (v as Entry[]) : [];
  } catch {
    return [];
  }
}

/** Records that the step of `key` created `branch` on the remote. */
export async function recordCreatedBranch(adminDir: string, key: string, branch: string): Promise<void> {
  const entries = await read(adminDir);
  if (entries.some((e) => e.key === key && e.branch === branch)) return;
  const tmp = join(adminDir, `${FILE}.tmp`);
  await writeFile(tmp, `${JSON.stringify([...entries, { key, branch }])}\n`);
  await rename(tmp, join(adminDir, FILE));
}

/** Whether the step of `key` created `branch` on the remote (in this attempt or an earlier one). */
export async function createdBranch(adminDir: string, key: string, branch: string): Promise<boolean> {
  return (await read(adminDir)).some((e) => e.key === key && e.branch === branch);
}
