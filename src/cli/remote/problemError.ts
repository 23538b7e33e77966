import { BatonError, type ErrorCode } from '../../domain/errors.ts';
import { formatWorkflowIssue, type WorkflowIssue } from '../../domain/workflow/formatWorkflowIssue.ts';
import { RemoteError } from './remoteError.ts';

/** The RFC 9457 problem document of the API (the fields the CLI uses). */
interface Problem {
  code?: string;
  detail?: string;
  title?: string;
  field?: string;
  hint?: string;
  request_id?: string;
  errors?: WorkflowIssue[];
}

/** Codes the engine raises and the API passes through: they print and exit as in local mode. */
const ENGINE_CODES: readonly ErrorCode[] = [
  'invalid_input',
  'invalid_workflow',
  'invalid_expression',
  'not_found',
  'conflict',
  'invalid_state',
  'idempotency_mismatch',
];

const LOGIN_HINT = 'set BATON_TOKEN or run `baton login`';

export interface ResponseContext {
  server: string;
  method: string;
  path: string;
  tokenSent: boolean;
}

/** The error for a non-2xx answer: a BatonError when the problem has an engine code, else a RemoteError. */
export function errorFromResponse(res: Response, text: string, c: ResponseContext): Error {
  const status = res.status;
  const p = parseProblem(res.headers.get('content-type'), text);
  const requestId = p?.request_id ?? res.headers.get('x-request-id') ?? undefined;
  const detail = p?.detail ?? p?.title ?? (res.statusText || `HTTP ${status}`);
  const where = `${c.method} ${c.path}`;
  if (status >= 300 && status < 400) {
    return new RemoteError('bad_response', `Baton at ${c.server} redirects ${where} (${status})`, {
      status,
      hint: `use the address it redirects to in --server / BATON_SERVER: ${res.headers.get('location') ?? '?'}`,
    });
  }
  if (status === 401) {
    return new BatonError('unauthenticated', `401 unauthenticated: ${detail}`, {
      hint: c.tokenSent ? `the server refused the token: ${LOGIN_HINT}` : `no token was sent: ${LOGIN_HINT}`,
    });
  }
  if (status === 403) {
    return new BatonError('forbidden', `403 forbidden: ${detail}`, {
      hint: p?.hint ?? `the token's user may not do this; use another token (${LOGIN_HINT})`,
    });
  }
  if (status === 429) {
    const after = res.headers.get('retry-after');
    return new BatonError('rate_limited', `429 rate limited by Baton at ${c.server}: ${detail}`, {
      retryable: true,
      hint: after ? `retry in ${after} s` : 'retry later',
    });
  }
  if (status >= 500) {
    const transient = status === 502 || status === 503 || status === 504;
    const what = `${status}${p?.code ? ` ${p.code}` : ''}`;
    return new RemoteError(
      transient ? 'unavailable' : 'server_error',
      transient
        ? `Baton at ${c.server} is unavailable (${what}): ${detail}`
        : `Baton at ${c.server} failed on ${where} (${what}): ${detail}`,
      {
        status,
        requestId,
        transient,
        reason: `HTTP ${status}`,
        hint: transient
          ? (p?.hint ?? 'retry later')
          : `the server's logs have the details${requestId ? ` (request id ${requestId})` : ''}`,
      },
    );
  }
  const code = p?.code as ErrorCode | undefined;
  if (code && ENGINE_CODES.includes(code)) {
    const issues = (p?.errors ?? []).map((i) => `\n  ${formatWorkflowIssue(i)}`).join('');
    return new BatonError(code, `${detail}${issues}`, {
      ...(p?.field === undefined ? {} : { field: p.field }),
      ...(p?.hint === undefined ? {} : { hint: p.hint }),
    });
  }
  if (!p) {
    return new RemoteError('bad_response', `${c.server} answered ${status} to ${where}, not as Baton does`, {
      status,
      hint: 'is --server / BATON_SERVER the address of a Baton server?',
    });
  }
  return new RemoteError('client_error', `${status} ${p.code ?? 'error'}: ${detail}`, {
    status,
    requestId,
    field: p.field,
    hint: p.hint,
  });
}

function parseProblem(contentType: string | null, text: string): Problem | null {
  if (!contentType || !/json/i.test(contentType)) return null;
  try {
    const v: unknown = JSON.parse(text);
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? v : null;
  } catch {
    return null;
  }
}

const CONNECT_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ETIMEDOUT',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/** The error for a request that got no answer: the server is down, unknown, or the connection broke. */
export function connectionError(e: unknown, server: string): RemoteError {
  const code = errnoOf(e);
  const message = rootMessage(e);
  if (code && CONNECT_CODES.has(code)) {
    return new RemoteError(
      'unreachable',
      `cannot reach Baton at ${server} (${code}): is \`baton serve\` running? set --server or BATON_SERVER`,
      { transient: true, cause: e, reason: code },
    );
  }
  if (code && /CERT|SSL|TLS|SELF_SIGNED/.test(code)) {
    return new RemoteError('unreachable', `TLS error talking to ${server} (${code}): ${message}`, {
      cause: e,
      hint: 'check the https:// address and the server certificate (NODE_EXTRA_CA_CERTS for a private CA)',
    });
  }
  return new RemoteError('unreachable', `lost the connection to Baton at ${server} (${code ?? message})`, {
    transient: true,
    cause: e,
    reason: code ?? message,
  });
}

/** `ECONNREFUSED` and the like, from an error or its causes (fetch wraps them in `TypeError: fetch failed`). */
export function errnoOf(e: unknown): string | undefined {
  for (let x: unknown = e, i = 0; x && i < 5; x = (x as { cause?: unknown }).cause, i++) {
    const code = (x as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    const errors = (x as { errors?: unknown }).errors; // AggregateError (several addresses)
    if (Array.isArray(errors) && errors.length) return errnoOf(errors[0]);
  }
  return undefined;
}

function rootMessage(e: unknown): string {
  let x: unknown = e;
  while ((x as { cause?: unknown } | null)?.cause instanceof Error) x = (x as { cause: unknown }).cause;
  return x instanceof Error ? x.message : String(x);
}
