import { redactSecrets } from '../../agents/transcript/redactSecrets.ts';
import type { LogChunkRecord, StepRecord } from '../../domain/records.ts';
import type { StoreTx } from '../../engine/ports/store.ts';
import type { RecentFailedStep, RecentRuns, RecentRunSummary } from './buildContextPack.ts';

/** The store reads recent runs need (any Store or StoreTx has them). */
export type RecentRunsStore = Pick<StoreTx, 'getRun' | 'listRuns' | 'listSteps' | 'readLogs'>;

export interface RecentRunsFromStoreOptions {
  /** failed steps summarized per run (default 5; the others are counted) */
  maxFailedSteps?: number;
}

/** Log chunks read at once while looking for the end of a log. */
const PROBE_PAGE = 64;
/** Bytes read before the tail so that secrets across the cut are recognized and redacted. */
const REDACT_MARGIN = 1024;
/** Chunks read from the end of a log at most (chunks are at most 64 KiB; tails are small). */
const MAX_TAIL_CHUNKS = 1024;

/**
 * The `recent_runs` port over the store: the runs of the same workflow in the same workspace
 * created before the given run (newest first), with their failed steps, each step's error and the
 * end of its latest attempt's log. Only existing store reads (getRun, listRuns, listSteps,
 * readLogs): the end of a long log is found by a doubling then halving search on seq, so a tail
 * costs O(log n) small reads, never the whole log.
 */
export function recentRunsFromStore(
  store: RecentRunsStore,
  opts: RecentRunsFromStoreOptions = {},
): RecentRuns {
  const maxFailedSteps = opts.maxFailedSteps ?? 5;
  return {
    async recentRuns(q, signal) {
      signal.throwIfAborted();
      const run = await store.getRun(q.runId);
      if (!run || q.limit <= 0) return [];
      const runs = await store.listRuns({
        workflowName: run.workflowName,
        workspaceIds: [run.workspaceId],
        before: { createdAt: run.createdAt, id: run.id },
        limit: q.limit,
      });
      const out: RecentRunSummary[] = [];
      for (const r of runs) {
        signal.throwIfAborted();
        const failed = (await store.listSteps(r.id))
          .filter((s) => s.status === 'failed')
          .sort((a, b) => (a.finishedAt ?? 0) - (b.finishedAt ?? 0) || a.position - b.position);
        const failedSteps: RecentFailedStep[] = [];
        for (const s of failed.slice(0, maxFailedSteps)) {
          signal.throwIfAborted();
          failedSteps.push(await summarizeStep(store, s, q.logTailBytes));
        }
        out.push({
          runId: r.id,
          status: r.status,
          createdAt: r.createdAt,
          finishedAt: r.finishedAt,
          error: r.error ? redactSecrets(r.error.message) : null,
          failedSteps,
          moreFailedSteps: Math.max(0, failed.length - maxFailedSteps),
        });
      }
      return out;
    },
  };
}

async function summarizeStep(
  store: RecentRunsStore,
  s: StepRecord,
  tailBytes: number,
): Promise<RecentFailedStep> {
  const tail = s.attempt > 0 && tailBytes > 0 ? await logTail(store, s.id, s.attempt, tailBytes) : null;
  return {
    stepKey: s.stepKey,
    attempt: s.attempt,
    error: s.error ? redactSecrets(s.error.message) : null,
    logTail: tail?.text ?? '',
    logTruncated: tail?.truncated ?? false,
  };
}

/**
 * The end of one attempt's log (every stream, in order) as text: at most `tailBytes` bytes of
 * UTF-8, escape sequences removed, secrets redacted. Secrets are redacted before the cut (on a
 * wider window), so a key split by the cut is not left half visible; a cut first line is dropped.
 * Null when the attempt has no log.
 */
export async function logTail(
  store: Pick<StoreTx, 'readLogs'>,
  stepId: string,
  attempt: number,
  tailBytes: number,
): Promise<{ text: string; truncated: boolean } | null> {
  const raw = await rawTail(store, stepId, attempt, tailBytes + REDACT_MARGIN);
  if (!raw) return null;
  const clean = Buffer.from(redactSecrets(stripAnsi(decodeFrom(raw.bytes, raw.cut))));
  if (clean.length <= tailBytes) return { text: clean.toString('utf8'), truncated: raw.truncated };
  const from = clean.length - tailBytes;
  let text = decodeFrom(clean.subarray(from), true);
  const nl = text.indexOf('\n');
  if (clean[from - 1] !== 0x0a && nl >= 0 && nl < text.length / 2) text = text.slice(nl + 1);
  return { text, truncated: true };
}

