/**
 * The HTTP API under load, on SQLite and on PostgreSQL: autocannon (10 connections, in a worker
 * thread) against the real server (`serve()`, bench/api/apiFixture.ts) on 127.0.0.1, every request
 * with the admin token in `Authorization: Bearer …`.
 *
 * - reference, same server and run: `GET /healthz` (no database, no auth) — the ceiling of the
 *   server and load generator on this machine; requests/s and p99 below are compared with it;
 * - `api-run-get`: `GET /api/v1/runs/{id}` over seeded three-step runs (steps, attempts, events),
 *   at 10 connections and at one; beside it the same read in-process (`engine.getRun`, sequential)
 *   to show the HTTP share;
 * - `api-ledger-page`: `GET /agents/tasks/paged?limit=50` over 1,000,000 ledger rows (100,000 with
 *   --quick): no filter, `status`, `task`, both, and with a cursor deep in the data; requests/s and
 *   p99 at 10 connections, p99 at one connection (no queueing), each p99 against the 10 ms target;
 *   and the store's `pageTasks()` for the same page in-process (sequential), where the time goes.
 */
import { Engine } from '../../src/engine/engine.ts';
import type { LedgerStore } from '../../src/ledger/ledgerStore.ts';
import type { TaskFilter, TaskKey } from '../../src/ledger/ledgerTypes.ts';
import { decodeTaskCursor } from '../../src/ledger/cursor.ts';
import { openLedgerStore } from '../../src/ledger/openLedgerStore.ts';
import { PROJECTOR_CURSOR } from '../../src/ledger/ledgerProjector.ts';
import { openStore } from '../../src/store/openStore.ts';
import type { BatonBench, BenchContext, BenchTarget } from '../lib/context.ts';
import { SECTIONS } from '../lib/context.ts';
import type { ReportRef } from '../lib/report.ts';
import { nowMs, summarize, waitUntil } from '../lib/stats.ts';
import {
  AUTH_HEADERS,
  createApiDatabase,
  ledgerCursorAfter,
  seedLedger,
  seedRuns,
  startServer,
  type RunningServer,
} from './apiFixture.ts';
import { assertAllOk, runLoad, type LoadResult } from './autocannon.ts';

const PARTS = ['api-run-get', 'api-ledger-page'] as const;
type Part = (typeof PARTS)[number];

/** Parts of the unit for `target` selected by `--only` (all of them unless a part is named). */
function selectedParts(ctx: BenchContext, target: BenchTarget): Set<Part> {
  const tokensOf = (p: Part): string[] => [p, `${p}-${target}`];
  const named = PARTS.filter((p) => tokensOf(p).some((t) => ctx.only.includes(t)));
  return new Set(named.length > 0 ? named : PARTS);
}

const LEDGER_TARGET_MS = 10;

interface LedgerVariant {
  label: string;
  query: string;
  filter: TaskFilter;
  /** cycle through cursors deep in the data instead of the first page */
  deep?: boolean;
}

const LEDGER_VARIANTS: LedgerVariant[] = [
  { label: 'first page', query: '', filter: {} },
  { label: 'status=failed', query: '&status=failed', filter: { status: ['failed'] } },
  { label: 'task=t3', query: '&task=t3', filter: { task: 't3' } },
  {
    label: 'task=t3&status=failed,running',
    query: '&task=t3&status=failed,running',
    filter: { task: 't3', status: ['failed', 'running'] },
  },
  { label: 'cursor at 90-99 %', query: '', filter: {}, deep: true },
  {
    label: 'status=failed, cursor at 90-99 %',
    query: '&status=failed',
    filter: { status: ['failed'] },
    deep: true,
  },
];

/** Sequential in-process timings of `op` (after a few warm-up calls). */
async function timeSequential(
  samples: number,
  op: () => Promise<unknown>,
): Promise<{ p50: number; p99: number }> {
  for (let i = 0; i < 5; i++) await op();
  const values: number[] = [];
  for (let i = 0; i < samples; i++) {
    const t0 = nowMs();
    await op();
    values.push(nowMs() - t0);
  }
  const s = summarize(values);
  return { p50: s.p50, p99: s.p99 };
}

