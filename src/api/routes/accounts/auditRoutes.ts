import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { roleIn } from '../../../domain/access/authorize.ts';
import { BatonError } from '../../../domain/errors.ts';
import type { RouteDeps } from '../../apiDeps.ts';
import { decodeCursor, toPage } from '../../app/cursor.ts';
import { problemResponses } from '../../app/problem.ts';
import { access } from '../../auth/accessRule.ts';
import { principalOf } from '../../auth/principalOf.ts';
import { auditOut, auditSchema, loginSchema, workspaceIdSchema } from '../../schemas/accounts.ts';
import { cursorParam, limitParam, pageOf } from '../../schemas/common.ts';

const cursorShape = z.object({ b: z.number().int() });

/** The audit log: every mutating call, allowed or denied. Admins read their workspaces'. */
export async function auditRoutes(app: FastifyInstance, deps: RouteDeps): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { accounts } = deps;

  r.get(
    '/audit',
    {
      config: { access: access.any('audit.read') },
      schema: {
        tags: ['accounts'],
        summary:
          'Audit events, newest first (workspace admins: their workspaces; instance administrators: all)',
        querystring: z.object({
          workspace: workspaceIdSchema.optional(),
          user: loginSchema.optional(),
          action: z.string().max(100).optional(),
          resource_id: z.string().max(200).optional(),
          since: z.coerce.number().int().min(0).optional().describe('epoch milliseconds'),
          cursor: cursorParam,
          limit: limitParam,
        }),
        response: { 200: pageOf(auditSchema), ...problemResponses(400, 401, 403) },
      },
    },
    async (req) => {
      const p = principalOf(req);
      const q = req.query;
      let workspaceIds: string[] | undefined;
      if (q.workspace !== undefined) {
        if (roleIn(p, q.workspace) !== 'admin') {
          throw new BatonError(
            'forbidden',
            `reading the audit log of "${q.workspace}" needs its admin role`,
            {
              field: 'workspace',
            },
          );
        }
        workspaceIds = [q.workspace];
      } else if (!p.instanceAdmin) {
        workspaceIds = [...p.roles].filter(([, role]) => role === 'admin').map(([w]) => w);
      }
      let userId: string | undefined;
      if (q.user !== undefined) {
        userId = (await accounts.getUser({ login: q.user }))?.id ?? '-';
      }
      const before = q.cursor ? decodeCursor(q.cursor, cursorShape).b : undefined;
      const rows = await accounts.listAuditEvents({
        ...(workspaceIds ? { workspaceIds } : {}),
        ...(userId === undefined ? {} : { userId }),
        ...(q.action === undefined ? {} : { action: q.action }),
        ...(q.resource_id === undefined ? {} : { resourceId: q.resource_id }),
        ...(q.since === undefined ? {} : { since: q.since }),
        ...(before === undefined ? {} : { beforeId: before }),
        limit: q.limit + 1,
      });
      return toPage(rows, q.limit, auditOut, (l) => ({ b: l.id }));
    },
  );
}
