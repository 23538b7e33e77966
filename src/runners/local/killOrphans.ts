import type { ProcessRecord } from '../../engine/ports/stepExecutor.ts';
import { isGroupAlive, terminateGroup } from './processGroup.ts';
import { isProcessAlive, readProcStartTime } from './procStartTime.ts';

export interface KillOrphansResult {
  /** groups that were alive and have been terminated */
  killed: ProcessRecord[];
  /** nothing left to kill */
  gone: ProcessRecord[];
  /** the pid is alive but its start time differs: a reused pid, left alone */
  skipped: ProcessRecord[];
}

/**
 * End the process groups a previous runner incarnation left behind (records from a
 * `ProcessRegistry`). A record is killed when its pid is alive and its start time matches (a null
 * recorded start time trusts the pid), or when its pid is gone but members of its group remain
 * (a group id cannot be reused while the group has members). Each group gets SIGTERM, then
 * SIGKILL after `graceMs` (default 5000), and is awaited until really gone. Aborting `signal`
 * KILLs the group being handled at once and rejects with the abort reason.
 */
export async function killOrphans(
  records: ProcessRecord[],
  opts: { graceMs?: number; signal?: AbortSignal } = {},
): Promise<KillOrphansResult> {
  const graceMs = opts.graceMs ?? 5000;
  const result: KillOrphansResult = { killed: [], gone: [], skipped: [] };
  for (const rec of records) {
    opts.signal?.throwIfAborted();
    if (isProcessAlive(rec.pid)) {
      const now = readProcStartTime(rec.pid);
      if (rec.startTime !== null && now !== null && now !== rec.startTime) {
        result.skipped.push(rec);
        continue;
      }
    } else if (!isGroupAlive(rec.pgid)) {
      result.gone.push(rec);
      continue;
    }
    await terminateGroup(rec.pgid, { graceMs, ...(opts.signal ? { signal: opts.signal } : {}) });
    opts.signal?.throwIfAborted();
    result.killed.push(rec);
  }
  return result;
}