function apiUnit(target: BenchTarget): BatonBench {
  const section = target === 'sqlite' ? SECTIONS.apiSqlite : SECTIONS.apiPostgres;
  const store = target === 'sqlite' ? 'SQLite' : 'PostgreSQL';
  return {
    id: `api-${target}`,
    title: `Baton HTTP API on ${store} (autocannon)`,
    target,
    section,
    tags: ['api', ...PARTS, ...PARTS.map((p) => `${p}-${target}`)],
    run: async (ctx) => {
      const { sizes, report, progress, signal } = ctx;
      const parts = selectedParts(ctx, target);
      const rows = parts.has('api-ledger-page') ? sizes.apiLedgerRows : 0;
      const runs = sizes.apiRuns;
      const db = await createApiDatabase(ctx, target, `api_${target}`);
      let server: RunningServer | undefined;
      try {
        // ---- data, then the server -------------------------------------------------------------
        const seeded = await seedRuns(ctx, db, runs);
        if (rows > 0) {
          const { ms } = await seedLedger(ctx, db, rows);
          progress.log(
            `${store}: ${rows.toLocaleString('en-US')} ledger rows seeded in ${(ms / 1000).toFixed(1)} s (${Math.round((rows / ms) * 1000).toLocaleString('en-US')} rows/s)`,
          );
        }
        progress.update('starting serve()');
        server = await startServer(db);
        const ledger: LedgerStore = openLedgerStore({ databaseUrl: db.databaseUrl, dataDir: db.dataDir });
        try {
          // the server's ledger projector mirrors the seeded runs' steps first: let it finish
          progress.update('waiting for the ledger projector');
          await waitUntil(async () => (await ledger.getCursor(PROJECTOR_CURSOR)) >= seeded.lastEventId, {
            what: 'the ledger projector to catch up',
            timeoutMs: 120_000,
            intervalMs: 100,
            signal,
          });

          report.note(
            section,
            `autocannon ${sizes.apiConnections} connections, ${sizes.apiSeconds} s per figure after a ${sizes.apiWarmupSeconds} s warm-up, ` +
              `in a worker thread of this process; serve() on 127.0.0.1 with request logging off; ` +
              `every request sends Authorization: Bearer <admin token>. ${runs} runs` +
              (rows > 0 ? `, ${rows.toLocaleString('en-US')} ledger rows (+${runs * 3} projected)` : '') +
              (rows === 0
                ? ''
                : target === 'postgres'
                  ? '; VACUUM ANALYZE after the bulk load'
                  : '; no ANALYZE (Baton runs none)'),
          );
          const load = async (
            what: string,
            paths: string[],
            connections = sizes.apiConnections,
          ): Promise<LoadResult> => {
            progress.update(`autocannon ${what}, ${connections} connection${connections === 1 ? '' : 's'}`);
            const single = connections === 1;
            const r = await runLoad(
              {
                url: server!.url,
                paths,
                headers: AUTH_HEADERS,
                connections,
                // one connection: the latency without queueing, in half the time
                durationSec: single ? Math.max(1, sizes.apiSeconds / 2) : sizes.apiSeconds,
                warmupSec: single ? Math.min(0.5, sizes.apiWarmupSeconds) : sizes.apiWarmupSeconds,
              },
              signal,
            );
            assertAllOk(what, r);
            return r;
          };

          // ---- the reference: the same server's cheapest route ---------------------------------
          const health = await load('GET /healthz', ['/healthz']);
          report.add(section, 'GET /healthz (reference ceiling): requests/s', health.rps, 'req/s');
          report.add(section, 'GET /healthz (reference ceiling): p99', health.p99, 'ms');
          const vsHealthRps: ReportRef = { label: '/healthz', value: health.rps, higherIsBetter: true };
          const vsHealthP99: ReportRef = { label: '/healthz', value: health.p99, higherIsBetter: false };
          const target10: ReportRef = {
            label: `target ${LEDGER_TARGET_MS} ms`,
            value: LEDGER_TARGET_MS,
            higherIsBetter: false,
          };

          // ---- GET /api/v1/runs/{id} ------------------------------------------------------------
          if (parts.has('api-run-get')) {
            const label = 'GET /api/v1/runs/{id}';
            try {
              const ids = seeded.ids.slice(0, 100);
              const paths = ids.map((id) => `/api/v1/runs/${id}`);
              const r = await load(label, paths);
              report.add(section, `${label}: requests/s`, r.rps, 'req/s', vsHealthRps);
              report.add(section, `${label}: p50`, r.p50, 'ms');
              report.add(section, `${label}: p99`, r.p99, 'ms', vsHealthP99);
              const one = await load(label, paths, 1);
              report.add(section, `${label}: p99, 1 connection`, one.p99, 'ms');
              progress.update('engine.getRun in-process');
              const raw = await openStore({ databaseUrl: db.databaseUrl, dataDir: db.dataDir, poolSize: 2 });
              try {
                const engine = new Engine({ store: raw });
                let k = 0;
                const t = await timeSequential(sizes.apiStoreSamples, () =>
                  engine.getRun(ids[k++ % ids.length]!),
                );
                report.add(section, `${label}: the same read in-process (engine.getRun), p50`, t.p50, 'ms');
              } finally {
                await raw.close();
              }
            } catch (error) {
              report.fail(section, label, error);
            }
          }

          // ---- GET /agents/tasks/paged ----------------------------------------------------------
          if (parts.has('api-ledger-page')) {
            // 20 cursors between 90 % and 99 % of the rows: clients deep in a long walk (full pages)
            const deepRows = Array.from({ length: 20 }, (_, k) => Math.floor(rows * (0.9 + (0.09 * k) / 20)));
            const deepCursors = deepRows.map(ledgerCursorAfter);
            const deepKeys: TaskKey[] = deepCursors.map(decodeTaskCursor);
            for (const v of LEDGER_VARIANTS) {
              const label = `ledger page limit=50, ${v.label}`;
              try {
                const base = `/agents/tasks/paged?limit=50${v.query}`;
                const paths = v.deep ? deepCursors.map((c) => `${base}&cursor=${c}`) : [base];
                // the pages measured are full ones
                for (const path of [paths[0]!, paths.at(-1)!]) {
                  const res = await fetch(`${server.url}${path}`, { headers: AUTH_HEADERS });
                  const body = (await res.json()) as { items?: unknown[] };
                  if (res.status !== 200 || body.items?.length !== 50)
                    throw new Error(
                      `${path}: ${res.status}, ${body.items?.length ?? 'no'} items (50 expected)`,
                    );
                }
                const r = await load(label, paths);
                report.add(section, `${label}: requests/s`, r.rps, 'req/s', vsHealthRps);
                report.add(section, `${label}: p99`, r.p99, 'ms', target10);
                const one = await load(label, paths, 1);
                report.add(section, `${label}: p99, 1 connection`, one.p99, 'ms', target10);
                progress.update(`${label}: pageTasks in-process`);
                let k = 0;
                const t = await timeSequential(sizes.apiStoreSamples, () =>
                  ledger.pageTasks(v.filter, v.deep ? deepKeys[k++ % deepKeys.length] : undefined, 51),
                );
                report.add(section, `${label}: store pageTasks() in-process, p50`, t.p50, 'ms');
              } catch (error) {
                report.fail(section, label, error);
              }
            }
          }
        } finally {
          await ledger.close();
        }
      } finally {
        progress.update('stopping the server');
        await server?.stop();
        await db.close();
      }
    },
  };
}

export const apiSqlite = apiUnit('sqlite');
export const apiPostgres = apiUnit('postgres');
