/**
 * Versions of the packages under test, read from their package.json in node_modules (not from
 * Baton's package.json ranges), plus the runtime.
 */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (bench/lib/../..). */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Installed version of `name`, or "not installed". */
export function packageVersion(name: string): string {
  try {
    const file = path.join(REPO_ROOT, 'node_modules', ...name.split('/'), 'package.json');
    const json = JSON.parse(readFileSync(file, 'utf8')) as { version?: unknown };
    return typeof json.version === 'string' ? json.version : 'unknown';
  } catch {
    return 'not installed';
  }
}

export const BENCH_PACKAGES = [
  'pg-boss',
  'graphile-worker',
  '@dbos-inc/dbos-sdk',
  'better-sqlite3',
  'pg',
  'kysely',
  'tsx',
] as const;

export function packageVersions(names: readonly string[] = BENCH_PACKAGES): Record<string, string> {
  return Object.fromEntries(names.map((n) => [n, packageVersion(n)]));
}

export function runtimeDescription(): string {
  const cpus = os.cpus();
  const model = cpus[0]?.model.trim() ?? 'unknown CPU';
  const memGiB = (os.totalmem() / 2 ** 30).toFixed(0);
  return `Node ${process.version} · ${process.platform} ${process.arch} · ${cpus.length} × ${model} · ${memGiB} GiB RAM`;
}
