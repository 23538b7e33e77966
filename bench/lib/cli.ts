/**
 * Command line of `npm run bench -- [--quick] [--only=…] [--json=FILE] [--pg-url=URL]`.
 */
import { parseArgs } from 'node:util';
import type { BenchUnit } from './context.ts';

export interface BenchCliOptions {
  quick: boolean;
  /** Selection tokens; empty = everything. */
  only: string[];
  json: string | undefined;
  pgUrl: string | undefined;
  help: boolean;
}

export const USAGE = `Usage: npm run bench -- [options]

  --quick            small problem sizes (a smoke run, well under a minute of measuring)
  --only=LIST        comma-separated: sqlite | postgres | references | baton | <unit id>
                       sqlite      SQLite raw rates + Baton on SQLite
                       postgres    PostgreSQL raw rates, pg-boss, graphile-worker, DBOS + Baton on PostgreSQL
                       references  every reference, no Baton figures
                       ids: raw-sqlite, raw-postgres, pg-boss, graphile-worker, dbos, and Baton's unit ids
                       api         the HTTP API (autocannon) on both stores; parts: api-run-get,
                                   api-ledger-page (both stores) or api-run-get-sqlite, … (one)
                       agents      agent transcript ingestion (agents-transcript) and orchestrator
                                   memory with 50 agent steps streaming (agents-memory), on SQLite
  --json=FILE        also write the report as JSON
  --pg-url=URL       PostgreSQL server to use (default $BATON_BENCH_PG_URL or
                     postgres://postgres@127.0.0.1:5432/postgres); databases baton_bench_* are
                     created and dropped there
  --help             this text
`;

export function parseBenchArgs(argv: string[]): BenchCliOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: 'boolean', default: false },
      only: { type: 'string', multiple: true },
      json: { type: 'string' },
      'pg-url': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  const only = (values.only ?? [])
    .flatMap((v) => v.split(/[,|]/))
    .map((v) => v.trim().toLowerCase())
    .filter(Boolean);
  return {
    quick: values.quick ?? false,
    only,
    json: values.json,
    pgUrl: values['pg-url'],
    help: values.help ?? false,
  };
}

/** True when `unit` is selected by the `--only` tokens (no tokens selects everything). */
export function isSelected(unit: BenchUnit, only: readonly string[]): boolean {
  if (only.length === 0) return true;
  return only.some((token) => {
    switch (token) {
      case 'sqlite':
      case 'postgres':
        return unit.target === token;
      case 'references':
      case 'reference':
        return unit.kind === 'reference';
      case 'baton':
        return unit.kind === 'baton';
      default:
        return unit.id === token || (unit.tags?.includes(token) ?? false);
    }
  });
}

/** Tokens that match no unit (reported as an error rather than silently running nothing). */
export function unknownTokens(units: readonly BenchUnit[], only: readonly string[]): string[] {
  const keywords = new Set(['sqlite', 'postgres', 'references', 'reference', 'baton']);
  return only.filter(
    (t) => !keywords.has(t) && !units.some((u) => u.id === t || (u.tags?.includes(t) ?? false)),
  );
}
