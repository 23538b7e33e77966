import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Millis } from '../../domain/records.ts';
import type { RunStatus } from '../../domain/runStatus.ts';
import { isTerminalRun } from '../../domain/runStatus.ts';

/** What the sweep reads of a run. */
export type RunLookup = (
  runId: string,
) => Promise<{ status: RunStatus; finishedAt: Millis | null } | undefined>;

/**
 * Removes the agent HOMEs (`<dataDir>/agent-homes/<run>/<step>`) of runs that finished more than
 * `retentionMs` ago, or that no longer exist. HOMEs of live runs stay: a later attempt resumes there.
 */
export async function sweepAgentHomes(
  dataDir: string,
  getRun: RunLookup,
  retentionMs: number,
  now = Date.now(),
): Promise<string[]> {
  const root = join(dataDir, 'agent-homes');
  let dirs: string[];
  try {
    dirs = await readdir(root);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const runId of dirs) {
    const run = await getRun(runId);
    const done = !run || (isTerminalRun(run.status) && (run.finishedAt ?? 0) <= now - retentionMs);
    if (!done) continue;
    await rm(join(root, runId), { recursive: true, force: true });
    removed.push(runId);
  }
  return removed;
}
