import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { readableWorkspaces } from '../../domain/access/authorize.ts';
import { DEFAULT_WORKSPACE } from '../../domain/access/defaultWorkspace.ts';
import { access } from '../auth/accessRule.ts';
import type { FastifyRouteSchemaDef, FastifyValidationResult } from 'fastify/types/schema.js';
import { serializerCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import { BatonError, type ErrorCode } from '../../domain/errors.ts';
import { csvRecord } from '../../ledger/csv.ts';
import { decodeTaskCursor, encodeTaskCursor } from '../../ledger/cursor.ts';
import { createLedgerNotifier, type LedgerNotifier } from '../../ledger/ledgerNotifier.ts';
import {
  createTaskBody,
  CSV_COLUMNS,
  csvTasksQuery,
  listTasksQuery,
  pageOut,
  pagedTasksQuery,
  patchTaskBody,
  taskIdParams,
  taskOut,
} from '../../ledger/ledgerSchemas.ts';
import { createTask, patchTask } from '../../ledger/ledgerService.ts';
import type { LedgerStore } from '../../ledger/ledgerStore.ts';
import type { TaskFilter, TaskKey } from '../../ledger/ledgerTypes.ts';
import { openLedgerStore } from '../../ledger/openLedgerStore.ts';
import { toWire } from '../../ledger/toWire.ts';
import type { ApiDeps } from '../apiDeps.ts';

/** Status of the errors this plugin raises, so it is right even without the app's error handler. */
const STATUS: Partial<Record<ErrorCode, number>> = {
  invalid_input: 400,
  not_found: 404,
  conflict: 409,
  invalid_state: 409,
};

function withStatus(e: unknown): unknown {
  if (e instanceof BatonError && STATUS[e.code] && !('statusCode' in e)) {
    Object.defineProperty(e, 'statusCode', {
      value: STATUS[e.code],
      enumerable: false,
      writable: true,
      configurable: true,
    });
  }
  return e;
}

/** zod validation that fails with a BatonError naming the field (`invalid_input`, 400). */
function zodValidator<S>({ schema, httpPart }: FastifyRouteSchemaDef<S>): FastifyValidationResult {
  return (data: unknown) => {
    const r = (schema as unknown as z.ZodType).safeParse(data);
    if (r.success) return { value: r.data };
    const issue = r.error.issues[0];
    const path = issue?.path.map(String) ?? [];
    const field = path.length ? path.join('.') : (httpPart ?? 'body');
    const where = httpPart === 'querystring' ? 'query' : (httpPart ?? 'body');
    return {
      error: withStatus(
        new BatonError('invalid_input', `${where} ${field}: ${issue?.message ?? 'invalid'}`, {
          field,
          hint: 'the task ledger schemas are published with the API (openapi.json)',
        }),
      ) as Error,
    };
  };
}

/** the zod type provider's response serializer, typed for any route schema */
function zodSerializer<S>(def: FastifyRouteSchemaDef<S>): ReturnType<typeof serializerCompiler> {
  return serializerCompiler(def as unknown as Parameters<typeof serializerCompiler>[0]);
}

const route = { validatorCompiler: zodValidator, serializerCompiler: zodSerializer } as const;
/**
 * Read routes serialise what `toWire` built (typed as the published schema) without re-validating
 * it: on a 50-row page the zod pass over `inputs` (arbitrary JSON) cost more than the query. The
 * contract and ledger tests check these bodies against the schema.
 */
const readRoute = {
  validatorCompiler: zodValidator,
  serializerCompiler: () => (data: unknown) => JSON.stringify(data),
} as const;
const TAGS = ['task ledger'];
const CSV_BATCH = 500;

export type LedgerRouteDeps = ApiDeps & {
  /** the ledger's store (default: its own connection opened from `config`, closed with the app) */
  ledger?: LedgerStore;
  /** the notifier to use (default: one from `config`, stopped with the app) */
  notifier?: LedgerNotifier;
};

/**
 * The task ledger at the paths existing scripts call (no /api/v1 prefix): `POST /agents/tasks/`,
 * `PATCH /agents/tasks/{id}`, `GET /agents/tasks/`, `GET /agents/tasks/{id}`,
 * `GET /agents/tasks/paged` (keyset on (started_at, id)) and `GET /agents/tasks/paged.csv`
 * (streamed, at most 10,000 rows).
 */
export async function ledgerRoutes(app: FastifyInstance, deps: LedgerRouteDeps): Promise<void> {
  const ledger =
    deps.ledger ?? openLedgerStore({ databaseUrl: deps.config.databaseUrl, dataDir: deps.config.dataDir });
  const notifier =
    deps.notifier ?? createLedgerNotifier({ ledger, config: deps.config, logger: deps.logger });
  app.addHook('onClose', async () => {
    if (!deps.notifier) await notifier.stop();
    if (!deps.ledger) await ledger.close();
  });
  const r = app.withTypeProvider<ZodTypeProvider>();
  const guard = async <T>(fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (e) {
      throw withStatus(e);
    }
  };

  r.post(
    '/agents/tasks/',
    {
      ...route,
      // in the token's workspace (a token restricted to one), else the default workspace
      config: { access: access.workspace('ledger.write', () => undefined) },
      schema: {
        tags: TAGS,
        summary: 'Record a task',
        body: createTaskBody,
        response: { 201: taskOut },
      },
    },
    async (req, reply) =>
      guard(async () => {
        const workspace = req.batonAuth?.workspace ?? DEFAULT_WORKSPACE;
        const { task, enteredApproval } = await createTask(ledger, req.body, Date.now(), workspace);
        if (enteredApproval) notifier.notify(task.id);
        return reply.code(201).header('location', `/agents/tasks/${task.id}`).send(toWire(task));
      }),
  );

  r.patch(
    '/agents/tasks/:id',
    {
      ...route,
      config: { access: access.resource('ledger.write', 'task') },
      schema: {
        tags: TAGS,
        summary: 'Update a task (status transitions are checked)',
        params: taskIdParams,
        body: patchTaskBody,
        response: { 200: taskOut },
      },
    },
    async (req) =>
      guard(async () => {
        const { task, enteredApproval } = await patchTask(ledger, req.params.id, req.body, Date.now());
        if (enteredApproval) notifier.notify(task.id);
        return toWire(task);
      }),
  );

  r.get(
    '/agents/tasks/',
    {
      ...readRoute,
      config: { access: access.any('ledger.read') },
      schema: {
        tags: TAGS,
        summary: 'List tasks, newest first (at most `limit`; walk everything with /agents/tasks/paged)',
        querystring: listTasksQuery,
        response: { 200: taskOut.array() },
      },
    },
    async (req) =>
      guard(async () => {
        const q = req.query;
        const rows = await ledger.listTasks(filterOf(q, readableOf(req)), q.limit);
        return rows.map(toWire);
      }),
  );

  r.get(
    '/agents/tasks/paged',
    {
      ...readRoute,
      config: { access: access.any('ledger.read') },
      schema: {
        tags: TAGS,
        summary: 'Page through tasks in (started_at, id) order',
        querystring: pagedTasksQuery,
        response: { 200: pageOut },
      },
    },
    async (req) =>
      guard(async () => {
        const q = req.query;
        const after = q.cursor === undefined ? undefined : decodeTaskCursor(q.cursor);
        const rows = await ledger.pageTasks(filterOf(q, readableOf(req)), after, q.limit + 1);
        const items = rows.slice(0, q.limit);
        const last = items.at(-1);
        return {
          items: items.map(toWire),
          next_cursor: rows.length > q.limit && last ? encodeTaskCursor(last) : null,
        };
      }),
  );

  r.get(
    '/agents/tasks/paged.csv',
    {
      ...route,
      config: { access: access.any('ledger.read') },
      schema: {
        tags: TAGS,
        summary: 'Export tasks as CSV (RFC 4180, header row, at most 10,000 rows, streamed)',
        querystring: csvTasksQuery,
      },
    },
    async (req, reply) =>
      guard(async () => {
        const q = req.query;
        const filter = filterOf(q, readableOf(req));
        let after = q.cursor === undefined ? undefined : decodeTaskCursor(q.cursor);
        // the first batch is read before answering, so a database error is still a clean problem
        const first = await ledger.pageTasks(filter, after, Math.min(CSV_BATCH, q.limit));
        const signal = AbortSignal.any([
          deps.shutdown,
          req.raw.socket ? closedSignal(req.raw) : deps.shutdown,
        ]);
        async function* lines(): AsyncGenerator<string> {
          yield csvRecord(CSV_COLUMNS);
          let left = q.limit;
          let rows = first;
          while (rows.length) {
            let chunk = '';
            for (const t of rows) {
              const w = toWire(t);
              chunk += csvRecord(CSV_COLUMNS.map((c) => w[c]));
            }
            yield chunk;
            left -= rows.length;
            const last = rows.at(-1)!;
            after = { startedAt: last.startedAt, id: last.id } satisfies TaskKey;
            if (left <= 0 || rows.length < CSV_BATCH || signal.aborted) return;
            rows = await ledger.pageTasks(filter, after, Math.min(CSV_BATCH, left));
          }
        }
        return reply
          .header('content-type', 'text/csv; charset=utf-8')
          .header('content-disposition', 'attachment; filename="agents_tasks.csv"')
          .header('cache-control', 'no-store')
          .send(Readable.from(lines()));
      }),
  );

  r.get(
    '/agents/tasks/:id',
    {
      ...readRoute,
      config: { access: access.resource('ledger.read', 'task') },
      schema: { tags: TAGS, summary: 'One task', params: taskIdParams, response: { 200: taskOut } },
    },
    async (req) =>
      guard(async () => {
        const t = await ledger.getTask(req.params.id);
        if (!t) throw new BatonError('not_found', `no task ${req.params.id}`, { field: 'id' });
        return toWire(t);
      }),
  );
}

function filterOf(
  q: {
    run_id?: string | undefined;
    task?: string | undefined;
    status?: TaskFilter['status'];
    since?: number | undefined;
  },
  workspaceIds: string[] | undefined,
): TaskFilter {
  return {
    ...(workspaceIds === undefined ? {} : { workspaceIds }),
    ...(q.run_id === undefined ? {} : { runId: q.run_id }),
    ...(q.task === undefined ? {} : { task: q.task }),
    ...(q.status === undefined ? {} : { status: q.status }),
    ...(q.since === undefined ? {} : { since: q.since }),
  };
}

/** Aborted when the client goes away (stops reading the next CSV batch). */
function closedSignal(raw: { once(ev: 'close', fn: () => void): unknown }): AbortSignal {
  const c = new AbortController();
  raw.once('close', () => c.abort());
  return c.signal;
}

/** The workspaces the caller may read (undefined: all; also when the plugin runs without the app's auth). */
function readableOf(req: FastifyRequest): string[] | undefined {
  const p = req.batonAuth?.principal;
  return p ? readableWorkspaces(p) : undefined;
}
