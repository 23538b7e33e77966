import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { BatonError } from '../domain/errors.ts';

/**
 * The tiny `node:http` health server is gone: `/healthz` and `/readyz` are routes of the HTTP API
 * (src/api). What remains here is listening with start-up errors that name the setting to change.
 */
export async function listenApi(
  app: FastifyInstance,
  host: string,
  port: number,
): Promise<{ host: string; port: number; url: string }> {
  try {
    await app.listen({ host, port, listenTextResolver: () => '' });
  } catch (e) {
    throw listenError(e as NodeJS.ErrnoException, host, port);
  }
  const addr = app.server.address() as AddressInfo;
  const shownHost = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  return { host: addr.address, port: addr.port, url: `http://${shownHost}:${addr.port}` };
}

/** Loopback addresses: the only ones an unauthenticated API may listen on. */
export function isLoopbackHost(host: string): boolean {
  const h = host
    .trim()
    .toLowerCase()
    .replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h) || h === '::ffff:127.0.0.1';
}

function listenError(e: NodeJS.ErrnoException, host: string, port: number): BatonError {
  if (e.code === 'EADDRINUSE') {
    return new BatonError('config_invalid', `cannot listen on ${host}:${port}: the port is already in use`, {
      field: 'BATON_PORT',
      cause: e,
      hint: `stop the other process (another \`baton serve\`?) or set BATON_PORT to a free port (BATON_PORT=0 picks one)`,
    });
  }
  if (e.code === 'EACCES') {
    return new BatonError('config_invalid', `cannot listen on ${host}:${port}: permission denied`, {
      field: 'BATON_PORT',
      cause: e,
      hint: 'ports below 1024 need privileges; set BATON_PORT to a port above 1023',
    });
  }
  if (e.code === 'EADDRNOTAVAIL' || e.code === 'ENOTFOUND') {
    return new BatonError(
      'config_invalid',
      `cannot listen on ${host}:${port}: the address is not available on this machine`,
      {
        field: 'BATON_HOST',
        cause: e,
        hint: 'set BATON_HOST to a local address such as 127.0.0.1',
      },
    );
  }
  return new BatonError('internal', `cannot listen on ${host}:${port}: ${e.message}`, { cause: e });
}
