/**
 * The HTTP API benchmarks (autocannon against `serve()`), one unit per store. Selected by
 * `--only=api`, `--only=api-sqlite|api-postgres`, or one part on both stores: `--only=api-run-get`,
 * `--only=api-ledger-page` (`api-run-get-sqlite`, … for one store).
 */
import type { BatonBench } from '../lib/context.ts';
import { apiPostgres, apiSqlite } from './apiBench.ts';

export const apiBenches: BatonBench[] = [apiSqlite, apiPostgres];
