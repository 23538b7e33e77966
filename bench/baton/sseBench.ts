/**
 * SSE fan-out on SQLite: 1,000 subscribers of `GET /api/v1/stream` on 127.0.0.1, all fed by the
 * server's one broadcaster.
 * - broadcast-to-receipt latency: events committed at a steady pace (5 per transaction, each commit
 *   poking the broadcaster as the app does after its commits); the time from the commit returning
 *   to each subscriber parsing the event's frame, p50/p99 over every (event, subscriber) pair;
 * - delivered events/s: a burst committed as fast as possible; (events × subscribers) / time until
 *   the last subscriber has the last event.
 * The clients run in a worker thread of the same process (same machine, same cores). At the end
 * every subscriber must have received every event once, in id order (else the unit fails).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import Fastify from 'fastify';
import type { ApiDeps } from '../../src/api/apiDeps.ts';
import { getEventBroadcaster } from '../../src/api/streams/eventBroadcaster.ts';
import { streamRoutes } from '../../src/api/streams/streamRoutes.ts';
import type { Config } from '../../src/config/configSchema.ts';
import { Engine } from '../../src/engine/engine.ts';
import { silentLogger } from '../../src/engine/engineDeps.ts';
import type { NewEvent } from '../../src/engine/ports/store.ts';
import { openStore } from '../../src/store/openStore.ts';
import type { BatonBench } from '../lib/context.ts';
import { SECTIONS } from '../lib/context.ts';
import { nowMs, sleep, waitUntil } from '../lib/stats.ts';

const SUBSCRIBERS = 1_000;

/** epoch milliseconds with sub-millisecond resolution, comparable across threads */
const wallMs = (): number => performance.timeOrigin + nowMs();

/**
 * The subscribers live in a worker thread (plain JS, no loader needed), so parsing 1,000 streams
 * does not steal the server's event loop. Each scans the received bytes for frame ends (no text
 * decoding), reads the `id:` of each frame, records when each event arrived (for ids up to `record`)
 * and counts ids that do not follow the previous one.
 */
