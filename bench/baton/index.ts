/**
 * Baton's own benchmarks. Add a unit per file in bench/baton/ and list it here; bench/index.ts runs
 * them after the references, in this order, with the reference figures in `ctx.refs`.
 *
 * A unit adds its figures to `ctx.report`, comparing with a reference when one was measured:
 *
 *   export const batonPgQueue: BatonBench = {
 *     id: 'baton-postgres-queue', title: 'Baton queue on PostgreSQL', target: 'postgres',
 *     section: SECTIONS.batonPostgres,
 *     run: async (ctx) => {
 *       const rate = …;
 *       const ref = ctx.refs.graphileWorker;
 *       ctx.report.add(SECTIONS.batonPostgres, 'no-op step throughput, c10', rate, 'steps/s',
 *         ref && { label: 'graphile-worker', value: ref.throughputC10, higherIsBetter: true });
 *     },
 *   };
 *
 * Units are selected by `--only=sqlite|postgres|baton|<id>` and skipped by `--only=references`.
 */
import type { BatonBench } from '../lib/context.ts';

import { batonPostgres, batonSqlite } from './engineBench.ts';
import { batonSseFanout } from './sseBench.ts';

export const batonBenches: BatonBench[] = [batonSqlite, batonPostgres, batonSseFanout];
