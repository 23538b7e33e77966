/** Tunables of the live event streams (SSE and WebSocket); every one can be overridden (tests, bench). */
export interface StreamOptions {
  /** URL prefix of the stream routes (the app factory passes '' when it registers them under /api/v1) */
  basePath: string;
  /** outbox polling interval while someone is subscribed (`poke()` wakes the loop earlier) */
  pollMs: number;
  /** polling interval with no subscriber (keeps the live cursor fresh without much work) */
  idlePollMs: number;
  /** outbox rows read per poll */
  batchSize: number;
  /** rows read per page when a subscriber replays from the database (`Last-Event-ID`) */
  replayPageSize: number;
  /**
   * How long delivery is held past a hole in the ids before the hole is taken as permanent (a
   * rolled-back transaction). `undefined`: 2 s on PostgreSQL (ids come from a sequence and commit out
   * of order), 0 on SQLite (one writer: ids commit in order).
   */
  gapWaitMs: number | undefined;
  /** SSE `: heartbeat` comment interval */
  heartbeatMs: number;
  /** SSE `retry:` hint sent to clients (reconnection delay) */
  retryMs: number;
  /** bound of a subscriber's own queue (bytes not yet accepted by the socket) before it is dropped */
  maxQueueBytes: number;
  /** WebSocket: `bufferedAmount` above which the socket is closed with 1013 */
  maxWsBufferedBytes: number;
  /** after the final event of a dropped client, how long the socket may take to flush before it is destroyed */
  dropGraceMs: number;
  /** refuse new subscribers (503) past this many */
  maxSubscribers: number;
}

export const DEFAULT_STREAM_OPTIONS: Readonly<StreamOptions> = Object.freeze({
  basePath: '/api/v1',
  pollMs: 50,
  idlePollMs: 1_000,
  batchSize: 1_000,
  replayPageSize: 200,
  gapWaitMs: undefined,
  heartbeatMs: 15_000,
  retryMs: 3_000,
  maxQueueBytes: 1024 * 1024,
  maxWsBufferedBytes: 1024 * 1024,
  dropGraceMs: 10_000,
  maxSubscribers: 10_000,
});

export function streamOptions(partial: Partial<StreamOptions> | undefined): StreamOptions {
  return { ...DEFAULT_STREAM_OPTIONS, ...partial };
}