/** UTF-8 text of `bytes`; `cut`: they may start inside a character (its bytes are skipped). */
function decodeFrom(bytes: Buffer, cut: boolean): string {
  let skip = 0;
  while (cut && skip < 3 && skip < bytes.length && ((bytes[skip] ?? 0) & 0xc0) === 0x80) skip += 1;
  return bytes.subarray(skip).toString('utf8');
}

/** The last `maxBytes` bytes of an attempt's log; `cut`: they start inside a chunk. */
async function rawTail(
  store: Pick<StoreTx, 'readLogs'>,
  stepId: string,
  attempt: number,
  maxBytes: number,
): Promise<{ bytes: Buffer; cut: boolean; truncated: boolean } | null> {
  const first = await store.readLogs(stepId, attempt, -1, PROBE_PAGE);
  if (first.length === 0) return null;
  let chunks: LogChunkRecord[];
  let startsAtBeginning: boolean;
  if (first.length < PROBE_PAGE) {
    chunks = first;
    startsAtBeginning = true;
  } else {
    const last = await lastSeq(store, stepId, attempt, first.at(-1)?.seq ?? 0);
    const firstSeq = first[0]?.seq ?? 0;
    // read back from the end, the window first sized by the average chunk of the first page, then
    // doubled (only the new, earlier part is read) until it holds maxBytes or reaches the beginning
    const average = Math.max(1, first.reduce((n, c) => n + c.data.length, 0) / first.length);
    let window = Math.min(MAX_TAIL_CHUNKS, Math.ceil(maxBytes / average) + 1);
    let upTo = last;
    let bytes = 0;
    chunks = [];
    for (;;) {
      const after = last - window;
      const earlier = (await store.readLogs(stepId, attempt, after, upTo - after)).filter(
        (c) => c.seq <= upTo,
      );
      chunks = [...earlier, ...chunks];
      bytes += earlier.reduce((n, c) => n + c.data.length, 0);
      upTo = after;
      startsAtBeginning = after < firstSeq;
      if (bytes >= maxBytes || startsAtBeginning || window >= MAX_TAIL_CHUNKS) break;
      window = Math.min(MAX_TAIL_CHUNKS, window * 2);
    }
  }
  const all = Buffer.concat(chunks.map((c) => c.data));
  const cut = all.length > maxBytes;
  return {
    bytes: cut ? all.subarray(all.length - maxBytes) : all,
    cut,
    truncated: cut || !startsAtBeginning,
  };
}

/** The highest seq of an attempt's log, knowing one that exists (`known`). */
async function lastSeq(
  store: Pick<StoreTx, 'readLogs'>,
  stepId: string,
  attempt: number,
  known: number,
): Promise<number> {
  const after = async (seq: number): Promise<number | undefined> =>
    (await store.readLogs(stepId, attempt, seq, 1))[0]?.seq;
  // lo: a seq with a chunk after it (or the last one found); hi: a seq with none after it
  let lo = known;
  let step = PROBE_PAGE;
  let hi: number;
  for (;;) {
    const next = await after(lo + step - 1);
    if (next === undefined) {
      hi = lo + step - 1;
      break;
    }
    lo = next;
    step *= 2;
  }
  // invariant: a chunk with seq >= lo exists (lo itself); none after hi
  while (hi > lo) {
    const mid = lo + Math.ceil((hi - lo) / 2) - 1;
    const next = await after(mid);
    if (next === undefined) hi = mid;
    else lo = next;
  }
  return lo;
}

// CSI, OSC and other escape sequences, and the C0 controls except tab and newline
const ANSI =
  // eslint-disable-next-line no-control-regex
  /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)|\u001b[@-_]|[\u0000-\u0008\u000b-\u001f\u007f]/g;

function stripAnsi(s: string): string {
  return s.replace(/\r\n/g, '\n').replace(ANSI, '');
}
