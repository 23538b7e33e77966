/**
 * Live event streams of the HTTP API, read from the events outbox through the server's one
 * broadcaster:
 * - `GET /api/v1/runs/{id}/stream` — Server-Sent Events of one run, from its first event (or after
 *   `Last-Event-ID`), ending after the run's terminal event;
 * - `GET /api/v1/stream?workspace=&run_id=&type=` — every event the caller may read (or a subset), live (or after
 *   `Last-Event-ID`);
 * - `GET /api/v1/ws` — the same events over a WebSocket, `{subscribe: {run_id?, type?, after?}}`.
 *
 * Register with `app.register(streamRoutes, deps)` (optionally `{...deps, streams: {...}}`).
 */
import websocket from '@fastify/websocket';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ApiDeps } from '../apiDeps.ts';
import { readableWorkspaces } from '../../domain/access/authorize.ts';
import { access } from '../auth/accessRule.ts';
import { getEventBroadcaster, type EventBroadcaster, type StreamFilter } from './eventBroadcaster.ts';
import { SseConnection } from './sseConnection.ts';
import { streamOptions, type StreamOptions } from './streamOptions.ts';
import { parseSubscribe, splitTypes, WsConnection, type WsLike } from './wsConnection.ts';

const TERMINAL_RUN = new Set(['succeeded', 'failed', 'cancelled']);

export interface StreamRoutesOptions extends ApiDeps {
  /** tunables (tests, bench); defaults in `DEFAULT_STREAM_OPTIONS` */
  streams?: Partial<StreamOptions>;
}

export async function streamRoutes(app: FastifyInstance, deps: StreamRoutesOptions): Promise<void> {
  const opts = streamOptions(deps.streams);
  const broadcaster = getEventBroadcaster(deps, opts);
  const base = opts.basePath.replace(/\/$/, '');
  let connections = 0;

  if (!app.hasDecorator('websocketServer')) await app.register(websocket);
  // long-lived responses would hold server.close() open: end them first
  app.addHook('preClose', async () => {
    await broadcaster.stop();
  });

  async function openSse(
    req: FastifyRequest,
    reply: FastifyReply,
    filter: StreamFilter,
    after: number | null,
    endOnTerminalOf?: string,
  ): Promise<void> {
    if (broadcaster.isStopped) return problem(reply, 503, 'unavailable', 'The server is shutting down');
    if (connections >= opts.maxSubscribers) {
      return problem(reply, 503, 'unavailable', 'Too many stream subscribers', {
        hint: 'retry later',
      });
    }
    await broadcaster.start();
    connections++;
    const conn = new SseConnection(
      reply.raw,
      {
        heartbeatMs: opts.heartbeatMs,
        retryMs: opts.retryMs,
        maxQueueBytes: opts.maxQueueBytes,
        dropGraceMs: opts.dropGraceMs,
        endOnTerminalOf,
        onClose: (reason) => {
          connections--;
          if (reason === 'dropped') req.log.info({ after }, 'event stream: slow client dropped');
        },
      },
      after ?? broadcaster.position,
    );
    reply.hijack();
    const headers: Record<string, string | number | string[]> = {};
    for (const [k, v] of Object.entries(reply.getHeaders())) if (v !== undefined) headers[k] = v;
    conn.open(headers);
    conn.attach(await broadcaster.subscribe(filter, after, conn));
  }

  app.get<{ Params: { id: string }; Querystring: Record<string, string | undefined> }>(
    `${base}/runs/:id/stream`,
    { config: { access: access.resource('runs.read', 'run') } },
    async (req, reply) => {
      const after = lastEventId(req);
      if (typeof after === 'string')
        return problem(reply, 400, 'invalid_input', after, { field: 'Last-Event-ID' });
      const run = await deps.store.getRun(req.params.id);
      if (!run) {
        return problem(reply, 404, 'not_found', `run ${req.params.id} does not exist`, {
          field: 'id',
          hint: 'list runs with GET /api/v1/runs',
        });
      }
      const types = req.query.type === undefined ? undefined : splitTypes(req.query.type);
      if (TERMINAL_RUN.has(run.status) && (await deps.store.listEvents(after ?? 0, 1, run.id)).length === 0) {
        // resumed after the end of a finished run: nothing more will come
        reply.hijack();
        reply.raw.writeHead(200, {
          'content-type': 'text/event-stream; charset=utf-8',
          'cache-control': 'no-cache',
        });
        reply.raw.end(`retry: ${opts.retryMs}\n\n`);
        return;
      }
      // without Last-Event-ID the run stream starts at the run's first event
      await openSse(req, reply, { runId: run.id, typePrefixes: types }, after ?? 0, run.id);
    },
  );

  app.get<{ Querystring: Record<string, string | undefined> }>(
    `${base}/stream`,
    { config: { access: access.any('events.read') } },
    async (req, reply) => {
      const after = lastEventId(req);
      if (typeof after === 'string')
        return problem(reply, 400, 'invalid_input', after, { field: 'Last-Event-ID' });
      const q = req.query;
      const filter: StreamFilter = {
        runId: q.run_id === undefined || q.run_id === '' ? undefined : q.run_id,
        typePrefixes: q.type === undefined ? undefined : splitTypes(q.type),
        workspaceIds: narrowTo(readableOf(req), q.workspace),
      };
      await openSse(req, reply, filter, after);
    },
  );

  app.get<{ Querystring: Record<string, string | undefined> }>(
    `${base}/ws`,
    { websocket: true, config: { access: access.any('events.read') } },
    (socket, req) => {
      const ws = socket as unknown as WsLike;
      if (broadcaster.isStopped || connections >= opts.maxSubscribers) {
        ws.close(1013, 'too many subscribers');
        return;
      }
      connections++;
      const conn = new WsConnection(ws, broadcaster, {
        workspaceIds: readableOf(req),
        maxWsBufferedBytes: opts.maxWsBufferedBytes,
        dropGraceMs: opts.dropGraceMs,
        onClose: () => connections--,
      });
      // `?run_id=&type=&after=` subscribes at once; otherwise wait for a subscribe message
      const q = req.query;
      if (q.run_id !== undefined || q.type !== undefined || q.after !== undefined) {
        const parsed = parseSubscribe({
          ...(q.run_id === undefined ? {} : { run_id: q.run_id }),
          ...(q.type === undefined ? {} : { type: q.type }),
          ...(q.after === undefined ? {} : { after: /^\d+$/.test(q.after) ? Number(q.after) : q.after }),
        });
        if (typeof parsed === 'string') ws.close(1008, parsed.slice(0, 120));
        else
          void conn.subscribe(parsed).catch((err: unknown) => req.log.warn({ err }, 'ws subscribe failed'));
      }
    },
  );
}

