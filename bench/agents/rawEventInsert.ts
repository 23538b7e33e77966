/**
 * The store's ceiling for transcript rows: better-sqlite3 on a file of its own with the settings of
 * Baton's store (journal_mode=WAL, synchronous=FULL), the `agent_events` table of migration 008,
 * and the statement Baton runs (insert, ignoring a repeated (step, attempt, seq)), 200 rows per
 * transaction like TranscriptWriter's batches. The rows are real transcript events, already JSON.
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { nowMs, throwIfAborted, yieldNow } from '../lib/stats.ts';

export interface RawInsertResult {
  rows: number;
  ms: number;
  rowsPerSec: number;
}

/** Inserts `rows` rows cycling through `events` (JSON of transcript events, with their kinds). */
export async function measureRawEventInsert(opts: {
  dir: string;
  events: readonly { kind: string; json: string }[];
  rows: number;
  batch?: number;
  maxMs: number;
  signal: AbortSignal;
}): Promise<RawInsertResult> {
  if (opts.events.length === 0) throw new Error('no events to insert');
  const db = new Database(join(opts.dir, 'raw-events.db'));
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.exec(`CREATE TABLE agent_events (
      step_id text NOT NULL, attempt integer NOT NULL, seq integer NOT NULL, kind text NOT NULL,
      event text NOT NULL, created_at integer NOT NULL,
      CONSTRAINT agent_events_pk PRIMARY KEY (step_id, attempt, seq))`);
    const insert = db.prepare(
      `INSERT INTO agent_events (step_id, attempt, seq, kind, event, created_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (step_id, attempt, seq) DO NOTHING`,
    );
    const batch = opts.batch ?? 200;
    const events = opts.events;
    const insertBatch = db.transaction((from: number, to: number) => {
      const at = Date.now();
      for (let seq = from; seq < to; seq++) {
        const e = events[seq % events.length]!;
        insert.run('raw-step', 1, seq, e.kind, e.json, at);
      }
    });
    const t0 = nowMs();
    let done = 0;
    while (done < opts.rows && nowMs() - t0 < opts.maxMs) {
      throwIfAborted(opts.signal);
      const to = Math.min(opts.rows, done + batch);
      insertBatch(done, to);
      done = to;
      if (done % (batch * 20) === 0) await yieldNow();
    }
    const ms = nowMs() - t0;
    return { rows: done, ms, rowsPerSec: (done / ms) * 1000 };
  } finally {
    db.close();
  }
}
