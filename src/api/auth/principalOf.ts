import type { FastifyRequest } from 'fastify';
import type { Principal } from '../../domain/access/principal.ts';
import { BatonError } from '../../domain/errors.ts';

/** The authenticated caller of a route that declared a non-public access rule. */
export function principalOf(req: FastifyRequest): Principal {
  const p = req.batonAuth?.principal;
  if (!p)
    throw new BatonError('internal', `route ${req.routeOptions.url ?? req.url} has no authenticated caller`);
  return p;
}

/** Who is acting, for run and approval records: the caller's login. */
export function actorOf(req: FastifyRequest): string {
  return principalOf(req).login;
}
