import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request a fake received (tests assert on these). */
export interface FakeCall {
  method: string;
  /** the path without the query */
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: unknown;
}

export interface FakeAnswer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface FakeApiOptions {
  handle: (call: FakeCall) => FakeAnswer | Promise<FakeAnswer>;
  /** answer the first `times` requests 429 with `retry-after: retryAfterSec` */
  rateLimit?: { times: number; retryAfterSec: number };
}

export interface FakeApi {
  /** `http://127.0.0.1:PORT` */
  url: string;
  calls: FakeCall[];
  close(): Promise<void>;
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function send(res: ServerResponse, a: FakeAnswer): void {
  res.writeHead(a.status, { 'content-type': 'application/json', ...a.headers });
  res.end(a.body === undefined ? '' : JSON.stringify(a.body));
}

/** A JSON API fake on 127.0.0.1 (free port): records each call, injects 429s, answers 500 on a handler throw. */
export async function startFakeApi(o: FakeApiOptions): Promise<FakeApi> {
  const calls: FakeCall[] = [];
  let limited = 0;
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    readJson(req)
      .then(async (body) => {
        const call: FakeCall = {
          method: req.method ?? 'GET',
          path: url.pathname,
          query: url.searchParams,
          headers: req.headers,
          body,
        };
        calls.push(call);
        if (o.rateLimit && limited < o.rateLimit.times) {
          limited++;
          const secs = o.rateLimit.retryAfterSec;
          return send(res, {
            status: 429,
            headers: { 'retry-after': String(secs) },
            body: {
              error: {
                code: 429,
                message: 'Resource has been exhausted (fake rate limit)',
                status: 'RESOURCE_EXHAUSTED',
              },
            },
          });
        }
        send(res, await o.handle(call));
      })
      .catch((e: unknown) => send(res, { status: 500, body: { error: { code: 500, message: String(e) } } }));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