const CLIENT_WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const http = require('node:http');
const { url, count, record } = workerData;
const now = () => performance.timeOrigin + performance.now();
const receipts = new Float64Array(record * count);
const subs = [];
let lastReceipt = 0;
const SEP = Buffer.from('\\n\\n');
const I = 0x69, D = 0x64, COLON = 0x3a, NL = 0x0a;
// frames are 'id: <n>\\nevent: …\\ndata: …\\n\\n' (comments start with ':'): scan the bytes for
// the blank lines and read the id of each frame, without decoding the rest
function onData(sub, index, chunk) {
  const at = now();
  lastReceipt = at;
  const buf = sub.rest === null ? chunk : Buffer.concat([sub.rest, chunk]);
  let pos = 0;
  let end;
  while ((end = buf.indexOf(SEP, pos)) >= 0) {
    if (buf[pos] === I && buf[pos + 1] === D && buf[pos + 2] === COLON) {
      let id = 0;
      for (let k = pos + 4, c; (c = buf[k]) !== NL; k++) id = id * 10 + (c - 48);
      if (id !== sub.lastId + 1 && sub.lastId !== 0) sub.outOfOrder++;
      sub.received++;
      sub.lastId = id;
      if (id <= record) receipts[(id - 1) * count + index] = at;
    }
    pos = end + 2;
  }
  sub.rest = pos < buf.length ? buf.subarray(pos) : null;
}
function connect(index) {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { agent: false, headers: { accept: 'text/event-stream' } });
    const sub = { req, received: 0, lastId: 0, outOfOrder: 0, rest: null };
    req.on('response', (res) => {
      res.on('data', (chunk) => onData(sub, index, chunk));
      res.on('error', () => undefined);
      resolve(sub);
    });
    req.on('error', reject);
    req.end();
  });
}
parentPort.on('message', async (m) => {
  if (m.cmd === 'connect') {
    for (let i = 0; i < count; i += 100) {
      const batch = await Promise.all(Array.from({ length: Math.min(100, count - i) }, (_, j) => connect(i + j)));
      subs.push(...batch);
    }
    parentPort.postMessage({ connected: subs.length });
  } else if (m.cmd === 'wait') {
    const check = () => {
      if (subs.every((s) => s.lastId >= m.lastId)) {
        const received = subs.reduce((a, s) => a + s.received, 0);
        const outOfOrder = subs.reduce((a, s) => a + s.outOfOrder, 0);
        parentPort.postMessage({ reached: m.lastId, received, outOfOrder, lastReceipt });
      } else setTimeout(check, 2);
    };
    check();
  } else if (m.cmd === 'receipts') {
    parentPort.postMessage({ receipts }, [receipts.buffer]);
  } else if (m.cmd === 'close') {
    for (const s of subs) s.req.destroy();
    parentPort.postMessage({ closed: true });
  }
});
`;

interface WorkerReply {
  connected?: number;
  reached?: number;
  received?: number;
  outOfOrder?: number;
  lastReceipt?: number;
  receipts?: Float64Array;
  closed?: boolean;
}

function ask(
  w: Worker,
  msg: Record<string, unknown>,
  key: keyof WorkerReply,
  timeoutMs: number,
): Promise<WorkerReply> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => {
      w.off('message', on);
      reject(new Error(`SSE bench clients: no ${key} within ${timeoutMs} ms`));
    }, timeoutMs);
    const on = (m: WorkerReply): void => {
      if (m[key] === undefined) return;
      clearTimeout(t);
      w.off('message', on);
      resolve(m);
    };
    w.on('message', on);
    w.postMessage(msg);
  });
}

export const batonSseFanout: BatonBench = {
  id: 'baton-sse',
  title: 'Baton SSE fan-out to 1,000 subscribers (SQLite)',
  target: 'sqlite',
  section: SECTIONS.batonSqlite,
  run: async (ctx) => {
    const section = SECTIONS.batonSqlite;
    const latencyEvents = ctx.quick ? 150 : 600;
    const burstEvents = ctx.quick ? 1_000 : 5_000;
    const dir = mkdtempSync(join(tmpdir(), 'baton-bench-sse-'));
    const store = await openStore({ dataDir: dir, poolSize: 4 });
    const shutdown = new AbortController();
    const deps: ApiDeps = {
      engine: new Engine({ store }),
      store,
      config: {} as Config,
      logger: silentLogger,
      shutdown: shutdown.signal,
    };
    const app = Fastify({ logger: false });
    let worker: Worker | undefined;
    try {
      await app.register(async (scope) => streamRoutes(scope, { ...deps, streams: { heartbeatMs: 60_000 } }));
      await app.listen({ host: '127.0.0.1', port: 0 });
      const { port } = app.server.address() as AddressInfo;
      const url = `http://127.0.0.1:${port}/api/v1/stream`;
      const broadcaster = getEventBroadcaster(deps);

      // SQLite ids are contiguous and this is the only writer: the n-th event gets id n
      const committedAt = new Float64Array(latencyEvents + 1);
      let nextId = 1;
      const commit = async (n: number): Promise<void> => {
        const events: NewEvent[] = [];
        for (let i = 0; i < n; i++)
          events.push({ type: 'bench.tick', runId: null, stepId: null, payload: { i } });
        await store.transaction(async (tx) => {
          await tx.insertEvents(events, Date.now());
          tx.afterCommit(() => broadcaster.poke()); // the hint the app gives after its commits
        });
        const t = wallMs();
        for (let i = 0; i < n; i++, nextId++) if (nextId <= latencyEvents) committedAt[nextId] = t;
      };

      ctx.progress.update(`connecting ${SUBSCRIBERS} subscribers`);
      const w = new Worker(CLIENT_WORKER, {
        eval: true,
        workerData: { url, count: SUBSCRIBERS, record: latencyEvents },
      });
      worker = w;
      await ask(w, { cmd: 'connect' }, 'connected', 30_000);
      await waitUntil(() => broadcaster.subscriberCount === SUBSCRIBERS, {
        what: 'subscribers',
        timeoutMs: 10_000,
        signal: ctx.signal,
      });

      // phase 1: steady pace, commit → receipt
      ctx.progress.update(`latency: ${latencyEvents} events × ${SUBSCRIBERS}`);
      for (let sent = 0; sent < latencyEvents; sent += 5) {
        await commit(5);
        await sleep(20, ctx.signal);
      }
      await ask(w, { cmd: 'wait', lastId: nextId - 1 }, 'reached', 30_000);
      const { receipts } = await ask(w, { cmd: 'receipts' }, 'receipts', 10_000);
      const lat = new Float64Array(latencyEvents * SUBSCRIBERS);
      for (let id = 1; id <= latencyEvents; id++) {
        const c = committedAt[id]!;
        for (let k = 0; k < SUBSCRIBERS; k++) {
          const i = (id - 1) * SUBSCRIBERS + k;
          lat[i] = receipts![i]! - c;
        }
      }
      lat.sort(); // typed arrays sort numerically
      const pct = (p: number): number =>
        lat[Math.min(lat.length - 1, Math.floor((p / 100) * lat.length))] ?? NaN;

      // phase 2: burst, delivered events/s
      ctx.progress.update(`burst: ${burstEvents} events × ${SUBSCRIBERS}`);
      const before = (await ask(w, { cmd: 'wait', lastId: nextId - 1 }, 'reached', 10_000)).received ?? 0;
      const t0 = wallMs();
      for (let sent = 0; sent < burstEvents; sent += 100) await commit(100);
      const done = await ask(w, { cmd: 'wait', lastId: nextId - 1 }, 'reached', 60_000);
      const delivered = (done.received ?? 0) - before;
      // every subscriber got every event once, in id order (a gap or a repeat is counted)
      if (done.received !== (nextId - 1) * SUBSCRIBERS || done.outOfOrder !== 0) {
        throw new Error(
          `SSE delivery check failed: ${done.received} frames received, ${(nextId - 1) * SUBSCRIBERS} expected, ${done.outOfOrder} out of order`,
        );
      }
      const rate = (delivered / ((done.lastReceipt ?? NaN) - t0)) * 1000;
      const lat50 = pct(50);
      const lat99 = pct(99);

      ctx.report.add(section, `SSE delivered events/s, ${SUBSCRIBERS} subscribers (burst)`, rate, 'events/s');
      ctx.report.add(section, `SSE commit-to-receipt p50, ${SUBSCRIBERS} subscribers`, lat50, 'ms');
      ctx.report.add(section, `SSE commit-to-receipt p99, ${SUBSCRIBERS} subscribers`, lat99, 'ms', {
        label: 'target 100 ms',
        value: 100,
        higherIsBetter: false,
      });
    } finally {
      if (worker) {
        await ask(worker, { cmd: 'close' }, 'closed', 5_000).catch(() => undefined);
        await worker.terminate();
      }
      shutdown.abort();
      await app.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
