import { appendFileSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { ProcessRecord, ProcessRegistry } from '../../engine/ports/stepExecutor.ts';
import { killOrphans, type KillOrphansResult } from '../local/killOrphans.ts';
import { isProcessAlive, readProcStartTime } from '../local/procStartTime.ts';

/**
 * Records the process groups this runner incarnation starts in `<dir>/<pid>-<starttime>.jsonl`
 * (`+` on start, `-` on exit). No fsync is needed: a crashed process leaves its writes in the page
 * cache, and a crashed machine leaves no children behind. A later incarnation (or any live runner
 * on this host) ends the groups of files whose owner is dead — before expired leases are reclaimed.
 */
export class FileProcessRegistry implements ProcessRegistry {
  private readonly file: string;

  constructor(private readonly dir: string) {
    mkdirSync(dir, { recursive: true });
    this.file = join(dir, `${process.pid}-${readProcStartTime(process.pid) ?? '0'}.jsonl`);
  }

  async record(p: ProcessRecord): Promise<void> {
    appendFileSync(this.file, `${JSON.stringify({ op: '+', ...p })}\n`);
  }

  async remove(pid: number): Promise<void> {
    appendFileSync(this.file, `${JSON.stringify({ op: '-', pid })}\n`);
  }

  /** Kills what dead incarnations left running, then forgets their files. */
  async reapDeadIncarnations(
    opts: { graceMs?: number; signal?: AbortSignal } = {},
  ): Promise<KillOrphansResult> {
    const total: KillOrphansResult = { killed: [], gone: [], skipped: [] };
    for (const name of readdirSync(this.dir)) {
      const m = /^(\d+)-(\w+)\.jsonl$/.exec(name);
      if (!m) continue;
      const pid = Number(m[1]);
      const alive = isProcessAlive(pid) && (readProcStartTime(pid) ?? '0') === m[2];
      if (alive) continue;
      const path = join(this.dir, name);
      const r = await killOrphans(liveRecords(readFileSync(path, 'utf8')), opts);
      total.killed.push(...r.killed);
      total.gone.push(...r.gone);
      total.skipped.push(...r.skipped);
      rmSync(path, { force: true });
    }
    return total;
  }
}

/** Replays `+`/`-` lines; a torn last line (crash mid-write) is ignored. */
export function liveRecords(text: string): ProcessRecord[] {
  const live = new Map<number, ProcessRecord>();
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      const e = JSON.parse(line) as { op: '+' | '-' } & ProcessRecord;
      if (e.op === '+')
        live.set(e.pid, {
          pid: e.pid,
          pgid: e.pgid,
          startTime: e.startTime,
          stepId: e.stepId,
          attempt: e.attempt,
        });
      else live.delete(e.pid);
    } catch {
      // torn line
    }
  }
  return [...live.values()];
}
