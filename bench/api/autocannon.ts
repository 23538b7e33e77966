/**
 * autocannon in a worker thread of the benchmark process, so the load generator does not share the
 * server's event loop (it shares the machine's cores, as a load generator on the same host does).
 *
 * Latencies are recorded per response from autocannon's `response` event, with sub-millisecond
 * resolution (autocannon's own histogram keeps whole milliseconds), and summarised here.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { percentile } from '../lib/stats.ts';

export interface LoadOptions {
  /** base URL of the server, e.g. http://127.0.0.1:4321 */
  url: string;
  /** request paths, cycled through by every connection */
  paths: readonly string[];
  headers: Record<string, string>;
  connections: number;
  durationSec: number;
  /** an unmeasured run first (JIT, caches, connection set-up); 0 for none */
  warmupSec: number;
}

export interface LoadResult {
  /** responses per second (every response counted; see `non2xx`) */
  rps: number;
  p50: number;
  p99: number;
  max: number;
  responses: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  /** status code → count, when any response was not 2xx */
  statusCodes: Record<string, number>;
  /** first bytes of one non-2xx body, for the error message */
  sampleError?: string;
}

/** Plain JS (no TypeScript loader needed in the worker). */
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const autocannon = require(workerData.autocannonPath);
function run(o, record) {
  return new Promise((resolve, reject) => {
    const latencies = [];
    let sampleError;
    const inst = autocannon({
      url: o.url,
      connections: o.connections,
      duration: o.durationSec,
      requests: o.paths.map((path) => ({ method: 'GET', path, headers: o.headers })),
      headers: o.headers,
    }, (err, res) => {
      if (err) return reject(err);
      resolve({ res, latencies, sampleError });
    });
    if (record) {
      inst.on('response', (client, statusCode, resBytes, responseTime) => {
        latencies.push(responseTime);
      });
      inst.on('reqError', () => undefined);
    }
  });
}
parentPort.on('message', async (o) => {
  try {
    if (o.warmupSec > 0) await run({ ...o, durationSec: o.warmupSec }, false);
    const { res, latencies } = await run(o, true);
    let sampleError;
    if (res.non2xx > 0) {
      // one request by hand to say what the server answered
      const r = await fetch(o.url + o.paths[0], { headers: o.headers });
      sampleError = r.status + ' ' + (await r.text()).slice(0, 300);
    }
    const statusCodes = {};
    for (const [code, v] of Object.entries(res.statusCodeStats || {})) statusCodes[code] = v.count;
    const lat = Float64Array.from(latencies);
    parentPort.postMessage({
      ok: true,
      responses: latencies.length,
      seconds: res.duration,
      non2xx: res.non2xx,
      errors: res.errors,
      timeouts: res.timeouts,
      statusCodes,
      sampleError,
      latencies: lat,
    }, [lat.buffer]);
  } catch (err) {
    parentPort.postMessage({ ok: false, error: String(err && err.stack || err) });
  }
});
`;

interface WorkerReply {
  ok: boolean;
  error?: string;
  responses: number;
  seconds: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  statusCodes: Record<string, number>;
  sampleError?: string;
  latencies: Float64Array;
}

/** Runs autocannon against `opts.url` (in a fresh worker) and summarises the measured run. */
export async function runLoad(opts: LoadOptions, signal?: AbortSignal): Promise<LoadResult> {
  signal?.throwIfAborted();
  const autocannonPath = createRequire(import.meta.url).resolve('autocannon');
  const worker = new Worker(WORKER, { eval: true, workerData: { autocannonPath } });
  try {
    const reply = await new Promise<WorkerReply>((resolve, reject) => {
      const limit = (opts.warmupSec + opts.durationSec) * 1000 + 30_000;
      const timer = setTimeout(() => reject(new Error(`autocannon: no result within ${limit} ms`)), limit);
      const onAbort = (): void =>
        reject(signal?.reason instanceof Error ? signal.reason : new Error('aborted'));
      signal?.addEventListener('abort', onAbort, { once: true });
      worker.once('message', (m: WorkerReply) => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        resolve(m);
      });
      worker.once('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
      worker.postMessage({ ...opts, paths: [...opts.paths] });
    });
    if (!reply.ok) throw new Error(`autocannon failed: ${reply.error}`);
    const lat = reply.latencies.sort();
    const values = Array.from(lat);
    const result: LoadResult = {
      rps: reply.responses / reply.seconds,
      p50: percentile(values, 50),
      p99: percentile(values, 99),
      max: values.at(-1) ?? Number.NaN,
      responses: reply.responses,
      non2xx: reply.non2xx,
      errors: reply.errors,
      timeouts: reply.timeouts,
      statusCodes: reply.statusCodes,
    };
    if (reply.sampleError !== undefined) result.sampleError = reply.sampleError;
    return result;
  } finally {
    await worker.terminate();
  }
}

/** Throws (failing the figure) when any request was refused, failed or timed out. */
export function assertAllOk(what: string, r: LoadResult): void {
  if (r.non2xx === 0 && r.errors === 0 && r.timeouts === 0 && r.responses > 0) return;
  const codes = Object.entries(r.statusCodes)
    .map(([code, n]) => `${code}×${n}`)
    .join(', ');
  throw new Error(
    `${what}: ${r.non2xx} non-2xx (${codes}), ${r.errors} errors, ${r.timeouts} timeouts of ${r.responses}` +
      (r.sampleError ? `; e.g. ${r.sampleError}` : ''),
  );
}
