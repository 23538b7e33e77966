import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { BatonError } from '../../domain/errors.ts';
import { handleModelHttp, type RecordFields } from './handleModelHttp.ts';
import { flatHeaders, type RecordedRequest } from './RecordedRequest.ts';
import { ScenarioBook } from './ScenarioBook.ts';
import type { Scenario } from './scenarioSchema.ts';

export interface ModelServerOptions {
  scenarios: readonly Scenario[];
  /** when set, every model request must carry this key (401 otherwise) */
  apiKey?: string;
  /** 0 (the default) picks a free port; the server always listens on 127.0.0.1 */
  port?: number;
  /** closes the server */
  signal?: AbortSignal;
  /** called for every request as it is recorded */
  onRequest?: (r: RecordedRequest) => void;
}

export interface ModelServer {
  /** `http://127.0.0.1:PORT` (no trailing slash) */
  url: string;
  port: number;
  /** every request received, in order */
  requests: RecordedRequest[];
  close(): Promise<void>;
}

function listenError(e: NodeJS.ErrnoException, port: number): BatonError {
  const inUse = e.code === 'EADDRINUSE';
  return new BatonError(
    'invalid_input',
    `cannot listen on 127.0.0.1:${port}: ${inUse ? 'the port is in use' : e.message}`,
    {
      field: 'port',
      cause: e,
      hint: 'pick another port, or 0 for any free one',
    },
  );
}

/** The scripted model server (Anthropic Messages, OpenAI Responses and Chat Completions, Gemini) on 127.0.0.1. */
export async function createModelServer(opts: ModelServerOptions): Promise<ModelServer> {
  const book = new ScenarioBook(opts.scenarios);
  const requests: RecordedRequest[] = [];
  const closing = new AbortController();
  const record = (req: IncomingMessage, fields: RecordFields) => {
    const r: RecordedRequest = {
      seq: requests.length + 1,
      at: new Date().toISOString(),
      method: req.method ?? '',
      path: req.url ?? '',
      api: undefined,
      headers: flatHeaders(req.headers),
      body: undefined,
      model: undefined,
      scenario: undefined,
      turn: undefined,
      toolResults: [],
      tools: [],
      warnings: [],
      ...fields,
    };
    requests.push(r);
    opts.onRequest?.(r);
  };
  const ctx = { book, apiKey: opts.apiKey, ownHost: '', record, signal: closing.signal };
  const server = createServer((req, res) => {
    handleModelHttp(req, res, ctx).catch((e: unknown) => {
      if (res.headersSent) res.destroy();
      else
        res
          .writeHead(500, { 'content-type': 'application/json' })
          .end(JSON.stringify({ error: { message: `model server: ${(e as Error).message}` } }));
    });
  });
  // CONNECT: a client tunnelling through us (its HTTPS proxy) to the outside world
  server.on('connect', (req: IncomingMessage, socket: Duplex) => {
    record(req, { outcome: 'blocked', status: 403 });
    socket.end('HTTP/1.1 403 Forbidden\r\ncontent-length: 0\r\n\r\n');
  });
  const wanted = opts.port ?? 0;
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e) => reject(listenError(e, wanted)));
    server.listen(wanted, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  ctx.ownHost = `127.0.0.1:${port}`;

  let closed: Promise<void> | undefined;
  const close = () =>
    (closed ??= new Promise<void>((resolve) => {
      closing.abort();
      server.close(() => resolve());
      server.closeAllConnections();
    }));
  opts.signal?.addEventListener('abort', () => void close(), { once: true });
  if (opts.signal?.aborted === true) await close();
  return { url: `http://${ctx.ownHost}`, port, requests, close };
}
