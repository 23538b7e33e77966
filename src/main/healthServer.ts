import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BatonError } from '../domain/errors.ts';
import type { Logger } from '../engine/engineDeps.ts';
import type { Store } from '../engine/ports/store.ts';

export interface HealthServer {
  /** Listens; resolves with the bound address (port 0 picks a free port). Aborting `signal` closes the server. */
  listen(
    host: string,
    port: number,
    signal?: AbortSignal,
  ): Promise<{ host: string; port: number; url: string }>;
  close(): Promise<void>;
}

const PING_TIMEOUT_MS = 2_000;

/**
 * A minimal `node:http` server until the HTTP API lands: `GET /healthz` (the process is up) and
 * `GET /readyz` (the database answers); everything else is a JSON 404.
 */
export function createHealthServer(store: Pick<Store, 'ping'>, logger: Logger): HealthServer {
  const server: Server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      logger.error({ err: (e as Error).message }, 'health request failed');
      if (!res.headersSent) send(res, 500, { error: { code: 'internal', message: 'internal error' } });
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 1_000;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0];
    const isGet = req.method === 'GET' || req.method === 'HEAD';
    if (path === '/healthz' && isGet) return send(res, 200, { status: 'ok' });
    if (path === '/readyz' && isGet) {
      const ok = await store.ping(AbortSignal.timeout(PING_TIMEOUT_MS)).catch(() => false);
      return send(res, ok ? 200 : 503, {
        status: ok ? 'ok' : 'unavailable',
        database: ok ? 'ok' : 'unreachable',
      });
    }
    if (path === '/healthz' || path === '/readyz') {
      res.setHeader('allow', 'GET, HEAD');
      return send(res, 405, {
        error: { code: 'method_not_allowed', message: `${req.method} is not allowed on ${path}` },
      });
    }
    send(res, 404, { error: { code: 'not_found', message: `no route for ${req.method} ${path}` } });
  }

  return {
    listen(host, port, signal) {
      return new Promise((resolvePromise, reject) => {
        if (signal?.aborted) return reject(new BatonError('cancelled', 'aborted before listening'));
        const onError = (e: NodeJS.ErrnoException) => {
          server.off('listening', onListening);
          reject(listenError(e, host, port));
        };
        const onListening = () => {
          server.off('error', onError);
          const addr = server.address() as AddressInfo;
          signal?.addEventListener('abort', () => void closeServer(server), { once: true });
          const shownHost = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
          resolvePromise({ host: addr.address, port: addr.port, url: `http://${shownHost}:${addr.port}` });
        };
        server.once('error', onError);
        server.once('listening', onListening);
        server.listen({ host, port });
      });
    },
    close: () => closeServer(server),
  };
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
  });
  res.end(text);
}

function closeServer(server: Server): Promise<void> {
  if (!server.listening) return Promise.resolve();
  return new Promise((resolvePromise) => {
    server.close(() => resolvePromise());
    server.closeIdleConnections();
  });
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
        hint: 'set BATON_HOST to a local address such as 127.0.0.1 or 0.0.0.0',
      },
    );
  }
  return new BatonError('internal', `cannot listen on ${host}:${port}: ${e.message}`, { cause: e });
}