/** `Last-Event-ID` (header) or `?last_event_id=`: an event id, null when absent, a message when invalid. */
function lastEventId(req: FastifyRequest): number | null | string {
  const h = req.headers['last-event-id'];
  const q = (req.query as Record<string, unknown> | undefined)?.last_event_id;
  const raw = typeof h === 'string' && h !== '' ? h : typeof q === 'string' && q !== '' ? q : undefined;
  if (raw === undefined) return null;
  if (!/^\d{1,15}$/.test(raw.trim())) return 'Last-Event-ID must be an event id (a non-negative integer)';
  return Number(raw.trim());
}

function problem(
  reply: FastifyReply,
  status: number,
  code: string,
  detail: string,
  extra: { field?: string; hint?: string } = {},
): FastifyReply {
  const titles: Record<number, string> = { 400: 'Bad Request', 404: 'Not Found', 503: 'Service Unavailable' };
  return reply
    .code(status)
    .type('application/problem+json')
    .send({ type: 'about:blank', title: titles[status] ?? 'Error', status, code, detail, ...extra });
}

export type { EventBroadcaster };

/** The workspaces the caller may read (undefined: all, or no auth installed, as in bare test apps). */
function readableOf(req: FastifyRequest): string[] | undefined {
  const p = req.batonAuth?.principal;
  return p ? readableWorkspaces(p) : undefined;
}

/** `?workspace=` narrows the readable workspaces to one (a workspace the caller cannot read: nothing). */
function narrowTo(readable: string[] | undefined, workspace: string | undefined): string[] | undefined {
  if (workspace === undefined || workspace === '') return readable;
  return !readable || readable.includes(workspace) ? [workspace] : [];
}
