import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import type { ApiDeps } from '../../src/api/apiDeps.ts';
import { ledgerRoutes, type LedgerRouteDeps } from '../../src/api/routes/ledger.ts';
import type { Config } from '../../src/config/configSchema.ts';
import { isBatonError } from '../../src/domain/errors.ts';
import { silentLogger } from '../../src/engine/engineDeps.ts';
import type { Engine } from '../../src/engine/engine.ts';
import type { Store } from '../../src/engine/ports/store.ts';
import type { LedgerTask } from '../../src/ledger/ledgerTypes.ts';
import { openPostgres } from '../../src/store/dialects/postgres/openPostgres.ts';
import { openSqlite } from '../../src/store/dialects/sqlite/openSqlite.ts';
import type { LedgerDatabase } from '../../src/store/queries/ledger/ledgerSchema.ts';
import { taskToRow } from '../../src/store/queries/ledger/taskRow.ts';
import type { TestDb } from '../helpers/dialects.ts';

export function testConfig(db: TestDb, extra: Partial<Config> = {}): Config {
  return {
    dataDir: db.storeOptions.dataDir,
    databaseUrl: db.storeOptions.databaseUrl,
    host: '127.0.0.1',
    port: 0,
    adminToken: undefined,
    githubWebhookSecret: undefined,
    redisUrl: undefined,
    concurrency: 2,
    leaseMs: 3_000,
    heartbeatMs: 100,
    pollMs: 20,
    killGraceMs: 300,
    workflowDirs: [],
    stepEnv: [],
    logLevel: 'silent',
    ...extra,
  };
}

/** A bare Fastify app with the ledger plugin and a minimal problem+json error handler. */
export async function ledgerApp(
  store: Store,
  deps: Omit<LedgerRouteDeps, keyof ApiDeps> & { config: Config; engine?: Engine },
): Promise<FastifyInstance> {
  const app = Fastify();
  app.setErrorHandler((err: FastifyError, _req, reply) => {
    const status = err.statusCode ?? 500;
    void reply
      .code(status)
      .header('content-type', 'application/problem+json')
      .send({
        status,
        code: isBatonError(err) ? err.code : (err.code ?? 'internal'),
        detail: err.message,
        ...(isBatonError(err) && err.field ? { field: err.field } : {}),
      });
  });
  const shutdown = new AbortController();
  app.addHook('onClose', async () => shutdown.abort());
  await app.register(async (scope) =>
    ledgerRoutes(scope, {
      ...deps,
      engine: deps.engine ?? ({} as Engine),
      store,
      logger: silentLogger,
      shutdown: shutdown.signal,
    }),
  );
  await app.ready();
  return app;
}

/** A Kysely handle on the test database, for bulk inserts. */
export function rawLedgerDb(db: TestDb): Kysely<LedgerDatabase> {
  const o = db.storeOptions;
  if (o.databaseUrl) return openPostgres({ url: o.databaseUrl, schema: o.schema, poolSize: 2 }).db as never;
  return openSqlite(join(o.dataDir, 'baton.db')).db as never;
}

export async function bulkInsert(k: Kysely<LedgerDatabase>, rows: LedgerTask[]): Promise<void> {
  await k.transaction().execute(async (trx) => {
    for (let i = 0; i < rows.length; i += 500) {
      await trx
        .insertInto('agents_tasks')
        .values(rows.slice(i, i + 500).map(taskToRow))
        .execute();
    }
  });
}

/** A small RFC 4180 parser (quoted fields with doubled quotes, commas and line breaks). */
export function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let field = '';
  let record: string[] = [];
  let i = 0;
  let quoted = false;
  while (i < text.length) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
        i++;
        continue;
      }
      field += c;
      i++;
      continue;
    }
    if (c === '"') {
      if (field !== '') throw new Error(`quote inside an unquoted field at ${i}`);
      quoted = true;
      i++;
    } else if (c === ',') {
      record.push(field);
      field = '';
      i++;
    } else if (c === '\r' && text[i + 1] === '\n') {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      i += 2;
    } else if (c === '\n' || c === '\r') {
      throw new Error(`bare line break outside quotes at ${i}`);
    } else {
      field += c;
      i++;
    }
  }
  if (quoted) throw new Error('unterminated quoted field');
  if (field !== '' || record.length) throw new Error('last record not CRLF-terminated');
  return records;
}

export interface Receiver {
  url: string;
  bodies: unknown[];
  hits: number;
  close(): Promise<void>;
}

/** A real webhook receiver on 127.0.0.1 that answers 500 to its first `failFirst` requests. */
export async function startReceiver(failFirst = 0): Promise<Receiver> {
  const r: Receiver = { url: '', bodies: [], hits: 0, close: async () => undefined };
  const server: Server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      r.hits++;
      if (r.hits <= failFirst) {
        res.writeHead(500).end('try again');
        return;
      }
      r.bodies.push(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  r.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  r.close = () => new Promise((resolve) => server.close(() => resolve()));
  return r;
}

export async function until(pred: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await pred())) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}
