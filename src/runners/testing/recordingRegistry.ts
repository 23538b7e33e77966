import type { ProcessRecord, ProcessRegistry } from '../../engine/ports/stepExecutor.ts';

/** A ProcessRegistry for tests: remembers what was recorded and removed. */
export class RecordingRegistry implements ProcessRegistry {
  readonly records: ProcessRecord[] = [];
  readonly removed: number[] = [];
  failRecord: Error | null = null;

  async record(p: ProcessRecord): Promise<void> {
    this.records.push(p);
    if (this.failRecord) throw this.failRecord;
  }

  async remove(pid: number): Promise<void> {
    this.removed.push(pid);
  }
}
