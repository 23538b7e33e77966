import { readableWorkspaces } from '../../domain/access/authorize.ts';
import { access, fieldOf } from '../auth/accessRule.ts';
import { principalOf } from '../auth/principalOf.ts';
import { workspaceIdSchema } from '../schemas/accounts.ts';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { BatonError } from '../../domain/errors.ts';
import type { ApiDeps } from '../apiDeps.ts';
import { decodeCursor, encodeCursor } from '../app/cursor.ts';
import { problemResponses } from '../app/problem.ts';
import { cursorParam, jsonObject, limitParam, pageOf } from '../schemas/common.ts';
import { eventOut, eventSchema } from '../schemas/resources.ts';

const eventCursor = z.object({ a: z.number().int().min(0) });
const eventType = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[a-z][a-z0-9_.:-]*$/, 'must match [a-z][a-z0-9_.:-]*');

const listQuery = z.object({
  after: z.coerce.number().int().min(0).optional().describe('events with an id greater than this'),
  run_id: z.string().min(1).max(64).optional(),
  type: eventType.optional(),
  cursor: cursorParam,
  limit: limitParam,
});

/**
 * Events: the outbox, oldest first (a log: `after` / cursor continue where the last page ended),
 * external events (`POST /events`) and their processing state. Baton dispatches every external
 * event to the workflows' event triggers right after it is stored: an event that starts a run (or
 * whose trigger fails, see the `event.dispatched` event) is marked processed by Baton; an event no
 * trigger fires for stays pending for outside consumers, who mark it processed themselves.
 */
export async function eventRoutes(app: FastifyInstance, deps: ApiDeps): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { store } = deps;

  async function page(
    q: z.infer<typeof listQuery>,
    pendingOnly: boolean,
    workspaceIds: string[] | undefined,
  ) {
    const after = q.cursor ? decodeCursor(q.cursor, eventCursor).a : (q.after ?? 0);
    const rows = await store.listEventsFiltered({
      afterId: after,
      ...(q.run_id ? { runId: q.run_id } : {}),
      ...(q.type ? { type: q.type } : {}),
      pendingOnly,
      ...(workspaceIds ? { workspaceIds } : {}),
      limit: q.limit + 1,
    });
    const items = rows.slice(0, q.limit);
    const last = items.at(-1);
    return {
      items: items.map(eventOut),
      next_cursor: rows.length > q.limit && last ? encodeCursor({ a: last.id }) : null,
    };
  }

  r.get(
    '/events',
    {
      config: { access: access.any('events.read') },
      schema: {
        tags: ['events'],
        summary: 'Outbox events, oldest first, after an id',
        querystring: listQuery,
        response: { 200: pageOf(eventSchema), ...problemResponses(400) },
      },
    },
    async (req) => page(req.query, false, readableWorkspaces(principalOf(req))),
  );

  r.get(
    '/events/pending',
    {
      config: { access: access.any('events.read') },
      schema: {
        tags: ['events'],
        summary: 'External events not yet processed, oldest first',
        description:
          'Events no workflow trigger fired for (or not yet: dispatch follows within a second) and no consumer marked processed. An event that starts a run is marked processed by Baton.',
        querystring: listQuery,
        response: { 200: pageOf(eventSchema), ...problemResponses(400) },
      },
    },
    async (req) => page(req.query, true, readableWorkspaces(principalOf(req))),
  );

  r.post(
    '/events',
    {
      config: { access: access.workspace('events.create', (req) => fieldOf(req.body, 'workspace')) },
      schema: {
        tags: ['events'],
        summary: "Create an external event and dispatch it to the workflows' event triggers",
        description:
          'The event is written to the outbox, then matched against every event trigger: each trigger that fires starts one run (trigger `event`, created by `event:<id>`). The outcome is recorded as an `event.dispatched` event `{event_id, runs, errors, skipped}`.',
        body: z
          .object({
            type: eventType,
            payload: jsonObject.default({}),
            workspace: workspaceIdSchema.optional().describe("default: the token's workspace"),
          })
          .strict(),
        response: { 201: eventSchema, ...problemResponses(400) },
      },
    },
    async (req, reply) => {
      const e = await store.insertExternalEvent(
        { type: req.body.type, payload: req.body.payload, workspaceId: req.batonAuth.workspace! },
        Date.now(),
      );
      deps.engine.pokeTriggers();
      return reply.code(201).send(eventOut(e));
    },
  );

  r.post(
    '/events/:id/processed',
    {
      config: { access: access.resource('events.process', 'event') },
      schema: {
        tags: ['events'],
        summary: 'Mark an external event processed (409 when it already is, or is not external)',
        description:
          'For outside consumers of the events no workflow trigger consumes (those Baton marks processed itself).',
        params: z.object({ id: z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER) }),
        response: { 200: eventSchema, ...problemResponses(400, 404, 409) },
      },
    },
    async (req) => {
      const id = req.params.id;
      if (!(await store.markEventProcessed(id, Date.now()))) {
        const e = await store.getEvent(id);
        if (!e) throw new BatonError('not_found', `event ${id} does not exist`, { field: 'id' });
        throw new BatonError(
          'conflict',
          e.external
            ? `event ${id} was already processed`
            : `event ${id} is an engine event, not an external one`,
          { field: 'id' },
        );
      }
      const e = await store.getEvent(id);
      if (!e) throw new BatonError('not_found', `event ${id} does not exist`, { field: 'id' });
      return eventOut(e);
    },
  );
}
