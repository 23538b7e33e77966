import type { IncomingMessage, ServerResponse } from 'node:http';
import { answerModelRequest } from './answerModelRequest.ts';
import { readModelRequest } from './readModelRequest.ts';
import { apiErrorResponse } from './apiErrorResponse.ts';
import { checkApiKey } from './checkApiKey.ts';
import { conversationKey } from './ModelRequest.ts';
import { BodyError, parseJsonObject, readBody } from './readBody.ts';
import type { RecordedRequest } from './RecordedRequest.ts';
import type { Answer } from './renderReply.ts';
import { ENDPOINTS, routeRequest } from './routeRequest.ts';
import type { ScenarioBook } from './ScenarioBook.ts';
import { writeSse } from './writeSse.ts';

export type RecordFields = Partial<RecordedRequest> & Pick<RecordedRequest, 'outcome' | 'status'>;

export interface HandlerContext {
  book: ScenarioBook;
  apiKey: string | undefined;
  /** `127.0.0.1:PORT`: absolute-form requests for other hosts are blocked */
  ownHost: string;
  record: (req: IncomingMessage, fields: RecordFields) => void;
  signal: AbortSignal;
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}): Answer => ({
  type: 'json',
  status,
  headers,
  body,
});

/** Session headers (Claude Code, Codex) name a conversation better than its first message. */
const SESSION_HEADERS = ['x-claude-code-session-id', 'session-id', 'thread-id'];

async function send(res: ServerResponse, answer: Answer, signal: AbortSignal): Promise<void> {
  if (answer.type === 'sse') {
    await writeSse(res, answer.events, { delayMs: answer.delayMs, cutAfter: answer.cutAfter, signal });
    return;
  }
  res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
  res.end(JSON.stringify(answer.body));
}

/** Answers one HTTP request: routes it, checks the key, records it, renders the scenario's answer. */
export async function handleModelHttp(
  req: IncomingMessage,
  res: ServerResponse,
  ctx: HandlerContext,
): Promise<void> {
  const raw = req.url ?? '/';
  const url = new URL(raw, 'http://127.0.0.1');
  const gone = new AbortController();
  res.on('close', () => gone.abort());
  const signal = AbortSignal.any([gone.signal, ctx.signal]);
  const reply = (fields: RecordFields, answer: Answer) => {
    ctx.record(req, fields);
    return send(res, answer, signal);
  };
  // absolute-form target: the client used us as its HTTP proxy (tests point HTTP(S)_PROXY here)
  if (/^[a-z]+:\/\//i.test(raw) && url.host !== ctx.ownHost)
    return reply(
      { outcome: 'blocked', status: 502 },
      json(502, { error: { message: `model server: outbound request to ${url.host} blocked (offline)` } }),
    );
  const route = routeRequest(req.method ?? '', url.pathname);
  switch (route.kind) {
    case 'preconnect':
      ctx.record(req, { outcome: 'preconnect', status: 200 });
      res.writeHead(200).end();
      return;
    case 'root':
      return reply(
        { outcome: 'root', status: 200 },
        json(200, { name: 'baton model server', endpoints: ENDPOINTS }),
      );
    case 'not_found': {
      const message = `model server: no endpoint ${req.method} ${url.pathname}; it serves ${ENDPOINTS.join(', ')}`;
      return reply({ outcome: 'not_found', status: 404 }, json(404, { error: { message } }));
    }
    case 'models': {
      const models = [
        { id: 'model-server', name: 'models/model-server', object: 'model', display_name: 'Model server' },
      ];
      return reply(
        { outcome: 'models', status: 200 },
        json(200, route.api === 'gemini' ? { models } : { object: 'list', data: models }),
      );
    }
    case 'count_tokens':
    case 'generate':
      break;
  }
  const api = route.api;
  const keyError = checkApiKey(api, req.headers, url.searchParams, ctx.apiKey);
  if (keyError !== undefined) {
    req.resume();
    return reply(
      { api, outcome: 'unauthorized', status: 401 },
      { type: 'json', ...apiErrorResponse(api, 401, `model server: ${keyError}`) },
    );
  }
  let body: Record<string, unknown>;
  try {
    body = parseJsonObject(await readBody(req));
  } catch (e) {
    if (!(e instanceof BodyError)) throw e;
    const answer: Answer = { type: 'json', ...apiErrorResponse(api, 400, `model server: ${e.message}`) };
    return reply({ api, outcome: 'bad_request', status: 400, warnings: [e.message] }, answer);
  }
  if (route.kind === 'count_tokens') {
    const n = Math.max(1, Math.ceil(JSON.stringify(body).length / 4));
    return reply(
      { api, body, outcome: 'count_tokens', status: 200 },
      json(200, api === 'gemini' ? { totalTokens: n } : { input_tokens: n }),
    );
  }
  const request = readModelRequest(api, body, { model: route.model ?? '', stream: route.stream ?? false });
  const session = SESSION_HEADERS.map((h) => req.headers[h]).find((v) => typeof v === 'string');
  if (session !== undefined) request.conversation = conversationKey(session);
  const a = answerModelRequest(request, body, ctx.book);
  const fields: RecordFields = {
    api,
    body,
    model: request.model,
    scenario: a.scenario,
    turn: a.turn,
    toolResults: request.toolResults,
    tools: request.tools,
    outcome: a.outcome,
    status: a.answer.type === 'json' ? a.answer.status : 200,
    warnings: a.warnings,
  };
  return reply(fields, a.answer);
}
