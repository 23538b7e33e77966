import type { ApiKind } from './ModelRequest.ts';

export type Route =
  | { kind: 'generate'; api: ApiKind; model?: string; stream?: boolean }
  | { kind: 'count_tokens'; api: 'anthropic' | 'gemini' }
  | { kind: 'models'; api: 'anthropic' | 'gemini' }
  | { kind: 'preconnect' }
  | { kind: 'root' }
  | { kind: 'not_found' };

const GEMINI = /^\/v1(?:beta|alpha)?\/models\/([^/:]+):(streamGenerateContent|generateContent|countTokens)$/;

/** Maps method and path (query removed) to an endpoint. */
export function routeRequest(method: string, path: string): Route {
  if (method === 'HEAD') return { kind: 'preconnect' };
  if (method === 'GET') {
    if (path === '/' || path === '') return { kind: 'root' };
    if (path === '/v1/models') return { kind: 'models', api: 'anthropic' };
    if (/^\/v1(beta|alpha)?\/models$/.test(path)) return { kind: 'models', api: 'gemini' };
    return { kind: 'not_found' };
  }
  if (method !== 'POST') return { kind: 'not_found' };
  switch (path) {
    case '/v1/messages':
      return { kind: 'generate', api: 'anthropic' };
    case '/v1/messages/count_tokens':
      return { kind: 'count_tokens', api: 'anthropic' };
    case '/v1/responses':
      return { kind: 'generate', api: 'responses' };
    case '/v1/chat/completions':
      return { kind: 'generate', api: 'chat' };
  }
  const g = GEMINI.exec(path);
  if (g === null) return { kind: 'not_found' };
  const model = decodeURIComponent(g[1] ?? '');
  if (g[2] === 'countTokens') return { kind: 'count_tokens', api: 'gemini' };
  return { kind: 'generate', api: 'gemini', model, stream: g[2] === 'streamGenerateContent' };
}

export const ENDPOINTS = [
  'POST /v1/messages',
  'POST /v1/messages/count_tokens',
  'POST /v1/responses',
  'POST /v1/chat/completions',
  'POST /v1beta/models/{model}:streamGenerateContent?alt=sse',
  'POST /v1beta/models/{model}:generateContent',
  'POST /v1beta/models/{model}:countTokens',
  'GET /v1/models',
  'HEAD /',
];
