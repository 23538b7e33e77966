/**
 * Baton benchmark: reference measurements (the stores' raw commit rates, pg-boss, graphile-worker,
 * DBOS Transact) and Baton's own figures (bench/baton/), measured in the same run on the same
 * machine, in one report.
 *
 *   npm run bench                      # everything (a few minutes)
 *   npm run bench -- --quick           # smoke run
 *   npm run bench -- --only=sqlite     # or postgres, references, baton, a unit id; comma-separated
 *   npm run bench -- --only=api        # the HTTP API with autocannon (or api-run-get, api-ledger-page)
 *   npm run bench -- --only=agents     # agent transcript ingestion and memory (agents-transcript, agents-memory)
 *
 * Progress goes to stderr, the report to stdout. Exit code 1 when any figure failed.
 */
import { writeFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { agentBenches } from './agents/index.ts';
import { apiBenches } from './api/index.ts';
import { batonBenches } from './baton/index.ts';
import { isSelected, parseBenchArgs, unknownTokens, USAGE } from './lib/cli.ts';
import { FULL_SIZES, QUICK_SIZES, SECTIONS, type BenchContext, type BenchUnit } from './lib/context.ts';
import { defaultPgUrl, pgServerInfo } from './lib/pg.ts';
import { Progress } from './lib/progress.ts';
import { Report } from './lib/report.ts';
import { nowMs } from './lib/stats.ts';
import { packageVersions, runtimeDescription } from './lib/versions.ts';
import { referenceBenches } from './references/index.ts';

function sqliteVersion(): string {
  const db = new Database(':memory:');
  try {
    return (db.prepare('SELECT sqlite_version() AS v').get() as { v: string }).v;
  } finally {
    db.close();
  }
}

async function main(): Promise<number> {
  let cli;
  try {
    cli = parseBenchArgs(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
    return 2;
  }
  if (cli.help) {
    process.stdout.write(USAGE);
    return 0;
  }

  const units: BenchUnit[] = [
    ...referenceBenches,
    ...batonBenches.map((b): BenchUnit => ({ ...b, kind: 'baton' })),
    ...agentBenches.map((b): BenchUnit => ({ ...b, kind: 'baton' })),
    ...apiBenches.map((b): BenchUnit => ({ ...b, kind: 'baton' })),
  ];
  const unknown = unknownTokens(units, cli.only);
  if (unknown.length > 0) {
    process.stderr.write(`Unknown --only value(s): ${unknown.join(', ')}\n\n${USAGE}`);
    return 2;
  }
  const selected = units.filter((u) => isSelected(u, cli.only));
  const pgUrl = cli.pgUrl ?? defaultPgUrl();
  const needsPg = selected.some((u) => u.target === 'postgres');

  const progress = new Progress();
  const abort = new AbortController();
  let interrupts = 0;
  const onSigint = (): void => {
    interrupts++;
    if (interrupts > 1) process.exit(130);
    progress.log('interrupted: cleaning up (Ctrl-C again to exit at once)');
    abort.abort(new Error('interrupted'));
  };
  process.on('SIGINT', onSigint);

  const sizes = cli.quick ? QUICK_SIZES : FULL_SIZES;
  const report = new Report(`Baton benchmark${cli.quick ? ' (--quick: small N, smoke run)' : ''}`);
  report.setMeta('date', new Date().toISOString());
  report.setMeta('runtime', runtimeDescription());
  report.setMeta(
    'packages',
    Object.entries(packageVersions())
      .map(([name, version]) => `${name} ${version}`)
      .join(', '),
  );
  report.setMeta('SQLite', sqliteVersion());
  if (needsPg) {
    try {
      const info = await pgServerInfo(pgUrl);
      report.setMeta(
        'PostgreSQL',
        `${info.version} (server defaults: synchronous_commit=${info.synchronousCommit}, fsync=${info.fsync}, wal_sync_method=${info.walSyncMethod})`,
      );
    } catch (error) {
      process.stderr.write(
        `Cannot reach PostgreSQL at ${pgUrl}: ${error instanceof Error ? error.message : String(error)}\n`,
      );
      return 1;
    }
  }
  report.setMeta('selection', cli.only.length ? cli.only.join(', ') : 'all');
  for (const name of Object.values(SECTIONS)) report.section(name); // fixes the print order

  const ctx: BenchContext = {
    report,
    progress,
    signal: abort.signal,
    pgUrl,
    quick: cli.quick,
    sizes,
    refs: {},
    only: cli.only,
  };
  const started = nowMs();
  for (const unit of selected) {
    if (abort.signal.aborted) {
      report.fail(unit.section, unit.title, 'skipped (interrupted)');
      continue;
    }
    try {
      await progress.step(unit.title, () => unit.run(ctx));
    } catch (error) {
      report.fail(unit.section, unit.title, error);
    }
  }
  process.off('SIGINT', onSigint);
  report.setMeta('duration', `${((nowMs() - started) / 1000).toFixed(1)} s of measuring`);

  report.print();
  if (cli.json) writeFileSync(cli.json, `${JSON.stringify(report.toJSON(), null, 2)}\n`);
  return report.hasFailures() ? 1 : 0;
}

const code = await main();
process.exitCode = code;
// A library that leaves a timer or socket behind must not hang the benchmark: exit shortly after.
setTimeout(() => {
  process.stderr.write('[bench] handles still open after the report; exiting\n');
  process.exit(code);
}, 3000).unref();
